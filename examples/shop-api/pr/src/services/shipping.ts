import axios from "axios";

const shippingApi = axios.create({
  baseURL: process.env.SHIPPING_API_URL,
  headers: { "x-api-key": process.env.SHIPPING_API_KEY ?? "" },
});

export async function quoteShipping(orderId: string, postcode: string) {
  const { data } = await shippingApi.post("/quotes", { orderId, postcode });
  return data as { priceCents: number; carrier: string };
}
