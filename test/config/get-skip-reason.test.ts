import { describe, expect, it } from "vitest";
import { DEFAULT_CONFIG, type SkipConfig } from "../../src/config/config-schema.js";
import { getSkipReason, type SkipFacts } from "../../src/config/get-skip-reason.js";

const pr = (over: Partial<SkipFacts> = {}): SkipFacts => ({ draft: false, headRef: "feature/orders", authorLogin: "octocat", authorIsBot: false, labels: [], ...over });
const withSkip = (skip: Partial<SkipConfig>) => ({ skip: { ...DEFAULT_CONFIG.skip, ...skip } });

describe("getSkipReason", () => {
  const skips: Array<[string, { skip: SkipConfig }, SkipFacts, string]> = [
    ["a draft, by default", DEFAULT_CONFIG, pr({ draft: true }), "a draft (skip.drafts)"],
    ["a bot's pull request, by default", DEFAULT_CONFIG, pr({ authorLogin: "renovate[bot]", authorIsBot: true }), "opened by the bot renovate[bot] (skip.bots)"],
    ["the skip-backend-review label, whatever the config", withSkip({ drafts: false, bots: false }), pr({ labels: ["Skip-Backend-Review"] }), "labelled skip-backend-review"],
    ["a label skip.labels lists, in any case", withSkip({ labels: ["no-review"] }), pr({ labels: ["docs", "No-Review"] }), "labelled no-review, which skip.labels lists"],
    ["an author skip.authors lists, in any case", withSkip({ authors: ["Release-Bot"] }), pr({ authorLogin: "release-bot" }), "opened by release-bot, whom skip.authors lists"],
    ["a head branch matching skip.branches", withSkip({ branches: ["dependabot/**", "release/*"] }), pr({ headRef: "release/1.2" }), "head branch release/1.2 matches skip.branches 'release/*'"],
    ["a nested branch matching a globstar", withSkip({ branches: ["dependabot/**"] }), pr({ headRef: "dependabot/npm_and_yarn/zod-4.1.0" }), "head branch dependabot/npm_and_yarn/zod-4.1.0 matches skip.branches 'dependabot/**'"],
  ];
  for (const [what, config, facts, reason] of skips) {
    it(`skips ${what}`, () => expect(getSkipReason(config, facts)).toBe(reason));
  }

  const reviews: Array<[string, { skip: SkipConfig }, SkipFacts]> = [
    ["an ordinary pull request", DEFAULT_CONFIG, pr()],
    ["a draft when skip.drafts is false", withSkip({ drafts: false }), pr({ draft: true })],
    ["a bot's pull request when skip.bots is false", withSkip({ bots: false }), pr({ authorLogin: "renovate[bot]", authorIsBot: true })],
    ["a user whose login only looks like a bot's", DEFAULT_CONFIG, pr({ authorLogin: "robot[bot]" })],
    ["a label that only contains a skip label's name", withSkip({ labels: ["wip"] }), pr({ labels: ["skip-backend-review-later", "wip-ish"] })],
    ["an author whose login only starts like a listed one", withSkip({ authors: ["release"] }), pr({ authorLogin: "release-bot" })],
    ["a branch one level deeper than release/*", withSkip({ branches: ["release/*"] }), pr({ headRef: "release/1.2/hotfix" })],
    ["a branch that only starts like the glob", withSkip({ branches: ["release/*"] }), pr({ headRef: "releases/1.2" })],
    ["a branch named like the base of a glob", withSkip({ branches: ["release/*"] }), pr({ headRef: "release" })],
  ];
  for (const [what, config, facts] of reviews) {
    it(`reviews ${what}`, () => expect(getSkipReason(config, facts)).toBeUndefined());
  }

  it("gives the label first when several reasons hold", () => {
    expect(getSkipReason(DEFAULT_CONFIG, pr({ draft: true, authorIsBot: true, labels: ["skip-backend-review"] }))).toBe("labelled skip-backend-review");
  });
});
