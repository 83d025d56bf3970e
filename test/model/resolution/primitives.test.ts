import { describe, expect, it } from "vitest";
import { getExportTargets } from "../../../src/model/resolution/get-export-targets.js";
import { getFileCandidates } from "../../../src/model/resolution/get-file-candidates.js";
import { getSourceCandidates } from "../../../src/model/resolution/get-source-candidates.js";
import { isSourceFile } from "../../../src/model/resolution/is-source-file.js";
import { joinRepoPath } from "../../../src/model/resolution/join-repo-path.js";
import { matchPathPattern } from "../../../src/model/resolution/match-path-pattern.js";
import { parseExportFacts } from "../../../src/model/resolution/parse-export-facts.js";
import { parseJsonConfig } from "../../../src/model/resolution/parse-json-config.js";
import { splitPackageSpecifier } from "../../../src/model/resolution/split-package-specifier.js";

const NODE = ["types", "import", "node", "require", "default"];

describe("getExportTargets", () => {
  const exportsField = {
    ".": { import: { types: "./dist/index.d.mts", default: "./dist/index.mjs" }, require: "./dist/index.cjs" },
    "./features/*": "./dist/features/*.js",
    "./features/*.css": "./styles/*.css",
    "./features/private/*": null,
    "./*/schema": ["./dist/*/schema.js", "./src/*/schema.ts"],
    "./legacy/": "./dist/legacy/",
    "./browser-only": { browser: "./dist/browser.js" },
  };
  const cases: Array<[subpath: string, expected: string[] | null | undefined]> = [
    [".", ["./dist/index.d.mts", "./dist/index.mjs", "./dist/index.cjs"]],
    ["./features/a", ["./dist/features/a.js"]],
    ["./features/a/b", ["./dist/features/a/b.js"]],
    ["./features/a.css", ["./styles/a.css"]],
    ["./features/private/x", null],
    ["./orders/schema", ["./dist/orders/schema.js", "./src/orders/schema.ts"]],
    ["./legacy/x.js", ["./dist/legacy/x.js"]],
    ["./browser-only", null],
    ["./features/", undefined],
    ["./unknown", undefined],
  ];
  it.each(cases)("%s → %j", (subpath, expected) => {
    expect(getExportTargets(exportsField, subpath, NODE)).toEqual(expected);
  });

  it("reads a string, an array and a bare conditions object as the `.` export", () => {
    expect(getExportTargets("./index.js", ".", NODE)).toEqual(["./index.js"]);
    expect(getExportTargets(["./a.js", "./b.js"], ".", NODE)).toEqual(["./a.js", "./b.js"]);
    expect(getExportTargets({ require: "./a.cjs", import: "./a.mjs" }, ".", NODE)).toEqual(["./a.mjs", "./a.cjs"]);
    expect(getExportTargets("./index.js", "./sub", NODE)).toBeUndefined();
    expect(getExportTargets(undefined, ".", NODE)).toBeUndefined();
    expect(getExportTargets({}, ".", NODE)).toBeUndefined();
  });

  it("matches subpath imports (#) the same way", () => {
    expect(getExportTargets({ "#db": "./src/db.js", "#lib/*": { node: "./lib/*.js" } }, "#lib/x", NODE)).toEqual(["./lib/x.js"]);
  });
});

describe("matchPathPattern", () => {
  const keys = ["*", "@app/*", "@app/core/*", "@app/core", "@app-*"];
  const cases: Array<[specifier: string, expected: ReturnType<typeof matchPathPattern>]> = [
    ["@app/core", { key: "@app/core", star: undefined }],
    ["@app/core/x", { key: "@app/core/*", star: "x" }],
    ["@app/x/y", { key: "@app/*", star: "x/y" }],
    ["@app-ui", { key: "@app-*", star: "ui" }],
    ["lodash", { key: "*", star: "lodash" }],
  ];
  it.each(cases)("%s → %j", (specifier, expected) => {
    expect(matchPathPattern(keys, specifier)).toEqual(expected);
  });
  it("never matches a key with two stars, nor a shorter specifier", () => {
    expect(matchPathPattern(["a/*/b/*"], "a/x/b/y")).toBeUndefined();
    expect(matchPathPattern(["@app/*.ts"], "@app/")).toBeUndefined();
  });
});

describe("splitPackageSpecifier", () => {
  const cases: Array<[specifier: string, expected: ReturnType<typeof splitPackageSpecifier>]> = [
    ["express", { name: "express", subpath: "." }],
    ["lodash/fp", { name: "lodash", subpath: "./fp" }],
    ["@acme/db", { name: "@acme/db", subpath: "." }],
    ["@acme/db/sub/path", { name: "@acme/db", subpath: "./sub/path" }],
    ["@acme/db-utils", { name: "@acme/db-utils", subpath: "." }],
    ["@acme", undefined],
    ["@acme/", undefined],
    ["./x", undefined],
    ["#x", undefined],
    ["", undefined],
  ];
  it.each(cases)("%s → %j", (specifier, expected) => {
    expect(splitPackageSpecifier(specifier)).toEqual(expected);
  });
});

