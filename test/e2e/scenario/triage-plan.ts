import type { Snippet, Variant } from "./service-variants.js";

/**
 * One step on a pull request once its reviews have settled. A finding is named by the snippet
 * that trips it: the id sent is the one GitHub shows at that moment (the summary's `(id …)`).
 */
export type TriageStep =
  | { kind: "ignore" | "approve"; target: { finding: Snippet } | { category: string }; reason: string }
  | { kind: "pause" | "resume" }
  | { kind: "push"; variant: Variant };

export interface TriagePlan {
  /** `owner/name#number` of one of the scenario's pull requests. */
  pr: string;
  /** Run in order, each once the job it caused has finished. */
  steps: TriageStep[];
}

/**
 * The commands of the triage phase, on three pull requests (the others are left as they were).
 * Each reason carries a `<`, which the hidden JSON block escapes: it must read back as written.
 */
export const TRIAGE_PLAN: readonly TriagePlan[] = [
  {
    // Final head: postsLoop and commentsMap (N+1, high) and feesNoTimeout (medium) under fail_on
    // high: failure. commentsMap is commented inline from its third push on and never fixed, so
    // its thread is open until it is ignored; then the data category (the other N+1) is approved.
    pr: "acme/shop#12",
    steps: [
      { kind: "ignore", target: { finding: "commentsMap" }, reason: "callers pass < 5 posts, see the page size" },
      { kind: "approve", target: { category: "data" }, reason: "authors come from one page of < 20" },
    ],
  },
  {
    // Final head: feesNoTimeout (medium) under fail_on medium, its only blocking finding.
    pr: "globex/billing#4",
    steps: [{ kind: "approve", target: { finding: "feesNoTimeout" }, reason: "the fees service answers in < 50 ms behind our proxy" }],
  },
  {
    // Paused, a push (not analysed), resumed (the paused head is reviewed), a push (reviewed):
    // every finding is fixed by the last one.
    pr: "umbrella/labs#21",
    steps: [
      { kind: "pause" },
      { kind: "push", variant: { snippets: ["postsLoop", "commentsMap", "ratesNoTimeout"], padding: 0 } },
      { kind: "resume" },
      { kind: "push", variant: { snippets: ["postsBatch", "ratesTimeout"], padding: 1 } },
    ],
  },
];

/** The pushes each plan keeps for itself, for createScenario's `laterPushes`. */
export function getLaterPushes(plan: readonly TriagePlan[]): Record<string, Variant[]> {
  return Object.fromEntries(plan.map(({ pr, steps }) => [pr, steps.flatMap((step) => (step.kind === "push" ? [step.variant] : []))]));
}
