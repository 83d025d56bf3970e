import { Router } from "express";
import { z } from "zod";
import { prisma } from "../lib/prisma";
import { requireAuth } from "../middleware/auth";

export const ordersRouter = Router();

const createOrder = z.object({
  items: z.array(z.object({ sku: z.string(), quantity: z.number().int().positive() })).min(1),
  note: z.string().max(500).optional(),
});

ordersRouter.get("/orders", requireAuth, async (req, res) => {
  const orders = await prisma.order.findMany({
    where: { customerId: res.locals.customerId },
    orderBy: { createdAt: "desc" },
    take: 50,
  });
  res.json(orders);
});

ordersRouter.post("/orders", requireAuth, async (req, res) => {
  const input = createOrder.parse(req.body);
  const order = await prisma.order.create({
    data: {
      customerId: res.locals.customerId,
      totalCents: 0,
      note: input.note,
      items: { create: input.items },
    },
  });
  res.status(201).json(order);
});
