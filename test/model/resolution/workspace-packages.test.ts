import { describe, expect, it } from "vitest";
import { createModuleResolver } from "../../../src/model/resolution/create-module-resolver.js";
import { createMemoryRepoTree, json, stubs } from "./memory-repo-tree.js";

type Case = [from: string, specifier: string, expected: string];
type Silent = [from: string, specifier: string, why: string];

const pnpmMonorepo = {
  "package.json": json({ name: "acme", private: true }),
  "pnpm-workspace.yaml": `packages:
  - "packages/*"
  - apps/**
  # tests carry fake packages
  - "!**/test/**"
  - '!packages/legacy'
`,
  "packages/db/package.json": json({ name: "@acme/db", main: "dist/index.js", types: "dist/index.d.ts" }),
  ...stubs("packages/db/src/index.ts", "packages/db/src/client.ts"),
  "packages/db-utils/package.json": json({ name: "@acme/db-utils", main: "./src/index.ts" }),
  ...stubs("packages/db-utils/src/index.ts"),
  "packages/events/package.json": json({
    name: "@acme/events",
    exports: {
      ".": { types: "./dist/index.d.ts", import: "./dist/index.mjs", require: "./dist/index.cjs" },
      "./topics/*": { import: "./dist/topics/*.mjs", require: "./dist/topics/*.cjs" },
      "./topics/internal/*": null,
      "./testing": { browser: "./dist/testing-browser.js", node: { import: "./dist/testing.mjs" }, default: "./dist/testing-browser.js" },
      "./package.json": "./package.json",
    },
  }),
  "packages/events/tsconfig.build.json": `{ "extends": "./tsconfig.json", "compilerOptions": { "outDir": "./dist", "rootDir": "./source", }, }`,
  "packages/events/tsconfig.json": json({ compilerOptions: { strict: true } }),
  ...stubs(
    "packages/events/source/index.ts",
    "packages/events/source/topics/orders.ts",
    "packages/events/source/topics/internal/secret.ts",
    "packages/events/source/testing.ts",
    "packages/events/source/testing-browser.ts",
  ),
  "packages/ui/package.json": json({ name: "@acme/ui", exports: { ".": { "@acme/source": "./src/entry.ts", default: "./dist/index.js" } } }),
  ...stubs("packages/ui/src/entry.ts", "packages/ui/src/index.ts"),
  "packages/str/package.json": json({ name: "@acme/str", exports: "./lib/index.js" }),
  ...stubs("packages/str/src/index.ts"),
  "packages/dir-main/package.json": json({ name: "@acme/dir-main", main: "dist" }),
  ...stubs("packages/dir-main/src/index.ts"),
  "packages/typed/package.json": json({ name: "@acme/typed", types: "./types/index.d.ts", main: "./lib/index.js" }),
  ...stubs("packages/typed/src/index.ts"),
  "packages/esm-only/package.json": json({ name: "@acme/esm-only", exports: { "./*": "./build/*.mjs" } }),
  ...stubs("packages/esm-only/src/jobs.ts", "packages/esm-only/src/queues.mts"),
  "packages/no-source/package.json": json({ name: "@acme/no-source", main: "dist/index.js" }),
  ...stubs("packages/no-source/src/main.ts"),
  "packages/legacy/package.json": json({ name: "@acme/legacy", main: "index.js" }),
  ...stubs("packages/legacy/index.ts"),
  "apps/api/package.json": json({
    name: "@acme/api",
    imports: { "#db": "./src/db/client.js", "#utils/*": "./src/utils/*.js", "#events": "@acme/events", "#missing": "./src/nope.js" },
  }),
  "apps/api/tsconfig.json": json({ compilerOptions: { customConditions: ["@acme/source"] } }),
  ...stubs("apps/api/src/server.ts", "apps/api/src/db/client.ts", "apps/api/src/utils/strings.ts"),
  "apps/api/test/fixtures/package.json": json({ name: "@acme/db", main: "index.js" }),
  ...stubs("apps/api/test/fixtures/index.ts"),
  "apps/api/node_modules/@acme/db/package.json": json({ name: "@acme/db", main: "index.js" }),
  "apps/api/node_modules/@acme/db/index.js": "module.exports = {};",
  "apps/admin/package.json": json({ name: "@acme/admin" }),
  ...stubs("apps/admin/src/main.ts"),
};

