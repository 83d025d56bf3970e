import { z } from "zod";

/**
 * What people decided about this pull request's findings, kept in a hidden block of our summary
 * comment: no database of our own, and it travels with the PR. Versioned, so a later format can
 * read (or refuse) an earlier one.
 */
export const TRIAGE_STATE_VERSION = 1;

const MAX_DECISIONS = 200;
export const MAX_REASON_LENGTH = 300;

const decisionSchema = z
  .object({
    /** A short finding id (`3f2a9c1`), a rule id (`data/n-plus-one`) or a category (`migration`). */
    target: z.string().min(1).max(100),
    by: z.string().min(1).max(100),
    reason: z.string().max(MAX_REASON_LENGTH),
    at: z.string().min(1).max(40),
  })
  .strict();

const stateSchema = z
  .object({
    version: z.literal(TRIAGE_STATE_VERSION),
    ignored: z.array(decisionSchema).max(MAX_DECISIONS).default([]),
    approved: z.array(decisionSchema).max(MAX_DECISIONS).default([]),
    paused: z.object({ by: z.string().min(1).max(100), at: z.string().min(1).max(40) }).strict().nullable().default(null),
  })
  .strict();

export type TriageDecision = z.infer<typeof decisionSchema>;
export type TriageState = z.infer<typeof stateSchema>;
export type TriageKind = "ignored" | "approved";

export const EMPTY_TRIAGE_STATE: TriageState = { version: TRIAGE_STATE_VERSION, ignored: [], approved: [], paused: null };

const BLOCK = /<!-- backend-review:triage ([^]*?) -->/;

export interface ReadTriageState {
  state: TriageState;
  /** Set when a block is there but cannot be read (edited by hand, a newer version): it must not be overwritten. */
  problem?: string;
}

/** The triage state in a summary comment's body; empty when it has none. */
export function readTriageState(commentBody: string): ReadTriageState {
  const match = BLOCK.exec(commentBody);
  if (!match) return { state: EMPTY_TRIAGE_STATE };
  let raw: unknown;
  try {
    raw = JSON.parse(match[1]!);
  } catch {
    return { state: EMPTY_TRIAGE_STATE, problem: "the triage block is not valid JSON" };
  }
  const version = (raw as { version?: unknown } | null)?.version;
  if (version !== TRIAGE_STATE_VERSION) return { state: EMPTY_TRIAGE_STATE, problem: `the triage block has version ${JSON.stringify(version)}, this app reads version ${TRIAGE_STATE_VERSION}` };
  const parsed = stateSchema.safeParse(raw);
  if (!parsed.success) return { state: EMPTY_TRIAGE_STATE, problem: `the triage block is malformed (${parsed.error.issues[0]?.message ?? "unknown"})` };
  return { state: parsed.data };
}

/** The block as it sits in the comment: `<` and `>` escaped, so no text in it can close the HTML comment. */
export function renderTriageBlock(state: TriageState): string {
  const json = JSON.stringify(state).replace(/</g, "\\u003c").replace(/>/g, "\\u003e");
  return `<!-- backend-review:triage ${json} -->`;
}

/** No decision and not paused: nothing to keep. */
export function isEmptyTriageState(state: TriageState): boolean {
  return state.ignored.length === 0 && state.approved.length === 0 && state.paused === null;
}

/** The raw block of a body (kept verbatim when it cannot be read), or undefined. */
export function findTriageBlock(commentBody: string): string | undefined {
  return BLOCK.exec(commentBody)?.[0];
}

/** The body with its triage block replaced, or the block appended when it has none. */
export function replaceTriageBlock(commentBody: string, block: string): string {
  if (BLOCK.test(commentBody)) return commentBody.replace(BLOCK, () => block);
  return `${commentBody.replace(/\n*$/, "")}\n${block}\n`;
}

/** The state with one decision added; a decision on the same target of the same kind is replaced (the newest reason wins). */
export function withDecision(state: TriageState, kind: TriageKind, decision: TriageDecision): TriageState {
  const kept = state[kind].filter((d) => d.target !== decision.target);
  // Oldest decisions go first when the list is full: the block must stay small.
  const list = [...kept, decision].slice(-MAX_DECISIONS);
  return { ...state, [kind]: list };
}
