// `npm run eval`: precision and recall of every rule over the annotated fixture repositories
// (test/fixtures/rules/*). A finding counts as a true positive when an `expect:` annotation names
// its rule on its line; any other finding is a false positive.
// `npm run eval -- --field [--mirrors DIR] [--repo owner/name] [--rule id] [--verbose]`: the same
// over the labelled field corpus (test/field/cases), on local mirrors of public repositories.
import { parseArgs } from "node:util";
import { analyzers } from "../src/analyzers/index.js";
import { createFactsCache } from "../src/model/cache/create-facts-cache.js";
import { getFactsCacheOptions } from "../src/model/cache/get-facts-cache-options.js";
import { listFixtureRepos, runFixtureRepo, scoreFixtures } from "../test/helpers/annotated-fixtures.js";
import { DEFAULT_MIRRORS_ROOT, loadFieldCases, runFieldCases, scoreFieldOutcomes, type FieldScore } from "../test/helpers/field-corpus.js";

const { values: flags } = parseArgs({
  options: {
    field: { type: "boolean", default: false },
    mirrors: { type: "string", default: process.env.BACKEND_REVIEW_FIELD_MIRRORS ?? DEFAULT_MIRRORS_ROOT },
    repo: { type: "string" },
    rule: { type: "string" },
    verbose: { type: "boolean", default: false },
  },
});

const pct = (n: number, d: number) => (d === 0 ? "n/a" : `${((100 * n) / d).toFixed(0)}%`);

if (flags.field) await evalField();
else await evalFixtures();

async function evalFixtures() {
  const results = [];
  for (const dir of listFixtureRepos()) results.push(await runFixtureRepo(dir));
  const scores = new Map(scoreFixtures(results).map((s) => [s.ruleId, s]));
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
}

async function evalField() {
  const cases = loadFieldCases().filter((c) => (!flags.repo || c.repository === flags.repo) && (!flags.rule || c.rule === flags.rule));
  const factsCache = createFactsCache(getFactsCacheOptions());
  const { outcomes, unlabelled } = await runFieldCases(cases, {
    mirrorsRoot: flags.mirrors,
    factsCache,
    onRange: (label, i, total) => process.stderr.write(`[${i + 1}/${total}] ${label}\n`),
  });
  const skipped = outcomes.filter((o) => o.status === "skipped");
  const judged = outcomes.length - skipped.length;
  const repos = new Set(outcomes.filter((o) => o.status !== "skipped").map((o) => o.fieldCase.repository));
  console.log(`Field corpus: ${outcomes.length} cases, ${judged} judged on ${repos.size} repositories, ${skipped.length} skipped (mirrors under ${flags.mirrors})\n`);

  printTable("rule", scoreFieldOutcomes(outcomes));
  printTable("rule family", scoreFieldOutcomes(outcomes, (c) => c.rule.split("/")[0]!));
  printTable("repository", scoreFieldOutcomes(outcomes, (c) => c.repository));

  const failed = outcomes.filter((o) => o.status === "failed");
  if (failed.length) console.log(`\nFailed cases (${failed.length}):`);
  for (const { fieldCase: c, matched } of failed) {
    const what = c.expect === "finding" ? "missed" : `false alarm at line ${matched.map((f) => f.line).join(", ")}`;
    console.log(`- ${c.id}: ${c.rule} ${what} (${c.repository}@${c.commit.slice(0, 7)} ${c.direction}, ${c.file}:${c.lines.join("-")})${flags.verbose ? ` — ${c.reason}` : ""}`);
  }
  if (skipped.length) {
    const reasons = new Map<string, number>();
    for (const o of skipped) reasons.set(o.skipReason!, (reasons.get(o.skipReason!) ?? 0) + 1);
    console.log(`\nSkipped:`);
    for (const [reason, n] of reasons) console.log(`- ${n} case(s): ${reason}`);
  }
  const byRule = new Map<string, number>();
  for (const u of unlabelled) byRule.set(u.finding.ruleId, (byRule.get(u.finding.ruleId) ?? 0) + 1);
  console.log(`\nFindings in the analysed diffs that no case labels: ${unlabelled.length}${byRule.size ? ` (${[...byRule].map(([r, n]) => `${r} ${n}`).join(", ")})` : ""}`);
  if (flags.verbose) for (const u of unlabelled) console.log(`  - ${u.finding.ruleId} ${u.repository}@${u.commit.slice(0, 7)} ${u.direction} ${u.finding.file}:${u.finding.line}`);
}

function printTable(title: string, scores: FieldScore[]) {
  console.log(`| ${title} | finding cases | found | silent cases | false alarms | skipped | precision | recall |`);
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
  const total = { tp: 0, fn: 0, fp: 0, tn: 0, skipped: 0 };
  for (const s of scores) {
    total.tp += s.truePositives; total.fn += s.falseNegatives; total.fp += s.falsePositives; total.tn += s.trueNegatives; total.skipped += s.skipped;
    console.log(`| ${s.key} | ${s.truePositives + s.falseNegatives} | ${s.truePositives} | ${s.trueNegatives + s.falsePositives} | ${s.falsePositives} | ${s.skipped} | ${pct(s.truePositives, s.truePositives + s.falsePositives)} | ${pct(s.truePositives, s.truePositives + s.falseNegatives)} |`);
  }
  console.log(`| **all** | ${total.tp + total.fn} | ${total.tp} | ${total.tn + total.fp} | ${total.fp} | ${total.skipped} | ${pct(total.tp, total.tp + total.fp)} | ${pct(total.tp, total.tp + total.fn)} |\n`);
}
