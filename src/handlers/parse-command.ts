import { isFindingId } from "../analysis/fingerprint.js";
import { RULE_CATEGORIES, RULE_IDS } from "../analyzers/rule-ids.js";
import { MAX_REASON_LENGTH } from "../triage/triage-state.js";

export type TriageCommand = { kind: "ignore" | "approve"; target: string; reason: string } | { kind: "pause" } | { kind: "resume" };

export type Command =
  | { kind: "review"; full?: true }
  | { kind: "help"; unknown?: string; problem?: string }
  | { kind: "config" }
  | TriageCommand;

const NO_ARGUMENTS: Record<string, Command> = {
  run: { kind: "review" },
  full: { kind: "review", full: true },
  help: { kind: "help" },
  config: { kind: "config" },
  pause: { kind: "pause" },
  resume: { kind: "resume" },
};

/**
 * `/backend-review [word] [arguments]` at the start of a comment; anything else is not ours
 * (undefined). A word we do not know, or a command missing its arguments, becomes help that says
 * what was wrong: a command never goes unanswered.
 */
export function parseCommand(body: string): Command | undefined {
  const match = /^\/backend-review(?=\s|$)(?:[ \t]+(\S+))?([^\n]*)(?:\n([^]*))?$/.exec(body.trimStart().replace(/\r\n/g, "\n"));
  if (!match) return undefined;
  const word = match[1]?.toLowerCase();
  if (word === undefined) return { kind: "review" };
  const rest = `${match[2] ?? ""}\n${match[3] ?? ""}`.trim();
  if (word === "ignore" || word === "approve") return parseDecision(word, rest);
  return NO_ARGUMENTS[word] ?? { kind: "help", unknown: match[1] };
}

function parseDecision(kind: "ignore" | "approve", rest: string): Command {
  const usage = `\`/backend-review ${kind} <${kind === "ignore" ? "finding-id|rule" : "finding-id|category"}> <reason>\``;
  const [target = "", ...words] = rest.split(/\s+/);
  if (target === "") return { kind: "help", problem: `\`${kind}\` needs a finding id (as shown in the summary) and a reason: ${usage}.` };
  const name = target.toLowerCase();
  if (!isTarget(name)) {
    return { kind: "help", problem: `${quote(target)} is not a finding id (7 characters, as shown in the summary), a rule id or a category: ${usage}.` };
  }
  const reason = words.join(" ").slice(0, MAX_REASON_LENGTH);
  if (reason === "") return { kind: "help", problem: `\`${kind}\` needs a reason, so that others know why: ${usage}.` };
  return { kind, target: name.replace(/\/\*$/, ""), reason };
}

function isTarget(name: string): boolean {
  if (isFindingId(name)) return true;
  if (RULE_IDS.includes(name) || RULE_CATEGORIES.includes(name)) return true;
  return name.endsWith("/*") && RULE_CATEGORIES.includes(name.slice(0, -2));
}

/** User text in our answers: no Markdown breaking out of its code span, no wall of text. */
export function quote(word: string): string {
  const shown = word.replace(/`/g, "'").replace(/\s+/g, " ").slice(0, 40);
  return `\`${shown}${word.length > 40 ? "…" : ""}\``;
}
