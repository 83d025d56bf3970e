import { ts, type KindToNodeMappings, type Node, type SourceFile, type SyntaxKind } from "ts-morph";

// ts-morph's getDescendants() wraps every node of a tree in an object before the caller looks at
// it; on real repositories that wrapping was most of a review's time. These walk the compiler's
// nodes and wrap only the ones asked for.

/** The ts-morph wrapper of a compiler node of this file (ts-morph caches wrappers, so identity holds). */
export function wrapNode(sourceFile: SourceFile, node: ts.Node): Node {
  const internal = sourceFile as unknown as { _getNodeFromCompilerNode?: (n: ts.Node) => Node };
  if (typeof internal._getNodeFromCompilerNode === "function") return internal._getNodeFromCompilerNode(node);
  let wrapped: Node | undefined = sourceFile.getDescendantAtStartWithWidth(node.getStart(), node.getWidth());
  while (wrapped && wrapped.compilerNode !== node) wrapped = wrapped.getParent();
  return wrapped ?? sourceFile;
}

/** Descendants of `root` (not itself) of the given kinds, in document order. */
export function findDescendants(root: Node, kinds: ReadonlySet<ts.SyntaxKind>): Node[] {
  const sourceFile = root.getSourceFile();
  const hits: Node[] = [];
  const visit = (node: ts.Node): void => {
    if (kinds.has(node.kind)) hits.push(wrapNode(sourceFile, node));
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(root.compilerNode, visit);
  return hits;
}

/** True when some descendant of `root` of the given kinds satisfies `test` (compiler nodes, nothing wrapped). */
export function someDescendant(root: Node, kinds: ReadonlySet<ts.SyntaxKind>, test: (node: ts.Node) => boolean): boolean {
  const visit = (node: ts.Node): boolean => (kinds.has(node.kind) && test(node)) || ts.forEachChild(node, visit) === true;
  return ts.forEachChild(root.compilerNode, visit) === true;
}

/** Typed `findDescendants` for one kind: a drop-in for ts-morph's getDescendantsOfKind, without its generators. */
export function findDescendantsOfKind<K extends SyntaxKind>(root: Node, kind: K): Array<KindToNodeMappings[K]> {
  return findDescendants(root, new Set([kind])) as Array<KindToNodeMappings[K]>;
}

/**
 * 1-based line of a node's start. ts-morph's getStartLineNumber() counts newlines from the top
 * of the file on every call: quadratic on a large file with many literals. This uses the
 * compiler's line map (a binary search).
 */
export function getStartLine(node: Node): number {
  return node.getSourceFile().compilerNode.getLineAndCharacterOfPosition(node.getStart()).line + 1;
}

/** 1-based line of a node's end, as getEndLineNumber() but through the line map. */
export function getEndLine(node: Node): number {
  return node.getSourceFile().compilerNode.getLineAndCharacterOfPosition(node.getEnd()).line + 1;
}
