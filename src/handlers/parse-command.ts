export type Command = "review" | "help";

/** `/backend-review` → review, `/backend-review help` (or anything unknown) → help; else not ours. */
export function parseCommand(body: string): Command | undefined {
  const match = /^\/backend-review(?:[ \t]+(\S+))?[ \t]*(?:\r?\n|$)/.exec(body.trimStart());
  if (!match) return undefined;
  return match[1] === undefined ? "review" : "help";
}
