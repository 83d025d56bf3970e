import { describe, expect, it } from "vitest";
import { createModuleResolver } from "../../../src/model/resolution/create-module-resolver.js";
import { followExport } from "../../../src/model/resolution/follow-export.js";
import { createMemoryRepoTree, json, stubs } from "./memory-repo-tree.js";

function createTree() {
  return createMemoryRepoTree({
    "package.json": json({ workspaces: ["packages/*"] }),
    "tsconfig.json": json({ compilerOptions: { paths: { "@/*": ["./src/*"] } } }),
    "packages/db/package.json": json({ name: "@acme/db", main: "dist/index.js" }),
    "packages/db/tsconfig.json": json({ compilerOptions: { outDir: "dist" } }),
    "packages/db/src/index.ts": `export * from "./a";\nexport * from "./b";\n`,
    "packages/db/src/a.ts": `export const a = 1;\n`,
    "packages/db/src/b.ts": `export const b = 2;\nexport const c = 3;\n`,
    "packages/other/package.json": json({ name: "@acme/other" }),
    "tools/package.json": json({ name: "not-a-workspace" }),
    "tools/tsconfig.json": json({}),
    ...stubs("src/app.ts", "src/db.ts", "src/unrelated.ts", "packages/other/index.ts"),
  });
}

describe("what the resolver reads", () => {
  it("resolves relative imports from the path list alone", async () => {
    const tree = createTree();
    const resolver = createModuleResolver(tree);
    expect(await resolver.resolve("src/app.ts", "./db.js")).toBe("src/db.ts");
    expect(await resolver.resolve("src/app.ts", "./nope")).toBeUndefined();
    expect(tree.reads).toEqual([]);
  });

  it("reads only the configs and manifests it needs, each once", async () => {
    const tree = createTree();
    const resolver = createModuleResolver(tree);
    expect(await resolver.resolve("src/app.ts", "@/db")).toBe("src/db.ts");
    expect(tree.reads).toEqual(["tsconfig.json"]);
    expect(await resolver.resolve("src/app.ts", "@acme/db")).toBe("packages/db/src/index.ts");
    expect(await resolver.resolve("src/unrelated.ts", "@acme/db")).toBe("packages/db/src/index.ts");
    expect(await resolver.resolve("src/app.ts", "express")).toBeUndefined();
    expect([...tree.reads].sort()).toEqual(["package.json", "packages/db/package.json", "packages/db/tsconfig.json", "packages/other/package.json", "tsconfig.json"]);
  });

  it("answers concurrent lookups from one computation", async () => {
    const tree = createTree();
    const resolver = createModuleResolver(tree);
    const answers = await Promise.all([
      resolver.resolve("src/app.ts", "@acme/db"),
      resolver.resolve("src/db.ts", "@acme/db"),
      resolver.resolve("src/app.ts", "@acme/db"),
    ]);
    expect(answers).toEqual(["packages/db/src/index.ts", "packages/db/src/index.ts", "packages/db/src/index.ts"]);
    expect(tree.reads.length).toBe(new Set(tree.reads).size);
  });

  it("parses each followed file at most once and never reads files off the path", async () => {
    const tree = createTree();
    const resolver = createModuleResolver(tree);
    expect(await followExport(resolver, "packages/db/src/index.ts", "a")).toEqual({ path: "packages/db/src/a.ts", name: "a" });
    expect(await followExport(resolver, "packages/db/src/index.ts", "b")).toEqual({ path: "packages/db/src/b.ts", name: "b" });
    expect(await followExport(resolver, "packages/db/src/index.ts", "c")).toEqual({ path: "packages/db/src/b.ts", name: "c" });
    expect(await followExport(resolver, "packages/db/src/index.ts", "z")).toBeUndefined();
    expect([...tree.reads].sort()).toEqual(["packages/db/src/a.ts", "packages/db/src/b.ts", "packages/db/src/index.ts"]);
  });

  it("gives the same facts object on every call", async () => {
    const resolver = createModuleResolver(createTree());
    const first = await resolver.getExportFacts("packages/db/src/index.ts");
    expect(first).toEqual({ imports: [], exports: [], reExports: [], star: ["./a", "./b"], requires: [] });
    expect(await resolver.getExportFacts("packages/db/src/index.ts")).toBe(first);
  });
});
