import nock from "nock";
import type { Probot } from "probot";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { requestOwnerReviews } from "../../src/github/request-owner-reviews.js";
import { createTestProbot, githubApi, nockAccessToken, setupNock } from "../helpers/github-nock.js";
import { INSTALLATION_ID } from "../helpers/payloads.js";

const PATH = "/repos/acme/shop/pulls/7/requested_reviewers";

describe("requestOwnerReviews", () => {
  let probot: Probot;
  beforeEach(() => {
    setupNock();
    probot = createTestProbot();
  });
  afterEach(() => nock.cleanAll());
  const ask = async (owners: string[], author = "alice") =>
    requestOwnerReviews(await probot.auth(INSTALLATION_ID), { owner: "acme", repo: "shop", pullNumber: 7, owners, author });

  it("asks users as reviewers and the organisation's teams as team reviewers, in one request", async () => {
    const bodies: unknown[] = [];
    const scope = nockAccessToken(githubApi()).post(PATH, (body) => (bodies.push(body), true)).reply(201, {});
    expect(await ask(["@dba-lead", "@acme/data", "@ACME/payments"])).toEqual({ requested: ["@dba-lead", "@acme/data", "@ACME/payments"] });
    expect(scope.isDone()).toBe(true);
    expect(bodies).toEqual([{ reviewers: ["dba-lead"], team_reviewers: ["data", "payments"] }]);
  });

  it("leaves out what cannot be asked: the author, an email, another organisation's team", async () => {
    const bodies: unknown[] = [];
    const scope = nockAccessToken(githubApi()).post(PATH, (body) => (bodies.push(body), true)).reply(201, {});
    expect(await ask(["@Alice", "dba@acme.example", "@globex/data", "@bob"])).toEqual({ requested: ["@bob"] });
    expect(scope.isDone()).toBe(true);
    expect(bodies).toEqual([{ reviewers: ["bob"] }]);
  });

  it("sends nothing when nobody can be asked", async () => {
    // No interceptor: a request would fail the test with nock's no-match error.
    expect(await ask(["@alice", "dba@acme.example"])).toEqual({ requested: [] });
  });

  it("returns GitHub's refusal (422) instead of throwing, and throws anything else", async () => {
    nockAccessToken(githubApi()).post(PATH).reply(422, { message: "Reviews may only be requested from collaborators." });
    expect(await ask(["@outsider"])).toEqual({ requested: [], refused: expect.stringContaining("collaborators") });
    nock.cleanAll();
    probot = createTestProbot();
    nockAccessToken(githubApi()).post(PATH).reply(502, { message: "Bad Gateway" });
    await expect(ask(["@bob"])).rejects.toMatchObject({ status: 502 });
  });
});
