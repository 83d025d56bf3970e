// A tiny Prisma service, the change most tests review on a real git repository: a client module
// and an orders module, before and after an N+1 (a findMany per order, inside the loop).

export const PRISMA_CLIENT = `import { PrismaClient } from "@prisma/client";

export const prisma = new PrismaClient();
`;

export const ORDERS_BASE = `import { prisma } from "./db";

export async function listOrders(customerId: string) {
  return prisma.order.findMany({ where: { customerId }, take: 50 });
}
`;

/** Line 7: the N+1. */
export const ORDERS_N_PLUS_ONE = `import { prisma } from "./db";

export async function listOrders(customerId: string) {
  const orders = await prisma.order.findMany({ where: { customerId }, take: 50 });
  const result = [];
  for (const order of orders) {
    const items = await prisma.orderItem.findMany({ where: { orderId: order.id } });
    result.push({ ...order, items });
  }
  return result;
}
`;
