import { parseJsonConfig, type JsonObject } from "./parse-json-config.js";
import type { RepoTree } from "./repo-tree.js";

/** A RepoTree whose reads are cached: each file is read (and each JSON file parsed) at most once. */
export interface TreeReader {
  readonly paths: ReadonlySet<string>;
  has(path: string): boolean;
  readText(path: string): Promise<string | undefined>;
  /** A JSON(C) file parsed leniently; undefined when absent, unreadable or not an object. */
  readJson(path: string): Promise<JsonObject | undefined>;
}

export function createTreeReader(tree: RepoTree): TreeReader {
  const texts = new Map<string, Promise<string | undefined>>();
  const jsons = new Map<string, Promise<JsonObject | undefined>>();
  const has = (path: string) => tree.paths.has(path);

  const readText = (path: string): Promise<string | undefined> => {
    if (!has(path)) return Promise.resolve(undefined);
    let text = texts.get(path);
    if (!text) {
      text = Promise.resolve()
        .then(() => tree.read(path))
        .catch(() => undefined);
      texts.set(path, text);
    }
    return text;
  };

  const readJson = (path: string): Promise<JsonObject | undefined> => {
    let json = jsons.get(path);
    if (!json) {
      json = readText(path).then((text) => (text === undefined ? undefined : parseJsonConfig(path, text)));
      jsons.set(path, json);
    }
    return json;
  };

  return { paths: tree.paths, has, readText, readJson };
}