describe("file candidates", () => {
  it("tries the TS source of a JS name first, and appends extensions to a dotted name", () => {
    expect(getFileCandidates("src/db.js")).toEqual(["src/db.ts", "src/db.tsx", "src/db.js", "src/db.jsx"]);
    expect(getFileCandidates("src/db.mjs")).toEqual(["src/db.mts", "src/db.mjs"]);
    expect(getFileCandidates("src/db.cts")).toEqual(["src/db.cts"]);
    expect(getFileCandidates("src/types.d.ts")).toEqual([]);
    expect(getFileCandidates("src/user.service")[0]).toBe("src/user.service.ts");
  });

  it("maps build output back to source: tsconfig layout first, then src, then the package root", () => {
    const candidates = getSourceCandidates({ packageDir: "p", path: "p/out/esm/index.mjs", layouts: [{ outDir: "p/out/esm", rootDir: "p/lib" }] });
    expect(candidates.slice(0, 4)).toEqual(["p/out/esm/index.mts", "p/out/esm/index.mjs", "p/out/esm/index.ts", "p/out/esm/index.tsx"]);
    const order = ["p/lib/index.mts", "p/src/index.mts", "p/index.mts"].map((path) => candidates.indexOf(path));
    expect(order.every((index, i) => index >= 0 && (i === 0 || index > order[i - 1]!))).toBe(true);
    expect(getSourceCandidates({ packageDir: "p", path: "p/dist/types/x.d.ts", layouts: [] })).toContain("p/src/x.ts");
    expect(getSourceCandidates({ packageDir: "p", path: "p/dist", layouts: [] })).toContain("p/src/index.ts");
    expect(getSourceCandidates({ packageDir: "p", path: "p/dist", layouts: [] })).not.toContain("p/src.ts");
  });

  it("knows source files from declarations and libraries", () => {
    expect(["a.ts", "a.tsx", "a.mts", "a.cjs", "a.jsx"].every(isSourceFile)).toBe(true);
    expect(["a.d.ts", "a.d.mts", "a.json", "node_modules/x/a.js", "a/node_modules/x/a.ts", "a.css"].some(isSourceFile)).toBe(false);
  });

  it("keeps joined paths inside the repository", () => {
    expect(joinRepoPath("src", "../..")).toBeUndefined();
    expect(joinRepoPath("src", "/etc/passwd")).toBeUndefined();
    expect(joinRepoPath("src", "..")).toBe("");
    expect(joinRepoPath("", "./a/./b/")).toBe("a/b");
  });
});

describe("parseJsonConfig", () => {
  it("reads JSON with comments, trailing commas and a byte-order mark", () => {
    expect(parseJsonConfig("tsconfig.json", '\uFEFF// c\n{ /* x */ "extends": ["./a",], "compilerOptions": { "baseUrl": ".", }, }')).toEqual({
      extends: ["./a"],
      compilerOptions: { baseUrl: "." },
    });
  });
  it("keeps what parses around a syntax error, and reads what is no object as an empty config (as tsc)", () => {
    expect(parseJsonConfig("x.json", '{ "a": 1 "b": 2 }')).toEqual({ a: 1, b: 2 });
    expect(parseJsonConfig("x.json", "[1, 2]")).toEqual({});
    expect(parseJsonConfig("x.json", "")).toEqual({});
  });
});

describe("parseExportFacts", () => {
  it("records imports, local exports, re-exports and export * as plain data", () => {
    const facts = parseExportFacts(
      "x.ts",
      `import def, { a as b, type T } from "./m";
       import * as ns from "lib";
       import "side-effect";
       export { b as c, ns };
       export { d as default, e } from "./n";
       export * from "./o";
       export * as p from "./p";
       export async function f() {}
       export default class {}
       function inner() { const q = 1; }
       export = whatever;`,
    );
    expect(facts).toEqual({
      imports: [
        { specifier: "./m", names: [{ imported: "default", local: "def" }, { imported: "a", local: "b" }, { imported: "T", local: "T" }] },
        { specifier: "lib", names: [{ imported: "*", local: "ns" }] },
      ],
      exports: [
        { exported: "c", local: "b" },
        { exported: "ns", local: "ns" },
        { exported: "f", local: "f" },
        { exported: "default", local: "default" },
      ],
      reExports: [
        { specifier: "./n", names: [{ imported: "d", exported: "default" }, { imported: "e", exported: "e" }] },
        { specifier: "./p", names: [{ imported: "*", exported: "p" }] },
      ],
      star: ["./o"],
      requires: [],
    });
  });
  it("does not parse a file without the word export", () => {
    expect(parseExportFacts("x.ts", `import { a } from "./a";\nconsole.log(a);`)).toEqual({ imports: [], exports: [], reExports: [], star: [], requires: [] });
  });

  it("lists CommonJS require specifiers from the text, exports or not", () => {
    expect(parseExportFacts("x.js", `const { Pool } = require("pg");\nconst db = require('./db');\nmodule.exports = { db, Pool };`).requires).toEqual(["pg", "./db"]);
    expect(parseExportFacts("x.ts", `// requires nothing\nexport const required = "require";`).requires).toEqual([]);
  });
});
