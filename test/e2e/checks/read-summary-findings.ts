export interface SummaryFinding {
  ruleId: string;
  path: string;
  line: number;
  /** The short id people name it by in commands. */
  id: string;
  /** Who approved it (`✅ approved by @user`), if anyone did. */
  approvedBy?: string;
}

// "- `data/n-plus-one` at `src/pr-12/service.ts:9` (id `3f2a9c1`) ✅ approved by @alice — …", as the "Potential concerns" section lists them.
const FINDING_LINE = /^- `([^`]+)` at `([^`]+):(\d+)` \(id `([0-9a-f]{7})`\)(?: ✅ approved by @(\S+))? — /;

/** The findings our summary comment lists, read as a person would: by the ids and places it shows. */
export function readSummaryFindings(body: string): SummaryFinding[] {
  return body.split("\n").flatMap((text) => {
    const match = FINDING_LINE.exec(text);
    if (!match) return [];
    const [, ruleId, path, line, id, approvedBy] = match;
    return [{ ruleId: ruleId!, path: path!, line: Number(line), id: id!, ...(approvedBy ? { approvedBy } : {}) }];
  });
}
