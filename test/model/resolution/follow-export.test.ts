import { describe, expect, it } from "vitest";
import { createModuleResolver } from "../../../src/model/resolution/create-module-resolver.js";
import { followExport } from "../../../src/model/resolution/follow-export.js";
import { createMemoryRepoTree, json } from "./memory-repo-tree.js";

const files: Record<string, string> = {
  "pnpm-workspace.yaml": "packages: ['packages/*', 'apps/*']\n",
  "packages/db/package.json": json({ name: "@acme/db", main: "dist/index.js" }),
  "packages/db/src/index.ts": `
    export * from "./models";
    export { default as prisma } from "./client";
    export { createUser as makeUser } from "./users/create.js";
    import { audit } from "./audit.js";
    import log from "./log";
    import * as helpers from "./helpers";
    export { audit, log as logger, helpers };
    export * as schema from "./models/orders";
    export { PrismaClient } from "@prisma/client";
    export { gone } from "./missing";
    export const VERSION = "1";
  `,
  "packages/db/src/models/index.ts": `export * from "./orders";\nexport * from "./users";\n`,
  "packages/db/src/models/orders/index.ts": `export * from "./order.model";\n`,
  "packages/db/src/models/orders/order.model.ts": `
    export class Order {}
    export const ORDER_TABLE = "orders", { a, b: renamed } = config, [first] = list;
    export default Order;
  `,
  "packages/db/src/models/users/index.ts": `export * from "../../users/create";\nexport type { UserRow } from "./row";\n`,
  "packages/db/src/models/users/row.ts": `export interface UserRow { id: string }\n`,
  "packages/db/src/client.ts": `import { PrismaClient } from "@prisma/client";\nconst client = new PrismaClient();\nexport default client;\n`,
  "packages/db/src/users/create.ts": `export async function createUser() {}\n`,
  "packages/db/src/audit.ts": `export function audit() {}\n`,
  "packages/db/src/log.ts": `export default function log() {}\n`,
  "packages/db/src/helpers.ts": `export const retry = 3;\n`,
  "packages/db/src/rename.ts": `const internal = 1;\nexport { internal as publicName };\nimport { createUser } from "./users/create";\nexport default createUser;\n`,
  "packages/db/src/anonymous.ts": `export default async (req) => req;\n`,
  "packages/db/src/legacy.js": `export * from "./models/index.js";\nexport { audit as default } from "./audit.js";\n`,
  "packages/db/src/no-exports.ts": `const x = 1;\n`,
  "packages/db/src/cycle/a.ts": `export * from "./b";\nexport const inA = 1;\n`,
  "packages/db/src/cycle/b.ts": `export * from "./a";\nexport const inB = 2;\n`,
  "packages/db/src/cycle/c.ts": `import { x } from "./d";\nexport { x };\n`,
  "packages/db/src/cycle/d.ts": `import { x } from "./c";\nexport { x };\n`,
  "packages/db/src/shadow.ts": `export * from "./helpers";\nexport const retry = 5;\n`,
  "apps/api/package.json": json({ name: "api" }),
  "apps/api/src/app.ts": `import { Order, prisma } from "@acme/db";\n`,
};

describe("followExport", () => {
  const resolver = createModuleResolver(createMemoryRepoTree(files));
  const db = "packages/db/src";
  const found: Array<[path: string, name: string, expected: { path: string; name: string }]> = [
    [`${db}/index.ts`, "Order", { path: `${db}/models/orders/order.model.ts`, name: "Order" }],
    [`${db}/index.ts`, "ORDER_TABLE", { path: `${db}/models/orders/order.model.ts`, name: "ORDER_TABLE" }],
    [`${db}/index.ts`, "renamed", { path: `${db}/models/orders/order.model.ts`, name: "renamed" }],
    [`${db}/index.ts`, "first", { path: `${db}/models/orders/order.model.ts`, name: "first" }],
    [`${db}/index.ts`, "createUser", { path: `${db}/users/create.ts`, name: "createUser" }],
    [`${db}/index.ts`, "UserRow", { path: `${db}/models/users/row.ts`, name: "UserRow" }],
    [`${db}/index.ts`, "prisma", { path: `${db}/client.ts`, name: "client" }],
    [`${db}/index.ts`, "makeUser", { path: `${db}/users/create.ts`, name: "createUser" }],
    [`${db}/index.ts`, "audit", { path: `${db}/audit.ts`, name: "audit" }],
    [`${db}/index.ts`, "logger", { path: `${db}/log.ts`, name: "log" }],
    [`${db}/index.ts`, "helpers", { path: `${db}/helpers.ts`, name: "*" }],
    [`${db}/index.ts`, "schema", { path: `${db}/models/orders/index.ts`, name: "*" }],
    [`${db}/index.ts`, "VERSION", { path: `${db}/index.ts`, name: "VERSION" }],
    [`${db}/models/orders/order.model.ts`, "default", { path: `${db}/models/orders/order.model.ts`, name: "Order" }],
    [`${db}/rename.ts`, "publicName", { path: `${db}/rename.ts`, name: "internal" }],
    [`${db}/rename.ts`, "default", { path: `${db}/users/create.ts`, name: "createUser" }],
    [`${db}/anonymous.ts`, "default", { path: `${db}/anonymous.ts`, name: "default" }],
    [`${db}/legacy.js`, "Order", { path: `${db}/models/orders/order.model.ts`, name: "Order" }],
    [`${db}/legacy.js`, "default", { path: `${db}/audit.ts`, name: "audit" }],
    [`${db}/cycle/a.ts`, "inB", { path: `${db}/cycle/b.ts`, name: "inB" }],
    [`${db}/cycle/b.ts`, "inA", { path: `${db}/cycle/a.ts`, name: "inA" }],
    [`${db}/shadow.ts`, "retry", { path: `${db}/shadow.ts`, name: "retry" }],
  ];
  it.each(found)("%s exports %s", async (path, name, expected) => {
    expect(await followExport(resolver, path, name)).toEqual(expected);
  });

  const silent: Array<[path: string, name: string, why: string]> = [
    [`${db}/index.ts`, "PrismaClient", "re-exported from a library"],
    [`${db}/index.ts`, "gone", "re-exported from a missing file"],
    [`${db}/index.ts`, "nothing", "not exported anywhere"],
    [`${db}/models/index.ts`, "default", "export * never forwards default"],
    [`${db}/no-exports.ts`, "x", "a file with no exports"],
    [`${db}/cycle/a.ts`, "nothing", "a cycle of export * terminates"],
    [`${db}/cycle/c.ts`, "x", "a cycle of import/export terminates"],
    [`${db}/missing.ts`, "x", "a file not in the tree"],
    ["packages/db/package.json", "name", "not a source file"],
  ];
  it.each(silent)("%s exports %s → undefined (%s)", async (path, name) => {
    expect(await followExport(resolver, path, name)).toBeUndefined();
  });

  it("follows from an import in an app through the package barrel to the declaration", async () => {
    const barrel = await resolver.resolve("apps/api/src/app.ts", "@acme/db");
    expect(barrel).toBe(`${db}/index.ts`);
    expect(await followExport(resolver, barrel!, "prisma")).toEqual({ path: `${db}/client.ts`, name: "client" });
  });
});
