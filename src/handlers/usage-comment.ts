export const USAGE_COMMENT = [
  "**Backend Review** commands (for users with write access):",
  "",
  "- `/backend-review` (or `/backend-review run`) re-runs the review on the pull request's current head commit.",
  "- `/backend-review help` shows this message.",
  "",
  "The review also runs on every push, unless the pull request is labelled `skip-backend-review`. Settings live in `.github/backend-review.yml` on the default branch.",
].join("\n");
