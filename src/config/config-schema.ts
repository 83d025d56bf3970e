import { z } from "zod";

const ruleSetting = z.enum(["off", "info", "low", "medium", "high"]);

/** `.github/backend-review.yml`. Unknown keys are errors: a typo must not silently do nothing. */
export const configSchema = z
  .object({
    fail_on: z.enum(["high", "medium", "low", "none"]).default("high"),
    comments: z.enum(["summary", "inline", "both", "none"]).default("both"),
    paths: z
      .object({
        include: z.array(z.string().min(1)).default([]),
        exclude: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .default({ include: [], exclude: [] }),
    rules: z.record(z.string().regex(/^[a-z]+\/[a-z0-9-]+$/, "a rule id such as data/n-plus-one"), ruleSetting).default({}),
    /**
     * The gate by rule, over `fail_on`'s severity threshold: a finding of a `block` rule fails the
     * check whatever its severity, one of a `warn` rule never does. Rule ids or globs (`migration/*`).
     */
    gate: z
      .object({
        block: z.array(z.string().regex(/^[a-z*]+\/[a-z0-9*-]+$/, "a rule id or glob such as migration/*")).default([]),
        warn: z.array(z.string().regex(/^[a-z*]+\/[a-z0-9*-]+$/, "a rule id or glob such as data/n-plus-one")).default([]),
      })
      .strict()
      .default({ block: [], warn: [] }),
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

export const DEFAULT_CONFIG: ReviewConfig = configSchema.parse({});
