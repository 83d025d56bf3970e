export type Command = { kind: "review" } | { kind: "help"; unknown?: string };

/**
 * `/backend-review` or `/backend-review run` → review; `/backend-review help` → help; any other
 * word → help that names it; anything not starting with the command → not ours (undefined).
 */
export function parseCommand(body: string): Command | undefined {
  const match = /^\/backend-review(?:[ \t]+(\S+))?[ \t]*(?:\r?\n|$)/.exec(body.trimStart());
  if (!match) return undefined;
  const word = match[1];
  if (word === undefined || word.toLowerCase() === "run") return { kind: "review" };
  if (word.toLowerCase() === "help") return { kind: "help" };
  return { kind: "help", unknown: word };
}
