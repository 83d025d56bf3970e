const SUPPRESSION = /backend-review-ignore\s+([a-z]+\/[a-z0-9-]+)/g;

/**
 * Rule ids suppressed per line by `backend-review-ignore <rule-id> <reason>` comments.
 * A comment suppresses its own line and the line below it (any comment syntax: //, --, #).
 */
export function getSuppressions(text: string): Map<number, Set<string>> {
  const byLine = new Map<number, Set<string>>();
  if (!text.includes("backend-review-ignore")) return byLine;
  const lines = text.split("\n");
  lines.forEach((content, index) => {
    for (const match of content.matchAll(SUPPRESSION)) {
      for (const line of [index + 1, index + 2]) {
        let ids = byLine.get(line);
        if (!ids) byLine.set(line, (ids = new Set()));
        ids.add(match[1]!);
      }
    }
  });
  return byLine;
}
