import { parseCodeowners, type Codeowners } from "./parse-codeowners.js";

/** Where GitHub looks for the file, in its order: the first one found is the only one used. */
export const CODEOWNERS_PATHS = [".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"] as const;

/** GitHub ignores a CODEOWNERS file of 3 MB or more. */
const MAX_BYTES = 3 * 1024 * 1024;

/** The head tree's CODEOWNERS, parsed; undefined when the head tree has none (or GitHub would ignore it). */
export async function loadCodeowners(tree: { readHeadFile(path: string): Promise<string | undefined> }): Promise<(Codeowners & { path: string }) | undefined> {
  for (const path of CODEOWNERS_PATHS) {
    const text = await tree.readHeadFile(path);
    if (text === undefined) continue;
    if (Buffer.byteLength(text, "utf8") >= MAX_BYTES) return undefined;
    return { ...parseCodeowners(text), path };
  }
  return undefined;
}
