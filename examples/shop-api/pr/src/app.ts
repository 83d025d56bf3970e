import express from "express";
import { ordersRouter } from "./routes/orders";
import { webhooksRouter } from "./routes/webhooks";

export const app = express();
app.use(webhooksRouter);
app.use(express.json());
app.use("/api", ordersRouter);
