// Profiling aid: `node scripts/bench/summarise-cpu-profile.mjs FILE.cpuprofile` prints where a
// process's busy CPU went, by package. A sample is charged to the nearest package on its stack, so
// Node internals (sockets, fetch, streams) count for the package that called them.
import { readFileSync } from "node:fs";

const profile = JSON.parse(readFileSync(process.argv[2], "utf8"));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parents = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);

const packageOf = (url = "") => {
  const installed = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (installed) return installed[1];
  if (url.includes("/dist/src/")) return `ours: ${url.split("/dist/src/")[1]}`;
  return undefined;
};

const byPackage = new Map();
let busy = 0;
profile.samples.forEach((id, i) => {
  const leaf = nodes.get(id).callFrame.functionName;
  if (leaf === "(idle)") return;
  const us = profile.timeDeltas[i] ?? 0;
  busy += us;
  let key = leaf === "(garbage collector)" || leaf === "(program)" ? leaf : undefined;
  for (let at = id; key === undefined && at !== undefined; at = parents.get(at)) key = packageOf(nodes.get(at).callFrame.url);
  key ??= `node, no package on the stack (${nodes.get(id).callFrame.url || leaf})`;
  byPackage.set(key, (byPackage.get(key) ?? 0) + us);
});
console.log(`busy ${(busy / 1000).toFixed(0)} ms`);
for (const [key, us] of [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`${((100 * us) / busy).toFixed(1).padStart(5)}%  ${key}`);
