export const USAGE_COMMENT = [
  "**Backend Review** commands (for users with write access):",
  "",
  "- `/backend-review` (or `/backend-review run`) re-runs the review on the pull request's current head commit.",
  "- `/backend-review full` reviews again and lists every finding in the changed files, not only those on changed lines.",
  "- `/backend-review config` shows the effective configuration and where each value comes from.",
  "- `/backend-review ignore <finding-id|rule> <reason>` dismisses a finding (or every finding of a rule) on this pull request.",
  "- `/backend-review approve <finding-id|category> <reason>` accepts a finding's risk: it stays listed, and no longer fails the check.",
  "- `/backend-review pause` stops reviewing pushes to this pull request; `/backend-review resume` starts again.",
  "- `/backend-review help` shows this message.",
  "",
  "Finding ids are the 7-character ids shown in the summary and in each inline comment. Decisions are kept in the summary comment, with who made them and why.",
  "The review also runs on every push, unless the pull request is labelled `skip-backend-review`. Settings live in `.github/backend-review.yml` on the default branch.",
].join("\n");
