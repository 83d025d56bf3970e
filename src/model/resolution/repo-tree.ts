/**
 * The head tree of a repository as the resolver sees it: the list of paths (known up front,
 * so existence checks cost nothing) and a reader for the few files it actually needs.
 */
export interface RepoTree {
  /** Every path of the tree, repository-relative, posix. */
  paths: ReadonlySet<string>;
  /** Text of a file, undefined when absent/unreadable. */
  read(path: string): Promise<string | undefined>;
}
