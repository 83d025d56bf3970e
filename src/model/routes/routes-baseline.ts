import { posix } from "node:path";
import { isCodeFile, type Workspace } from "../../analysis/workspace.js";
import { getPackageRoot } from "./app-auth.js";
import { mayDeclareRoutes } from "./routes-diff.js";
import { getRoutes, type Route, type RouteFramework } from "./routes.js";

/** Files read (text only) when looking for the routes of a package: the nearest ones first. */
const MAX_FILES_READ = 400;
/** Route files parsed for a package baseline. */
const MAX_ROUTE_FILES = 60;

export interface RouteBaseline {
  /** Where the routes come from: the other files of the route's folder, else its package. */
  scope: "folder" | "package";
  routes: Array<{ file: string; route: Route }>;
}

/**
 * The routes of the same framework that a new route without siblings in its file is compared with:
 * those of the other files of its folder when there are any, else those of its package (nearest
 * files first, bounded).
 */
export async function getRouteBaseline(workspace: Workspace, path: string, framework: RouteFramework): Promise<RouteBaseline> {
  const files = [...(await workspace.listHeadFiles())].filter((f) => f !== path && isCodeFile(f) && !/\.(test|spec)\.|(^|\/)(node_modules|__tests__|tests?|e2e|dist|build)\//.test(f));
  const dir = posix.dirname(path);
  const folder = await collectRoutes(workspace, files.filter((f) => posix.dirname(f) === dir).sort(), framework);
  if (folder.length > 0) return { scope: "folder", routes: folder };
  const root = await getPackageRoot(workspace, path);
  const inPackage = files.filter((f) => root === "" || f.startsWith(`${root}/`)).sort((a, b) => distance(path, a) - distance(path, b) || a.localeCompare(b));
  return { scope: "package", routes: await collectRoutes(workspace, inPackage, framework) };
}

async function collectRoutes(workspace: Workspace, files: string[], framework: RouteFramework): Promise<Array<{ file: string; route: Route }>> {
  const found: Array<{ file: string; route: Route }> = [];
  let parsed = 0;
  for (const file of files.slice(0, MAX_FILES_READ)) {
    if (parsed >= MAX_ROUTE_FILES) break;
    const text = await workspace.readHeadFile(file, { keep: false });
    if (!mayDeclareRoutes(file, text)) continue;
    const source = await workspace.getHeadSource(file);
    if (!source) continue;
    parsed++;
    for (const route of getRoutes(source, file).routes) if (route.framework === framework) found.push({ file, route });
  }
  return found;
}

/** Folder steps between two files: siblings 0, a cousin folder 2. */
function distance(a: string, b: string): number {
  const x = posix.dirname(a).split("/");
  const y = posix.dirname(b).split("/");
  let common = 0;
  while (common < x.length && common < y.length && x[common] === y[common]) common++;
  return x.length - common + (y.length - common);
}