describe("pnpm workspace packages", () => {
  const resolver = createModuleResolver(createMemoryRepoTree(pnpmMonorepo));
  const from = "apps/api/src/server.ts";
  const cases: Case[] = [
    [from, "@acme/db", "packages/db/src/index.ts"],
    [from, "@acme/db/client", "packages/db/src/client.ts"],
    [from, "@acme/db/dist/client.js", "packages/db/src/client.ts"],
    [from, "@acme/db-utils", "packages/db-utils/src/index.ts"],
    [from, "@acme/events", "packages/events/source/index.ts"],
    [from, "@acme/events/topics/orders", "packages/events/source/topics/orders.ts"],
    [from, "@acme/events/testing", "packages/events/source/testing.ts"],
    [from, "@acme/ui", "packages/ui/src/entry.ts"],
    ["apps/admin/src/main.ts", "@acme/ui", "packages/ui/src/index.ts"],
    [from, "@acme/str", "packages/str/src/index.ts"],
    [from, "@acme/dir-main", "packages/dir-main/src/index.ts"],
    [from, "@acme/typed", "packages/typed/src/index.ts"],
    [from, "@acme/esm-only/jobs", "packages/esm-only/src/jobs.ts"],
    [from, "@acme/esm-only/queues", "packages/esm-only/src/queues.mts"],
    [from, "#db", "apps/api/src/db/client.ts"],
    [from, "#utils/strings", "apps/api/src/utils/strings.ts"],
    [from, "#events", "packages/events/source/index.ts"],
    ["packages/db/src/client.ts", "@acme/db", "packages/db/src/index.ts"],
  ];
  it.each(cases)("%s imports %s → %s", async (importer, specifier, expected) => {
    expect(await resolver.resolve(importer, specifier)).toBe(expected);
  });

  const silent: Silent[] = [
    [from, "@acme/db-utilities", "a name that only shares a prefix"],
    [from, "@acme/d", "a name that is a prefix of a package"],
    [from, "@acme", "a scope alone"],
    [from, "@acme/events/topics/internal/secret", "excluded by a null export"],
    [from, "@acme/events/not-exported", "neither exported nor a file of the package"],
    [from, "@acme/events/package.json", "not a source file"],
    [from, "@acme/legacy", "excluded by a ! pattern"],
    [from, "@acme/no-source", "build output whose source is not in the tree"],
    [from, "@acme/esm-only/missing", "a pattern export with nothing behind it"],
    [from, "#missing", "a subpath import whose target is absent"],
    [from, "#nope", "an unknown subpath import"],
    [from, "express", "a library"],
    [from, "@prisma/client", "a library"],
    [from, "lodash/fp", "a library subpath"],
    [from, "node:fs", "a Node built-in"],
    [from, "fs/promises", "a Node built-in"],
    [from, "https://esm.sh/preact", "a URL"],
  ];
  it.each(silent)("%s imports %s → undefined (%s)", async (importer, specifier) => {
    expect(await resolver.resolve(importer, specifier)).toBeUndefined();
  });
});

describe("npm and yarn workspaces", () => {
  it("reads the array form of package.json workspaces", async () => {
    const resolver = createModuleResolver(
      createMemoryRepoTree({
        "package.json": json({ name: "root", workspaces: ["packages/*", "./services/billing/"] }),
        "packages/db/package.json": json({ name: "@shop/db", main: "./build/index.js" }),
        ...stubs("packages/db/src/index.ts", "services/billing/src/index.ts", "services/other/src/index.ts", "services/api/src/app.ts"),
        "services/billing/package.json": json({ name: "billing", exports: { ".": "./src/index.ts" } }),
        "services/other/package.json": json({ name: "other" }),
      }),
    );
    expect(await resolver.resolve("services/api/src/app.ts", "@shop/db")).toBe("packages/db/src/index.ts");
    expect(await resolver.resolve("services/api/src/app.ts", "billing")).toBe("services/billing/src/index.ts");
    expect(await resolver.resolve("services/api/src/app.ts", "other")).toBeUndefined();
  });

  it("reads the object form ({ packages, nohoist }) of yarn workspaces", async () => {
    const resolver = createModuleResolver(
      createMemoryRepoTree({
        "package.json": json({ private: true, workspaces: { packages: ["libs/**"], nohoist: ["**/react-native"] } }),
        "libs/core/cache/package.json": json({ name: "@x/cache", module: "./esm/index.js", main: "./cjs/index.js" }),
        ...stubs("libs/core/cache/src/index.ts", "app.ts"),
      }),
    );
    expect(await resolver.resolve("app.ts", "@x/cache")).toBe("libs/core/cache/src/index.ts");
  });

  it("finds a monorepo kept in a subfolder by its lockfile", async () => {
    const resolver = createModuleResolver(
      createMemoryRepoTree({
        "README.md": "# product",
        "backend/package.json": json({ workspaces: ["packages/*"] }),
        "backend/package-lock.json": "{}",
        "backend/packages/db/package.json": json({ name: "@be/db" }),
        ...stubs("backend/packages/db/index.ts", "backend/packages/api/src/app.ts"),
      }),
    );
    expect(await resolver.resolve("backend/packages/api/src/app.ts", "@be/db")).toBe("backend/packages/db/index.ts");
  });

  it("knows no package without a workspace declaration", async () => {
    const resolver = createModuleResolver(
      createMemoryRepoTree({
        "package.json": json({ name: "root" }),
        "packages/db/package.json": json({ name: "@shop/db", main: "./src/index.ts" }),
        ...stubs("packages/db/src/index.ts", "src/app.ts"),
      }),
    );
    expect(await resolver.resolve("src/app.ts", "@shop/db")).toBeUndefined();
  });

  it("survives a broken pnpm-workspace.yaml and broken manifests", async () => {
    const resolver = createModuleResolver(
      createMemoryRepoTree({
        "pnpm-workspace.yaml": "packages: [unclosed",
        "package.json": "{ not json",
        "packages/db/package.json": json({ name: "@shop/db" }),
        ...stubs("packages/db/index.ts", "src/app.ts"),
      }),
    );
    expect(await resolver.resolve("src/app.ts", "@shop/db")).toBeUndefined();
  });
});

