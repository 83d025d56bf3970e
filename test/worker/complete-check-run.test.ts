import nock from "nock";
import { afterEach, describe, expect, it } from "vitest";
import { completeCheckRun, truncateUtf8 } from "../../src/github/complete-check-run.js";
import type { CheckRunAnnotation } from "../../src/report/render-check-run.js";
import { createTestProbot, githubApi, nockAccessToken, nockUpdateCheckRun, setupNock, type SentRequest } from "../helpers/github-nock.js";
import { INSTALLATION_ID } from "../helpers/payloads.js";

const annotation = (line: number): CheckRunAnnotation => ({
  path: "src/a.ts", start_line: line, end_line: line, annotation_level: "warning", title: "t".repeat(300), message: "m",
});

describe("completeCheckRun", () => {
  afterEach(() => nock.cleanAll());

  it("cuts summary and text to 65535 UTF-8 bytes, clips titles, and batches 101 annotations as 50/50/1", async () => {
    setupNock();
    const sent: SentRequest[] = [];
    const scope = nockUpdateCheckRun(nockAccessToken(githubApi()), { id: 9, sent, times: 3 });
    const octokit = await createTestProbot().auth(INSTALLATION_ID);

    await completeCheckRun(octokit, {
      owner: "Codertocat", repo: "Hello-World", checkRunId: 9, completedAt: new Date(0),
      result: { conclusion: "failure", title: "T", summary: "é".repeat(40_000), text: "€".repeat(30_000), annotations: Array.from({ length: 101 }, (_, i) => annotation(i + 1)) },
    });

    expect(scope.isDone()).toBe(true);
    expect(sent.map((s) => s.body.output.annotations.length)).toEqual([50, 50, 1]);
    expect(sent[0]!.body).toMatchObject({ status: "completed", conclusion: "failure", completed_at: "1970-01-01T00:00:00.000Z" });
    for (const { body } of sent) {
      expect(Buffer.byteLength(body.output.summary)).toBeLessThanOrEqual(65_535);
      expect(Buffer.byteLength(body.output.text)).toBeLessThanOrEqual(65_535);
      expect(body.output.title).toBe("T");
      expect(body.output.annotations.every((a: CheckRunAnnotation) => a.title.length <= 255)).toBe(true);
    }
  });

  it("never splits a multi-byte character", () => {
    const cut = truncateUtf8("a" + "😀".repeat(10), 30);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(30);
    expect(cut).not.toContain("\uFFFD");
  });
});
