import type { CheckRunAnnotation } from "../report/render-check-run.js";
import type { GitHubClient, RepoRef } from "./github-client.js";

// GitHub rejects more than 50 annotations per request (422); further PATCHes append.
export const ANNOTATIONS_PER_REQUEST = 50;
// output.summary and output.text: maxLength 65535, which behaves like a byte limit.
export const OUTPUT_MAX_BYTES = 65_535;
const ANNOTATION_TITLE_MAX = 255;
const ANNOTATION_MESSAGE_MAX_BYTES = 64_000;

export interface CheckRunResult {
  conclusion: "success" | "failure" | "neutral" | "skipped";
  title: string;
  summary: string;
  text?: string;
  annotations?: CheckRunAnnotation[];
}

export interface CompleteCheckRunInput extends RepoRef {
  checkRunId: number;
  result: CheckRunResult;
  completedAt: Date;
}

/**
 * Completes the check run with its first 50 annotations, then appends the rest 50 at a time.
 * Every PATCH resends title and summary: the docs call title required on update.
 */
export async function completeCheckRun(octokit: GitHubClient, { owner, repo, checkRunId, result, completedAt }: CompleteCheckRunInput): Promise<void> {
  const annotations = (result.annotations ?? []).map(clipAnnotation);
  const output = {
    title: result.title,
    summary: truncateUtf8(result.summary, OUTPUT_MAX_BYTES),
    ...(result.text ? { text: truncateUtf8(result.text, OUTPUT_MAX_BYTES) } : {}),
  };
  const batches: CheckRunAnnotation[][] = [];
  for (let i = 0; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) batches.push(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));

  await octokit.rest.checks.update({
    owner,
    repo,
    check_run_id: checkRunId,
    status: "completed",
    conclusion: result.conclusion,
    completed_at: completedAt.toISOString(),
    output: { ...output, annotations: batches[0] ?? [] },
  });
  for (const batch of batches.slice(1)) {
    await octokit.rest.checks.update({ owner, repo, check_run_id: checkRunId, output: { ...output, annotations: batch } });
  }
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes without splitting a character, with a notice. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, "utf8") <= maxBytes) return text;
  const notice = "\n\n… (truncated)";
  const budget = maxBytes - Buffer.byteLength(notice, "utf8");
  let cut = Buffer.from(text, "utf8").subarray(0, budget).toString("utf8");
  // A character split at the boundary decodes as U+FFFD; drop it.
  if (cut.endsWith("\uFFFD")) cut = cut.slice(0, -1);
  return cut + notice;
}

function clipAnnotation(annotation: CheckRunAnnotation): CheckRunAnnotation {
  return {
    ...annotation,
    title: annotation.title.length > ANNOTATION_TITLE_MAX ? `${annotation.title.slice(0, ANNOTATION_TITLE_MAX - 1)}…` : annotation.title,
    message: truncateUtf8(annotation.message, ANNOTATION_MESSAGE_MAX_BYTES),
    ...(annotation.raw_details !== undefined ? { raw_details: truncateUtf8(annotation.raw_details, ANNOTATION_MESSAGE_MAX_BYTES) } : {}),
  };
}
