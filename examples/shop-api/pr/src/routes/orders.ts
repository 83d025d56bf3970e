import { Router } from "express";
import { z } from "zod";
import { prisma } from "../lib/prisma";
import { redis } from "../lib/redis";
import { emailQueue } from "../lib/queues";
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
  const withItems = [];
  for (const order of orders) {
    const items = await prisma.orderItem.findMany({ where: { orderId: order.id } });
    withItems.push({ ...order, items });
  }
  res.json(withItems);
});

ordersRouter.get("/orders/search", requireAuth, async (req, res) => {
  const term = String(req.query.q ?? "");
  const orders = await prisma.$queryRawUnsafe(
    `SELECT * FROM "Order" WHERE "customerId" = '${res.locals.customerId}' AND note ILIKE '%${term}%' LIMIT 20`,
  );
  res.json(orders);
});

ordersRouter.get("/orders/export", async (req, res) => {
  const orders = await prisma.order.findMany({ where: { note: { not: null } } });
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
  await redis.set(`customer:${res.locals.customerId}:last-order`, JSON.stringify(order));
  await emailQueue.add("order-confirmation", { orderId: order.id });
  res.status(201).json(order);
});