describe("paths and workspace packages together", () => {
  const resolver = createModuleResolver(
    createMemoryRepoTree({
      "package.json": json({ workspaces: ["packages/*"] }),
      "tsconfig.json": json({ compilerOptions: { paths: { "@acme/*": ["./packages/*/src"] } } }),
      "packages/database/package.json": json({ name: "@acme/db", main: "./dist/main.js" }),
      "packages/queue/package.json": json({ name: "@acme/queue" }),
      ...stubs("packages/database/src/main.ts", "packages/queue/src/index.ts", "packages/queue/index.ts", "src/app.ts"),
    }),
  );
  it("prefers paths, as TS does", async () => {
    expect(await resolver.resolve("src/app.ts", "@acme/queue")).toBe("packages/queue/src/index.ts");
  });
  it("falls through to the workspace package when the paths target is missing", async () => {
    expect(await resolver.resolve("src/app.ts", "@acme/db")).toBe("packages/database/src/main.ts");
  });
  it("finds neither for a name that is no package and no folder", async () => {
    expect(await resolver.resolve("src/app.ts", "@acme/database")).toBeUndefined();
  });
});

describe("tsconfig extends through a workspace package", () => {
  const resolver = createModuleResolver(
    createMemoryRepoTree({
      "package.json": json({ workspaces: ["tooling/*", "apps/*"] }),
      "tooling/tsconfig/package.json": json({ name: "@acme/tsconfig", exports: { "./base": "./base.json" }, tsconfig: "./default.json" }),
      "tooling/tsconfig/base.json": json({ compilerOptions: { paths: { "@app/*": ["${configDir}/src/*"] } } }),
      "tooling/tsconfig/default.json": json({ compilerOptions: { baseUrl: "${configDir}/src" } }),
      "apps/a/package.json": json({ name: "a" }),
      "apps/a/tsconfig.json": json({ extends: "@acme/tsconfig/base" }),
      "apps/b/package.json": json({ name: "b" }),
      "apps/b/tsconfig.json": json({ extends: "@acme/tsconfig" }),
      ...stubs("apps/a/src/main.ts", "apps/a/src/orders/service.ts", "apps/b/src/main.ts", "apps/b/src/lib/http.ts"),
    }),
  );
  it("resolves extends through the package's exports", async () => {
    expect(await resolver.resolve("apps/a/src/main.ts", "@app/orders/service")).toBe("apps/a/src/orders/service.ts");
  });
  it("resolves a bare package extends through its tsconfig field", async () => {
    expect(await resolver.resolve("apps/b/src/main.ts", "lib/http")).toBe("apps/b/src/lib/http.ts");
  });
  it("does not apply one app's config to another", async () => {
    expect(await resolver.resolve("apps/b/src/main.ts", "@app/orders/service")).toBeUndefined();
    expect(await resolver.resolve("apps/a/src/main.ts", "lib/http")).toBeUndefined();
  });
});
