-- Track payment state on orders.
ALTER TABLE "Order" ADD COLUMN "status" TEXT NOT NULL;

CREATE INDEX "Order_status_idx" ON "Order"("status");
