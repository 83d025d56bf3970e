import picomatch from "picomatch";
import type { SkipConfig } from "./config-schema.js";

/** This label skips a pull request whatever the config says. */
export const SKIP_LABEL = "skip-backend-review";

/** What getSkipReason needs to know of a pull request (src/github/get-pull-request.ts has it all). */
export interface SkipFacts {
  draft: boolean;
  headRef: string;
  authorLogin: string;
  authorIsBot: boolean;
  labels: readonly string[];
}

/** Why this pull request is not to be reviewed ("head branch release/1.2 matches skip.branches 'release/*'"), or undefined. */
export function getSkipReason(config: { skip: SkipConfig }, pr: SkipFacts): string | undefined {
  const { skip } = config;
  // GitHub label names and logins are case-insensitive.
  const labels = new Set(pr.labels.map((l) => l.toLowerCase()));
  if (labels.has(SKIP_LABEL)) return `labelled ${SKIP_LABEL}`;
  const label = skip.labels.find((l) => labels.has(l.toLowerCase()));
  if (label !== undefined) return `labelled ${label}, which skip.labels lists`;
  if (skip.drafts && pr.draft) return "a draft (skip.drafts)";
  if (skip.bots && pr.authorIsBot) return `opened by the bot ${pr.authorLogin} (skip.bots)`;
  const author = skip.authors.find((a) => a.toLowerCase() === pr.authorLogin.toLowerCase());
  if (author !== undefined) return `opened by ${pr.authorLogin}, whom skip.authors lists`;
  const branch = skip.branches.find((glob) => picomatch(glob, { dot: true })(pr.headRef));
  if (branch !== undefined) return `head branch ${pr.headRef} matches skip.branches '${branch}'`;
  return undefined;
}
