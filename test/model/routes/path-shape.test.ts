import { describe, expect, it } from "vitest";
import { getPathShape } from "../../../src/model/routes/routes-diff.js";

describe("getPathShape: what a client sees of a path", () => {
  it.each([
    ["/users/:id", "/users/:userId"],
    ["/users/{id}/orders", "/users/{userId}/orders"],
    ["/api/invoices/[id]", "/api/invoices/[invoiceId]"],
    ["/files/:path*", "/files/:rest*"],
  ])("%s and %s are the same endpoint", (a, b) => {
    expect(getPathShape(a)).toBe(getPathShape(b));
  });

  it.each([
    ["/users/:id", "/members/:id"],
    ["/users/:id", "/users/:id/orders"],
    ["/files/:path*", "/files/:path"],
    ["/users/me", "/users/:id"],
  ])("%s and %s are different endpoints", (a, b) => {
    expect(getPathShape(a)).not.toBe(getPathShape(b));
  });
});
