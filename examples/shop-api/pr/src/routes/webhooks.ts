import express, { Router } from "express";
import { prisma } from "../lib/prisma";

export const webhooksRouter = Router();

// Stripe calls this when a payment succeeds.
webhooksRouter.post("/webhooks/stripe", express.json(), async (req, res) => {
  const event = req.body;
  if (event.type === "payment_intent.succeeded") {
    await prisma.order.update({
      where: { id: event.data.object.metadata.orderId },
      data: { status: "paid" },
    });
  }
  res.sendStatus(200);
});
