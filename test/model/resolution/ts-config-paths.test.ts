import { describe, expect, it } from "vitest";
import { createModuleResolver } from "../../../src/model/resolution/create-module-resolver.js";
import { createMemoryRepoTree, json, stubs } from "./memory-repo-tree.js";

/** A monorepo without workspaces: packages found only through tsconfig `paths` and `baseUrl`. */
const files = {
  "package.json": json({ name: "shop", private: true, workspaces: ["config/*"] }),
  "tsconfig.base.json": `// shared by every package
{
  "compilerOptions": {
    /* resolve from the repository root */
    "baseUrl": ".",
    "paths": {
      "@shop/*": ["packages/*/src"],
      "@shop/shared": ["packages/shared/src/public.ts"],
      "@lib/*": ["libs/*/src", "libs/*"],
      "@ghost/*": ["missing/*",],
    },
  },
}
`,
  "tsconfig.json": `{ "extends": "./tsconfig.base", "include": ["scripts"] }`,
  ...stubs(
    "scripts/seed.ts",
    "scripts/util.ts",
    "packages/orders/src/index.ts",
    "packages/orders/src/service.ts",
    "packages/orders/src/repo.ts",
    "packages/shared/src/index.ts",
    "packages/shared/src/public.ts",
    "libs/a/index.ts",
    "libs/b/src/index.ts",
    "libs/b/index.ts",
    "src/express.ts",
  ),
  // Its own paths replace the base's whole (TS never merges `paths`); baseUrl is inherited.
  "packages/orders/tsconfig.json": json({ extends: "../../tsconfig.base.json", compilerOptions: { paths: { "@/*": ["./packages/orders/src/*"] } } }),

  // A shared config package, extended by name.
  "config/tsconfig/package.json": json({ name: "@acme/tsconfig", version: "1.0.0" }),
  "config/tsconfig/node.json": json({ compilerOptions: { baseUrl: "${configDir}", paths: { "@/*": ["./src/*"] } } }),
  "config/tsconfig/tsconfig.json": json({ compilerOptions: { paths: { "#lib/*": ["./lib/*"] } } }),
  ...stubs("config/tsconfig/lib/x.ts"),
  "apps/api/tsconfig.json": json({ extends: "@acme/tsconfig/node.json" }),
  ...stubs("apps/api/src/app.ts", "apps/api/src/db.ts"),
  "apps/worker/tsconfig.json": json({ extends: ["@acme/tsconfig/node", "./tsconfig.paths.json"] }),
  "apps/worker/tsconfig.paths.json": json({ compilerOptions: { paths: { "@jobs/*": ["src/jobs/*"] } } }),
  ...stubs("apps/worker/src/main.ts", "apps/worker/src/db.ts", "apps/worker/src/jobs/email.ts"),
  "apps/admin/tsconfig.json": json({ extends: "@acme/tsconfig" }),
  ...stubs("apps/admin/src/main.ts"),

  // jsconfig, and a folder with both (tsconfig wins).
  "legacy/jsconfig.json": json({ compilerOptions: { baseUrl: "src" } }),
  ...stubs("legacy/src/a.js", "legacy/src/b.js"),
  "both/jsconfig.json": json({ compilerOptions: { baseUrl: "js" } }),
  "both/tsconfig.json": json({ compilerOptions: { baseUrl: "ts" } }),
  ...stubs("both/main.ts", "both/js/x.js", "both/ts/x.ts"),

  // A cycle of extends.
  "cyc/tsconfig.json": json({ extends: "./a.json" }),
  "cyc/a.json": json({ extends: "./b.json" }),
  "cyc/b.json": json({ extends: "./a.json", compilerOptions: { paths: { "~/*": ["./src/*"] } } }),
  ...stubs("cyc/src/main.ts", "cyc/src/util.ts"),

  // Solution-style config (Vite's template): the referenced config that includes the file decides.
  "web/tsconfig.json": json({ files: [], references: [{ path: "./tsconfig.app.json" }, { path: "./tsconfig.node.json" }] }),
  "web/tsconfig.app.json": json({ include: ["src"], compilerOptions: { paths: { "@/*": ["./src/*"] } } }),
  "web/tsconfig.node.json": json({ include: ["vite.config.ts"], compilerOptions: { paths: { "@/*": ["./config/*"] } } }),
  ...stubs("web/src/main.tsx", "web/src/api.ts", "web/vite.config.ts", "web/config/api.ts"),
};

describe("tsconfig paths and baseUrl", () => {
  const resolver = createModuleResolver(createMemoryRepoTree(files));
  const cases: Array<[from: string, specifier: string, expected: string]> = [
    ["scripts/seed.ts", "@shop/orders", "packages/orders/src/index.ts"],
    ["scripts/seed.ts", "@shop/shared", "packages/shared/src/public.ts"],
    ["scripts/seed.ts", "@lib/a", "libs/a/index.ts"],
    ["scripts/seed.ts", "@lib/b", "libs/b/src/index.ts"],
    ["scripts/seed.ts", "scripts/util", "scripts/util.ts"],
    ["scripts/seed.ts", "scripts/util.js", "scripts/util.ts"],
    ["packages/orders/src/service.ts", "@/repo", "packages/orders/src/repo.ts"],
    ["apps/api/src/app.ts", "@/db", "apps/api/src/db.ts"],
    ["apps/worker/src/main.ts", "@jobs/email", "apps/worker/src/jobs/email.ts"],
    ["apps/worker/src/main.ts", "src/db", "apps/worker/src/db.ts"],
    ["apps/admin/src/main.ts", "#lib/x", "config/tsconfig/lib/x.ts"],
    ["legacy/src/a.js", "b", "legacy/src/b.js"],
    ["both/main.ts", "x", "both/ts/x.ts"],
    ["cyc/src/main.ts", "~/util", "cyc/src/util.ts"],
    ["web/src/main.tsx", "@/api", "web/src/api.ts"],
    ["web/vite.config.ts", "@/api", "web/config/api.ts"],
  ];
  it.each(cases)("%s imports %s → %s", async (from, specifier, expected) => {
    expect(await resolver.resolve(from, specifier)).toBe(expected);
  });

  const silent: Array<[from: string, specifier: string, why: string]> = [
    ["scripts/seed.ts", "@ghost/thing", "a paths target that is missing falls through to nothing"],
    ["scripts/seed.ts", "@shop/missing", "the pattern matches but the package folder is absent"],
    ["scripts/seed.ts", "@shop-internal/orders", "a key that merely shares a prefix"],
    ["scripts/seed.ts", "express", "a library, even with baseUrl at the root"],
    ["scripts/seed.ts", "@prisma/client", "a library"],
    ["scripts/seed.ts", "fs", "a Node built-in"],
    ["scripts/seed.ts", "node:fs/promises", "a Node built-in"],
    ["packages/orders/src/service.ts", "@shop/shared", "the package's own paths replace the base's"],
    ["apps/worker/src/main.ts", "@/db", "a later extends replaces paths of an earlier one"],
    ["apps/api/src/app.ts", "@/missing", "nothing at the mapped path"],
    ["apps/api/src/app.ts", "@jobs/email", "another package's paths do not apply"],
    ["src/express.ts", "@/db", "the root config maps no such name"],
  ];
  it.each(silent)("%s imports %s → undefined (%s)", async (from, specifier) => {
    expect(await resolver.resolve(from, specifier)).toBeUndefined();
  });
});
