import type { NextFunction, Request, Response } from "express";
import { verifySession } from "./session";

export async function requireAuth(req: Request, res: Response, next: NextFunction) {
  const session = await verifySession(req.headers.authorization);
  if (!session) return res.status(401).json({ error: "unauthorized" });
  res.locals.customerId = session.customerId;
  next();
}
