// `npm run eval`: precision and recall of every rule over the annotated fixture repositories
// (test/fixtures/rules/*). A finding counts as a true positive when an `expect:` annotation names
// its rule on its line; any other finding is a false positive.
import { analyzers } from "../src/analyzers/index.js";
import { listFixtureRepos, runFixtureRepo, scoreFixtures } from "../test/helpers/annotated-fixtures.js";

const results = [];
for (const dir of listFixtureRepos()) results.push(await runFixtureRepo(dir));
const scores = new Map(scoreFixtures(results).map((s) => [s.ruleId, s]));

const pct = (n: number, d: number) => (d === 0 ? "n/a" : `${((100 * n) / d).toFixed(0)}%`);
const rows = analyzers
  .filter((a) => a.kind === "rule")
  .map((a) => scores.get(a.id) ?? { ruleId: a.id, truePositives: 0, falsePositives: 0, falseNegatives: 0, silentNearMisses: 0 });
for (const [id, s] of scores) if (!rows.some((r) => r.ruleId === id)) rows.push(s);

console.log(`Fixture repositories: ${results.length}, files: ${new Set(results.flatMap((r) => r.expectations.map((e) => `${r.name}/${e.file}`))).size} annotated\n`);
console.log("| rule | expected | found (TP) | false positives | missed (FN) | near misses kept silent | precision | recall |");
console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
let tp = 0, fp = 0, fn = 0;
for (const s of rows.sort((a, b) => a.ruleId.localeCompare(b.ruleId))) {
  tp += s.truePositives; fp += s.falsePositives; fn += s.falseNegatives;
  console.log(`| ${s.ruleId} | ${s.truePositives + s.falseNegatives} | ${s.truePositives} | ${s.falsePositives} | ${s.falseNegatives} | ${s.silentNearMisses} | ${pct(s.truePositives, s.truePositives + s.falsePositives)} | ${pct(s.truePositives, s.truePositives + s.falseNegatives)} |`);
}
console.log(`| **all rules** | ${tp + fn} | ${tp} | ${fp} | ${fn} | | ${pct(tp, tp + fp)} | ${pct(tp, tp + fn)} |`);
process.exitCode = fp > 0 || fn > 0 ? 1 : 0;
