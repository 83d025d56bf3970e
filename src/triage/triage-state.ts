import { z } from "zod";

/**
 * What people decided about this pull request's findings, kept in a hidden block of our summary
 * comment: no database of our own, and it travels with the PR. Versioned, so a later format can
 * read (or refuse) an earlier one.
 */
export const TRIAGE_STATE_VERSION = 1;

const MAX_DECISIONS = 200;
const MAX_REQUESTED = 50;
export const MAX_REASON_LENGTH = 300;
/** The block shares the summary comment's 65,536 characters: it never takes more than a quarter. */
export const MAX_BLOCK_CHARS = 16_000;

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
    /** Owners already asked for a review (`reviewers: request`): each is asked once per pull request. */
    requested: z.array(z.string().min(1).max(100)).max(MAX_REQUESTED).default([]),
  })
  .strict();

export type TriageDecision = z.infer<typeof decisionSchema>;
export type TriageState = z.infer<typeof stateSchema>;
export type TriageKind = "ignored" | "approved";

export const EMPTY_TRIAGE_STATE: TriageState = { version: TRIAGE_STATE_VERSION, ignored: [], approved: [], paused: null, requested: [] };

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

/**
 * The block as it sits in the comment: `<` and `>` escaped, so no text in it can close the HTML
 * comment. An empty `requested` is left out: a worker of the version before it, still running
 * during a rolling deploy, reads the block instead of calling it malformed.
 */
export function renderTriageBlock(state: TriageState): string {
  const { requested, ...rest } = state;
  const json = JSON.stringify(requested.length > 0 ? state : rest).replace(/</g, "\\u003c").replace(/>/g, "\\u003e");
  return `<!-- backend-review:triage ${json} -->`;
}

/** No decision, not paused, nobody asked for a review: nothing to keep. */
export function isEmptyTriageState(state: TriageState): boolean {
  return state.ignored.length === 0 && state.approved.length === 0 && state.paused === null && state.requested.length === 0;
}

/** The state with its oldest decisions dropped until its block fits MAX_BLOCK_CHARS (a state edited by hand may not). */
export function fitTriageState(state: TriageState): TriageState {
  let next = state;
  while (renderTriageBlock(next).length > MAX_BLOCK_CHARS && next.ignored.length + next.approved.length > 0) {
    const kind: TriageKind = next.ignored.length >= next.approved.length ? "ignored" : "approved";
    next = { ...next, [kind]: next[kind].slice(1) };
  }
  return next;
}

/** The state with these owners recorded as asked for a review (the newest kept when the list is full). */
export function withRequested(state: TriageState, owners: readonly string[]): TriageState {
  return { ...state, requested: [...new Set([...state.requested, ...owners])].slice(-MAX_REQUESTED) };
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

/**
 * The state with one decision added; a decision on the same target of the same kind is replaced
 * (the newest reason wins). The oldest decisions of that kind go first when the list is full or
 * the block would pass MAX_BLOCK_CHARS: the summary must keep its room.
 */
export function withDecision(state: TriageState, kind: TriageKind, decision: TriageDecision): TriageState {
  const kept = state[kind].filter((d) => d.target !== decision.target);
  let next: TriageState = { ...state, [kind]: [...kept, decision].slice(-MAX_DECISIONS) };
  while (next[kind].length > 1 && renderTriageBlock(next).length > MAX_BLOCK_CHARS) next = { ...next, [kind]: next[kind].slice(1) };
  return next;
}
