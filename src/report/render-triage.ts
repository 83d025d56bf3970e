import type { TriagedReport } from "../triage/apply-triage.js";
import type { TriageDecision, TriageState } from "../triage/triage-state.js";
import { capitalize, code, inline, mention, plural } from "./markdown.js";

/** What people decided, as the summary shows it: the state and what it matched in this review. */
export interface TriageView {
  state: TriageState;
  ignored: TriagedReport["ignored"];
  approved: TriagedReport["approved"];
  /** The stored state could not be read (kept as it was, not applied). */
  problem?: string;
}

const MAX_SHOWN = 50;
const REASON_CHARS = 200;

/** A collapsed section listing each decision, who made it, why, and how many findings it covers now; none without decisions. */
export function renderTriage(view: TriageView | undefined): string[] {
  if (!view) return [];
  if (view.problem) return [`_Triage decisions in this comment could not be read (${inline(view.problem, 200)}); they are kept as they were and not applied._`];
  const { state } = view;
  const decisions = [...state.ignored.map((d) => ["ignored", d] as const), ...state.approved.map((d) => ["approved", d] as const)];
  if (decisions.length === 0) return [];
  const count = (kind: "ignored" | "approved", decision: TriageDecision) =>
    (kind === "ignored" ? view.ignored : view.approved).filter((t) => t.decision === decision).length;
  const lines = decisions.slice(0, MAX_SHOWN).map(([kind, decision]) => {
    const now = count(kind, decision);
    return `- ${capitalize(kind)} ${code(decision.target, 100)} by ${mention(decision.by)}: ${inline(decision.reason, REASON_CHARS)} (${now === 0 ? "no finding now" : plural(now, "finding")})`;
  });
  if (decisions.length > MAX_SHOWN) lines.push(`- _…and ${decisions.length - MAX_SHOWN} older decisions._`);
  const title = [state.ignored.length > 0 ? `${state.ignored.length} ignored` : "", state.approved.length > 0 ? `${state.approved.length} approved` : ""].filter(Boolean).join(", ");
  return ["<details><summary>Triage: " + title + "</summary>", "", ...lines, "", "</details>"];
}

/** The decision that approved a finding, by fingerprint, for the finding's line in the summary. */
export function approvalsByFingerprint(view: TriageView | undefined): Map<string, TriageDecision> {
  return new Map((view?.approved ?? []).map((a) => [a.finding.fingerprint, a.decision]));
}
