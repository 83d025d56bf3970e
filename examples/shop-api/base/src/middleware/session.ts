import { createHmac, timingSafeEqual } from "node:crypto";

export async function verifySession(header: string | undefined): Promise<{ customerId: string } | undefined> {
  const [customerId, signature] = (header ?? "").replace(/^Bearer /, "").split(".");
  if (!customerId || !signature) return undefined;
  const expected = createHmac("sha256", process.env.SESSION_SECRET ?? "").update(customerId).digest("hex");
  const ok = expected.length === signature.length && timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
  return ok ? { customerId } : undefined;
}
