import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";

// The model is layered by domain (src/model/<domain>/): a domain may build on another, never
// both ways, and the rules in src/analyzers/ depend on the model, never the reverse.

const root = resolve(new URL("../../", import.meta.url).pathname);
const src = join(root, "src");

function listTsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listTsFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Relative specifiers of import and export declarations, `import("…")` calls and `import("…")` types. */
function getRelativeSpecifiers(path: string): string[] {
  const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteral(node.arguments[0])) {
      specifiers.push(node.arguments[0].text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      specifiers.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers.filter((s) => s.startsWith("./") || s.startsWith("../"));
}

/** `./x.js` → `./x.ts` (ESM specifiers name the emitted file); extensionless and folder imports too. */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  const target = resolve(dirname(from), specifier);
  const candidates = [target.replace(/\.js$/, ".ts"), target, `${target}.ts`, join(target, "index.ts")];
  return candidates.find((candidate) => candidate.endsWith(".ts") && existsSync(candidate));
}

interface ImportEdge {
  from: string;
  to: string;
}

function buildImportGraph(): ImportEdge[] {
  return listTsFiles(src).flatMap((from) => getRelativeSpecifiers(from)
    .map((specifier) => resolveSpecifier(from, specifier))
    .filter((to): to is string => to !== undefined && to.startsWith(`${src}/`))
    .map((to) => ({ from: relative(root, from), to: relative(root, to) })));
}

/** `src/model/data/query-shape.ts` → `data`; undefined outside src/model/<domain>/. */
function getDomain(path: string): string | undefined {
  return /^src\/model\/([^/]+)\//.exec(path)?.[1];
}

/** Each cycle closed by a back edge of a depth-first walk, as `a → b → a` with one import per step. */
function findCycles(edges: Map<string, Map<string, ImportEdge>>): string[] {
  const state = new Map<string, "open" | "done">();
  const stack: string[] = [];
  const cycles: string[] = [];
  const visit = (domain: string): void => {
    state.set(domain, "open");
    stack.push(domain);
    for (const next of [...(edges.get(domain)?.keys() ?? [])].sort()) {
      if (state.get(next) === "open") {
        const cycle = [...stack.slice(stack.indexOf(next)), next];
        const steps = cycle.slice(1).map((to, i) => {
          const example = edges.get(cycle[i]!)!.get(to)!;
          return `  ${cycle[i]} → ${to}: ${example.from} imports ${example.to}`;
        });
        cycles.push([cycle.join(" → "), ...steps].join("\n"));
      } else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(domain, "done");
  };
  for (const domain of [...edges.keys()].sort()) if (!state.has(domain)) visit(domain);
  return cycles;
}

describe("import graph of src/", () => {
  const graph = buildImportGraph();

  it("has no cycle between the domain folders of src/model/", () => {
    const edges = new Map<string, Map<string, ImportEdge>>();
    for (const edge of graph) {
      const from = getDomain(edge.from);
      const to = getDomain(edge.to);
      if (from === undefined || to === undefined || from === to) continue;
      if (!edges.has(from)) edges.set(from, new Map());
      if (!edges.get(from)!.has(to)) edges.get(from)!.set(to, edge);
    }
    expect(edges.size, "no import between model domains was found: is the graph built?").toBeGreaterThan(0);
    const cycles = findCycles(edges);
    expect(cycles, `domain cycles in src/model/:\n${cycles.join("\n")}`).toEqual([]);
  });

  it("keeps src/model/ and src/analysis/ free of imports from src/analyzers/", () => {
    const upward = graph
      .filter((edge) => /^src\/(model|analysis)\//.test(edge.from) && edge.to.startsWith("src/analyzers/"))
      .map((edge) => `${edge.from} imports ${edge.to}`);
    expect(upward, `rules depend on the model, never the reverse:\n${upward.join("\n")}`).toEqual([]);
  });
});
