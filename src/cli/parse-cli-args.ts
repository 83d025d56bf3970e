import { parseArgs } from "node:util";

export const USAGE = `Usage: backend-review analyze [--repo DIR] [--base REF] [--head REF] [--format markdown|json|sarif] [--config FILE] [--fail-on high|medium|low|none] [--sarif-file FILE] [--no-cache] [--stats]

Analyzes base...head of a local git repository and prints the backend review.
  --repo DIR      the repository (default: the current directory)
  --base REF      where the change starts (default: the merge base with the default branch)
  --head REF      where it ends (default: HEAD)
  --format F      markdown (default), json or sarif
  --config FILE   a backend-review.yml (default: .github/backend-review.yml of the head commit, if any)
  --fail-on L     exit 1 when a finding reaches this severity (default: the config's fail_on, else high;
                  it replaces the top-level fail_on only, an override's stays)
  --sarif-file F  also write the SARIF report to F, from the same analysis (the GitHub Action's SARIF
                  and job summary come from one run)
  --no-cache      neither read nor write the facts cache (BACKEND_REVIEW_CACHE_DIR)
  --stats         print what the run read and parsed as one JSON line on standard error

Exit codes: 0 nothing reaches the fail-on level, 1 something does, 2 bad usage or input.`;

const FORMATS = ["markdown", "json", "sarif"] as const;
const FAIL_ON = ["high", "medium", "low", "none"] as const;

export interface AnalyzeArgs {
  command: "analyze";
  repo: string;
  base?: string;
  head: string;
  format: (typeof FORMATS)[number];
  config?: string;
  failOn?: (typeof FAIL_ON)[number];
  /** --sarif-file: the SARIF report is also written there. */
  sarifFile?: string;
  /** false with --no-cache. */
  cache: boolean;
  stats: boolean;
}

export type CliArgs = AnalyzeArgs | { command: "help" } | { command: "version" };

export class UsageError extends Error {
  override name = "UsageError";
}

export function parseCliArgs(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        repo: { type: "string" },
        base: { type: "string" },
        head: { type: "string" },
        format: { type: "string" },
        config: { type: "string" },
        "fail-on": { type: "string" },
        "sarif-file": { type: "string" },
        "no-cache": { type: "boolean" },
        stats: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        version: { type: "boolean", short: "v" },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message.split("\n")[0]!);
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: "help" };
  if (values.version) return { command: "version" };
  const [command, ...rest] = positionals;
  if (command !== "analyze") throw new UsageError(command ? `unknown command: ${command}` : "missing command: analyze");
  if (rest.length > 0) throw new UsageError(`unexpected argument: ${rest[0]}`);
  const format = values.format ?? "markdown";
  if (!isOneOf(FORMATS, format)) throw new UsageError(`--format must be one of ${FORMATS.join(", ")}`);
  const failOn = values["fail-on"];
  if (failOn !== undefined && !isOneOf(FAIL_ON, failOn)) throw new UsageError(`--fail-on must be one of ${FAIL_ON.join(", ")}`);
  return { command, repo: values.repo ?? process.cwd(), base: values.base, head: values.head ?? "HEAD", format, config: values.config, failOn, sarifFile: values["sarif-file"], cache: !values["no-cache"], stats: values.stats === true };
}

function isOneOf<T extends string>(options: readonly T[], value: string): value is T {
  return (options as readonly string[]).includes(value);
}
