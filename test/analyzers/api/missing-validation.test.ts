import missingValidation from "../../../src/analyzers/api/missing-validation.js";
import { testRule } from "../../helpers/rule-tester.js";

// Message id: "unvalidatedWrite". "unvalidatedUrl" and "unvalidatedCall" (other sinks, code in other files): missing-validation-sinks.test.ts.

const expressHead = `import { Router } from "express";
import { prisma } from "../db";
import { requireAuth } from "../middleware/auth";

const router = Router();
`;

const validatedProjects = `import { Router } from "express";
import { celebrate, Joi, Segments } from "celebrate";
import { prisma } from "../db";

const router = Router();

router.post(
  "/projects",
  celebrate({ [Segments.BODY]: Joi.object({ name: Joi.string().max(80).required() }) }),
  async (req, res) => {
    const project = await prisma.project.create({ data: req.body });
    res.status(201).json(project);
  },
);

export default router;
`;

testRule(missingValidation, {
  valid: [
    { name: "express: zod parse in the handler", filename: "src/routes/users.ts",
      code: `${expressHead}import { z } from "zod";\nconst NewUser = z.object({ email: z.string().email(), name: z.string().min(1) });\nrouter.post("/users", requireAuth, async (req, res) => {\n  const input = NewUser.parse(req.body);\n  res.status(201).json(await prisma.user.create({ data: input }));\n});\n` },
    { name: "express: celebrate middleware", filename: "src/routes/projects.ts", code: validatedProjects },
    { name: "express: express-validator chain", filename: "src/routes/users.ts",
      code: `${expressHead}import { body } from "express-validator";\nrouter.post("/users", body("email").isEmail(), body("name").isLength({ min: 1 }), async (req, res) => {\n  res.status(201).json(await prisma.user.create({ data: req.body }));\n});\n` },
    { name: "express: input only logged and echoed", filename: "src/routes/debug.ts",
      code: `${expressHead}import { logger } from "../logger";\nrouter.post("/debug/echo", requireAuth, (req, res) => {\n  logger.info({ body: req.body, query: req.query }, "echo");\n  res.json(req.body);\n});\n` },
    { name: "express: only a path id, data constant", filename: "src/routes/orders.ts",
      code: `${expressHead}router.post("/orders/:id/cancel", requireAuth, async (req, res) => {\n  const order = await prisma.order.update({ where: { id: req.params.id }, data: { status: "cancelled" } });\n  res.json(order);\n});\n` },
    { name: "express: hand-written checks answering 400", filename: "src/routes/newsletter.ts",
      code: `${expressHead}router.post("/newsletter", async (req, res) => {\n  const { email } = req.body;\n  if (typeof email !== "string" || !email.includes("@")) return res.status(400).json({ error: "invalid email" });\n  await prisma.subscriber.create({ data: { email } });\n  res.sendStatus(204);\n});\n` },
    { name: "express: handler from another module (cannot tell)", filename: "src/routes/users.ts",
      code: `${expressHead}import { createUser } from "../controllers/users";\nrouter.post("/users", requireAuth, createUser);\n` },
    { name: "look-alikes: a header, a Map, an HMAC over the raw body", filename: "src/routes/hooks.ts",
      code: `${expressHead}import crypto from "node:crypto";\nconst seen = new Map<string, unknown>();\nrouter.post("/hooks/acme", (req, res) => {\n  const digest = crypto.createHmac("sha256", process.env.ACME_SECRET!).update(req.body).digest("hex");\n  seen.set(digest, req.body);\n  res.set("X-Digest", req.query.trace as string);\n  res.sendStatus(202);\n});\n` },
    { name: "express: an unchanged handler in a modified file", filename: "src/routes/notes.ts",
      base: `${expressHead}router.post("/notes", requireAuth, async (req, res) => {\n  res.json(await prisma.note.create({ data: req.body }));\n});\n`,
      code: `${expressHead}router.post("/notes", requireAuth, async (req, res) => {\n  res.json(await prisma.note.create({ data: req.body }));\n});\nrouter.get("/notes", requireAuth, async (_req, res) => res.json(await prisma.note.findMany({ take: 20 })));\n` },
    { name: "express: input passed to a payment SDK, and numbers parsed from the query", filename: "src/routes/billing.ts",
      code: `${expressHead}import Stripe from "stripe";\nconst stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);\nrouter.post("/billing/customer", requireAuth, async (req, res) => {\n  const customer = await stripe.customers.create({ email: req.body.email, name: req.body.name });\n  res.status(201).json({ id: customer.id });\n});\nrouter.post("/billing/credits", requireAuth, async (req, res) => {\n  const amount = Number(req.query.amount);\n  res.json(await prisma.credit.create({ data: { amount: Math.min(Math.max(amount, 0), 1000), userId: req.user.id } }));\n});\n` },
    { name: "fastify: a route schema", filename: "src/server.ts",
      code: `import Fastify from "fastify";\nimport { db, items } from "./db";\nconst app = Fastify();\napp.post("/items", { schema: { body: { type: "object", required: ["name"], properties: { name: { type: "string" } } } } }, async (request) => {\n  return db.insert(items).values(request.body).returning();\n});\n` },
    { name: "nestjs: a class-validator DTO", filename: "src/users/users.controller.ts",
      code: `import { Body, Controller, Post } from "@nestjs/common";\nimport { CreateUserDto } from "./dto/create-user.dto";\n@Controller("users")\nexport class UsersController {\n  constructor(private readonly users: UsersRepository) {}\n  @Post()\n  create(@Body() dto: CreateUserDto) {\n    return this.users.save(dto);\n  }\n}\n` },
    { name: "nestjs: a zod validation pipe on the body", filename: "src/users/users.controller.ts",
      code: `import { Body, Controller, Post } from "@nestjs/common";\nimport { ZodValidationPipe } from "nestjs-zod";\n@Controller("users")\nexport class UsersController {\n  @Post()\n  create(@Body(new ZodValidationPipe(createUserSchema)) body: unknown) {\n    return this.users.create(body);\n  }\n}\n` },
    { name: "hono: zValidator and c.req.valid", filename: "src/books.ts",
      code: `import { Hono } from "hono";\nimport { zValidator } from "@hono/zod-validator";\nconst app = new Hono();\napp.post("/books", zValidator("json", bookSchema), async (c) => {\n  const book = c.req.valid("json");\n  return c.json(await db.insert(books).values(book).returning(), 201);\n});\n` },
    { name: "nextjs: schema.parse of request.json()", filename: "app/api/posts/route.ts",
      code: `import { NextResponse } from "next/server";\nimport { prisma } from "@/lib/prisma";\nimport { postSchema } from "@/lib/schemas";\nexport async function POST(request: Request) {\n  const data = postSchema.parse(await request.json());\n  return NextResponse.json(await prisma.post.create({ data }), { status: 201 });\n}\n` },
    { name: "zod-openapi: body schema declared in createRoute's request, route registered on a typed parameter", filename: "apps/server/src/routes/v1/monitors/post.ts",
      code: `import { createRoute } from "@hono/zod-openapi";\nimport { db } from "@acme/db";\nimport type { monitorsApi } from "./index";\nimport { MonitorInput } from "./schema";\nconst postRoute = createRoute({\n  method: "post",\n  path: "/",\n  request: { body: { content: { "application/json": { schema: MonitorInput } } } },\n  responses: { 200: { description: "Created" } },\n});\nexport function registerPostMonitor(api: typeof monitorsApi) {\n  return api.openapi(postRoute, async (c) => {\n    const input = c.req.valid("json");\n    const body = await c.req.json();\n    return c.json(await db.insert(monitor).values({ ...input, name: body.name }).returning(), 200);\n  });\n}\n` },
    { name: "zod-openapi: inline createRoute with a query schema on an OpenAPIHono app", filename: "apps/server/src/routes/v1/search.ts",
      code: `import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";\nconst app = new OpenAPIHono();\napp.openapi(createRoute({ method: "get", path: "/search", request: { query: z.object({ q: z.string().max(100) }) }, responses: {} }), async (c) => {\n  const query = c.req.query();\n  await db.insert(searches).values({ q: query.q });\n  return c.json(await find(query.q));\n});\n` },
    { name: "koa: ctx.body is the response, not input", filename: "src/tickets.ts",
      code: `import Router from "@koa/router";\nconst router = new Router();\nrouter.post("/tickets/:id/close", async (ctx) => {\n  const ticket = await Ticket.update({ status: "closed" }, { where: { id: ctx.params.id } });\n  ctx.body = ticket;\n});\n` },
  ],
  invalid: [
    { name: "express: req.body straight into prisma create", filename: "src/routes/users.ts",
      code: `${expressHead}router.post("/users", requireAuth, async (req, res) => {\n  const user = await prisma.user.create({ data: req.body });\n  res.status(201).json(user);\n});\n`,
      findings: [{ messageId: "unvalidatedWrite", line: 7 }] },
    { name: "express: destructured fields into a Sequelize create", filename: "src/routes/users.ts",
      code: `import express from "express";\nimport { User } from "../models";\nconst router = express.Router();\nrouter.post("/signup-requests", async (req, res) => {\n  const { name, email, plan } = req.body;\n  const user = await User.create({ name, email, plan });\n  res.status(201).json(user);\n});\n`,
      findings: [{ messageId: "unvalidatedWrite", line: 6 }] },
    { name: "express: body spread into a knex insert", filename: "src/routes/comments.ts",
      code: `import { Router } from "express";\nimport { knex } from "../db";\nconst router = Router();\nrouter.post("/comments", async (req, res) => {\n  const [comment] = await knex("comments").insert({ ...req.body, authorId: req.user.id }).returning("*");\n  res.status(201).json(comment);\n});\n`,
      findings: [{ messageId: "unvalidatedWrite", line: 5 }] },
    { name: "express: new Model(req.body).save() (Mongoose)", filename: "src/routes/orders.ts",
      code: `import { Router } from "express";\nimport { Order } from "../models/order";\nconst router = Router();\nasync function createOrder(req, res) {\n  const order = new Order(req.body);\n  await order.save();\n  res.status(201).json(order);\n}\nrouter.post("/orders", createOrder);\n`,
      findings: [{ messageId: "unvalidatedWrite", line: 6 }] },
    { name: "express: validation middleware removed from an existing route", filename: "src/routes/projects.ts", base: validatedProjects,
      code: validatedProjects.replace(`  celebrate({ [Segments.BODY]: Joi.object({ name: Joi.string().max(80).required() }) }),\n`, `  express.json({ limit: "1mb" }),\n`),
      findings: [{ messageId: "unvalidatedWrite", line: 9 }] },
    { name: "fastify: request.body into a drizzle insert without schema", filename: "src/server.ts",
      code: `import Fastify from "fastify";\nimport { db, items } from "./db";\nconst app = Fastify();\napp.post("/items", async (request, reply) => {\n  const [item] = await db.insert(items).values(request.body).returning();\n  return reply.code(201).send(item);\n});\n`,
      findings: [{ messageId: "unvalidatedWrite", line: 5 }] },
    { name: "nestjs: an untyped @Body() saved as-is", filename: "src/users/users.controller.ts",
      code: `import { Body, Controller, Param, Patch } from "@nestjs/common";\n@Controller("users")\nexport class UsersController {\n  constructor(private readonly users: UsersRepository) {}\n  @Patch(":id")\n  update(@Param("id") id: string, @Body() body: any) {\n    return this.users.update(id, body);\n  }\n}\n`,
      findings: [{ messageId: "unvalidatedWrite", line: 7 }] },
    { name: "nextjs: request.json() into prisma", filename: "app/api/posts/route.ts",
      code: `import { NextResponse } from "next/server";\nimport { prisma } from "@/lib/prisma";\nexport async function POST(request: Request) {\n  const body = await request.json();\n  const post = await prisma.post.create({ data: { ...body, published: false } });\n  return NextResponse.json(post, { status: 201 });\n}\n`,
      findings: [{ messageId: "unvalidatedWrite", line: 5 }] },
    { name: "nextjs pages/api: req.body into an update", filename: "pages/api/profile.ts",
      code: `import type { NextApiRequest, NextApiResponse } from "next";\nimport { prisma } from "../../lib/prisma";\nexport default async function handler(req: NextApiRequest, res: NextApiResponse) {\n  if (req.method === "PUT") {\n    res.json(await prisma.profile.update({ where: { userId: String(req.query.userId) }, data: req.body }));\n  }\n}\n`,
      findings: [{ messageId: "unvalidatedWrite", line: 5 }] },
    { name: "koa: ctx.request.body into a create", filename: "src/tickets.ts",
      code: `import Router from "@koa/router";\nimport { Ticket } from "./models";\nconst router = new Router({ prefix: "/tickets" });\nrouter.post("/", async (ctx) => {\n  ctx.body = await Ticket.create(ctx.request.body);\n});\n`,
      findings: [{ messageId: "unvalidatedWrite", line: 5 }] },
    { name: "zod-openapi: createRoute without a request schema, c.req.json() into an insert", filename: "apps/server/src/routes/v1/books.ts",
      code: `import { createRoute, OpenAPIHono } from "@hono/zod-openapi";\nconst books = new OpenAPIHono();\nconst postRoute = createRoute({ method: "post", path: "/", responses: { 201: { description: "Created" } } });\nbooks.openapi(postRoute, async (c) => {\n  const body = await c.req.json();\n  const [book] = await db.insert(booksTable).values(body).returning();\n  return c.json(book, 201);\n});\n`,
      findings: [{ messageId: "unvalidatedWrite", line: 6 }] },
    { name: "hono: c.req.json() into a drizzle insert", filename: "src/books.ts",
      code: `import { Hono } from "hono";\nconst app = new Hono();\napp.post("/books", async (c) => {\n  const body = await c.req.json();\n  const [book] = await db.insert(books).values(body).returning();\n  return c.json(book, 201);\n});\n`,
      findings: [{ messageId: "unvalidatedWrite", line: 5 }] },
  ],
});
