import { Node, Project, type SourceFile } from "ts-morph";
import { describe, expect, it } from "vitest";
import { getExportedDeclarations, isDefaultExport, isExported } from "../../src/analysis/syntactic-exports.js";

function parse(text: string): SourceFile {
  const project = new Project({ useInMemoryFileSystem: true, skipLoadingLibFiles: true, compilerOptions: { noResolve: true } });
  return project.createSourceFile("/a.ts", text);
}

function declaration(source: SourceFile, name: string): Node {
  return source.getFunction(name) ?? source.getClass(name) ?? source.getVariableDeclarationOrThrow(name);
}

describe("syntactic exports", () => {
  it.each([
    ["export function a() {}", "a"],
    ["export const a = 1;", "a"],
    ["export class a {}", "a"],
    ["const a = 1; export { a };", "a"],
    ["const b = 1; export { b as a };", "b"],
    ["function a() {} export default a;", "a"],
    ["export default class a {}", "a"],
  ])("%s exports %s", (text, name) => {
    expect(isExported(declaration(parse(text), name))).toBe(true);
  });

  it.each([
    ["function a() {}", "a"],
    ["const a = 1; export const b = a;", "a"],
    ["class a {} export { b } from './b';", "a"],
    ["const a = 1; export { a } from './other';", "a"],
    ["function a() {} export default function b() {}", "a"],
    ["function a() {} export default a();", "a"],
  ])("%s does not export %s", (text, name) => {
    expect(isExported(declaration(parse(text), name))).toBe(false);
  });

  it.each([
    ["export default function a() {}", "a", true],
    ["function a() {} export default a;", "a", true],
    ["function a() {} export { a as default };", "a", true],
    ["export function a() {}", "a", false],
    ["const a = 1; export { a };", "a", false],
    ["function a() {} export default function b() {}", "a", false],
  ])("%s: %s is the default export: %s", (text, name, expected) => {
    expect(isDefaultExport(declaration(parse(text), name))).toBe(expected);
  });

  it("maps exported names to local declarations, never following other modules", () => {
    const source = parse(`
      export async function GET() {}
      const post = () => {};
      export { post as POST };
      const hidden = 1;
      export { PUT } from "./elsewhere";
      export default function handler() {}
    `);
    const exported = getExportedDeclarations(source);
    expect([...exported.keys()].sort()).toEqual(["GET", "POST", "default"]);
    expect(Node.isVariableDeclaration(exported.get("POST")![0]!)).toBe(true);
    expect((exported.get("default")![0] as unknown as { getName(): string }).getName()).toBe("handler");
  });
});
