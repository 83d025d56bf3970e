import { describe, expect, it } from "vitest";
import { createModuleResolver } from "../../../src/model/resolution/create-module-resolver.js";
import { createMemoryRepoTree, json, stubs } from "./memory-repo-tree.js";

const tree = createMemoryRepoTree({
  ...stubs(
    "src/app.ts",
    "src/db.ts",
    "src/user.service.ts",
    "src/esm/handler.mts",
    "src/cjs/legacy.cts",
    "src/view.tsx",
    "src/plain.js",
    "src/both.ts",
    "src/both.js",
    "src/routes/index.ts",
    "src/routes/users.ts",
    "src/jobs/index.mjs",
    "src/types.d.ts",
    "src/only-js/index.js",
    "src/config.json",
    "src/api/v1/orders.ts",
    "src/local-lib/lib/main.ts",
    "index.ts",
  ),
  "src/local-lib/package.json": json({ main: "./lib/main.js" }),
});

describe("relative imports", () => {
  const resolver = createModuleResolver(tree);
  const cases: Array<[from: string, specifier: string, expected: string | undefined]> = [
    ["src/app.ts", "./db", "src/db.ts"],
    ["src/app.ts", "./db.js", "src/db.ts"],
    ["src/app.ts", "./db.ts", "src/db.ts"],
    ["src/app.ts", "./user.service", "src/user.service.ts"],
    ["src/app.ts", "./user.service.js", "src/user.service.ts"],
    ["src/app.ts", "./esm/handler.mjs", "src/esm/handler.mts"],
    ["src/app.ts", "./cjs/legacy.cjs", "src/cjs/legacy.cts"],
    ["src/app.ts", "./view.jsx", "src/view.tsx"],
    ["src/app.ts", "./view.js", "src/view.tsx"],
    ["src/app.ts", "./plain.js", "src/plain.js"],
    ["src/app.ts", "./plain", "src/plain.js"],
    ["src/app.ts", "./both.js", "src/both.ts"],
    ["src/app.ts", "./routes", "src/routes/index.ts"],
    ["src/app.ts", "./routes/", "src/routes/index.ts"],
    ["src/app.ts", "./routes/index.js", "src/routes/index.ts"],
    ["src/app.ts", "./jobs", "src/jobs/index.mjs"],
    ["src/app.ts", "./only-js", "src/only-js/index.js"],
    ["src/app.ts", "./local-lib", "src/local-lib/lib/main.ts"],
    ["src/api/v1/orders.ts", "../../db", "src/db.ts"],
    ["src/api/v1/orders.ts", "../../../index.js", "index.ts"],
    ["src/routes/users.ts", ".", "src/routes/index.ts"],
    ["src/routes/users.ts", "./", "src/routes/index.ts"],
    ["index.ts", "./src/app", "src/app.ts"],
  ];
  it.each(cases)("%s imports %s → %s", async (from, specifier, expected) => {
    expect(await resolver.resolve(from, specifier)).toBe(expected);
  });

  const silent: Array<[from: string, specifier: string]> = [
    ["src/app.ts", "./missing"],
    ["src/app.ts", "./missing.js"],
    ["src/app.ts", "./types"],
    ["src/app.ts", "./types.js"],
    ["src/app.ts", "./config.json"],
    ["src/app.ts", "./config"],
    ["src/app.ts", "./db.mjs"],
    ["src/app.ts", "../../outside"],
    ["src/app.ts", "/abs/path"],
    ["src/app.ts", ""],
    ["src/api/v1/orders.ts", "./db"],
    ["src/routes/users.ts", ".."],
  ];
  it.each(silent)("%s imports %s → undefined", async (from, specifier) => {
    expect(await resolver.resolve(from, specifier)).toBeUndefined();
  });
});
