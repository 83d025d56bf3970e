import type { TreeReader } from "./create-tree-reader.js";
import type { OutputLayout } from "./get-source-candidates.js";
import type { TsConfig } from "./load-ts-config.js";

/** The cached knowledge one resolver shares among its steps; every lookup is computed at most once. */
export interface ResolutionContext {
  reader: TreeReader;
  /** Workspace package name → folder. */
  getWorkspacePackages(): Promise<ReadonlyMap<string, string>>;
  getTsConfig(path: string): Promise<TsConfig>;
  /** outDir/rootDir pairs of a package's own tsconfig files. */
  getOutputLayouts(packageDir: string): Promise<readonly OutputLayout[]>;
}
