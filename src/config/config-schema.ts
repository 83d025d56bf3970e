import { z } from "zod";

const ruleSetting = z.enum(["off", "info", "low", "medium", "high"]);
const failOn = z.enum(["high", "medium", "low", "none"]);
const ruleId = z.string().regex(/^[a-z]+\/[a-z0-9-]+$/, "a rule id such as data/n-plus-one");
const ruleGlob = z.string().regex(/^[a-z*]+\/[a-z0-9*-]+$/, "a rule id or glob such as migration/*");
const glob = z.string().min(1);

/**
 * Settings for the files under some paths (a monorepo's services): for a finding in a file that
 * matches `paths`, a later override wins over an earlier one and over the top level, key by key
 * (`rules.<id>`, `fail_on`, `gate.block`, `gate.warn`); what no matching override sets stays the top level's.
 */
const override = z
  .object({
    paths: z.array(glob).min(1, "at least one glob such as services/billing/**"),
    rules: z.record(ruleId, ruleSetting).optional(),
    fail_on: failOn.optional(),
    gate: z.object({ block: z.array(ruleGlob).optional(), warn: z.array(ruleGlob).optional() }).strict().optional(),
  })
  .strict();

/** `.github/backend-review.yml`. Unknown keys are errors: a typo must not silently do nothing. */
export const configSchema = z
  .object({
    fail_on: failOn.default("high"),
    comments: z.enum(["summary", "inline", "both", "none"]).default("both"),
    paths: z
      .object({
        include: z.array(glob).default([]),
        exclude: z.array(glob).default([]),
      })
      .strict()
      .default({ include: [], exclude: [] }),
    rules: z.record(ruleId, ruleSetting).default({}),
    /**
     * The gate by rule, over `fail_on`'s severity threshold: a finding of a `block` rule fails the
     * check whatever its severity, one of a `warn` rule never does. Rule ids or globs (`migration/*`).
     */
    gate: z
      .object({
        block: z.array(ruleGlob).default([]),
        warn: z.array(ruleGlob).default([]),
      })
      .strict()
      .default({ block: [], warn: [] }),
    overrides: z.array(override).default([]),
    /** Pull requests not to review. The label `skip-backend-review` always skips. */
    skip: z
      .object({
        drafts: z.boolean().default(true),
        bots: z.boolean().default(true),
        /** Globs of the head branch (`release/*`). */
        branches: z.array(glob).default([]),
        authors: z.array(z.string().min(1)).default([]),
        labels: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .default({ drafts: true, bots: true, branches: [], authors: [], labels: [] }),
    /**
     * Suggested reviewers (the CODEOWNERS owners of the tables, queues and events a change touches):
     * `suggest` names them in the summary; `request` also asks them for a review, once per pull request.
     */
    reviewers: z.enum(["suggest", "request"]).default("suggest"),
    /** A repository may ask for a smaller review budget than the worker's; never a larger one. */
    limits: z
      .object({
        time_seconds: z.number().int().positive().optional(),
        memory_mb: z.number().int().min(64).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

export type ReviewConfig = z.infer<typeof configSchema>;
export type FailOn = ReviewConfig["fail_on"];
export type RuleSetting = z.infer<typeof ruleSetting>;
export type ConfigOverride = z.infer<typeof override>;
export type SkipConfig = ReviewConfig["skip"];

export const DEFAULT_CONFIG: ReviewConfig = configSchema.parse({});
