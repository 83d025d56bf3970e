import { STATUS_CODES } from "node:http";

export interface FaultSpec {
  /** Any method when absent. */
  method?: string;
  /**
   * REST: the path relative to the API root without query (`/repos/o/r/check-runs/5`); git: the
   * pathname (`/o/r.git/info/refs`). A string must be equal; a RegExp is tested against it.
   */
  path: string | RegExp;
  status: number;
  headers?: Record<string, string>;
  /** JSON; `{ message: <reason phrase> }` when absent. */
  body?: unknown;
  /** How many matching requests fail; 1 when absent. */
  times?: number;
}

/** A registered fault: `hits` lets a test assert that it fired. */
export interface Fault {
  spec: FaultSpec;
  hits: number;
  readonly remaining: number;
}

export interface FaultResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** The secondary rate limit as GitHub sends it: 403, `retry-after`, and this message. */
export function secondaryRateLimit({ retryAfter = 60, ...rest }: Omit<FaultSpec, "status" | "body" | "headers"> & { retryAfter?: number }): FaultSpec {
  return {
    ...rest,
    status: 403,
    headers: { "retry-after": String(retryAfter), "x-ratelimit-remaining": "4000" },
    body: {
      message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:FAKE.",
      documentation_url: "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
      status: "403",
    },
  };
}

/** Faults are taken in the order they were added; the first that matches answers. */
export function createFaultInjector() {
  const faults: Fault[] = [];
  return {
    failNext(spec: FaultSpec): Fault {
      const times = spec.times ?? 1;
      const fault: Fault = {
        spec,
        hits: 0,
        get remaining() {
          return times - this.hits;
        },
      };
      faults.push(fault);
      return fault;
    },
    take(method: string, path: string): FaultResponse | undefined {
      const fault = faults.find((f) => f.remaining > 0 && (!f.spec.method || f.spec.method.toUpperCase() === method.toUpperCase()) && matches(f.spec.path, path));
      if (!fault) return undefined;
      fault.hits++;
      const { status, headers = {}, body = { message: STATUS_CODES[status] ?? "Error", status: String(status) } } = fault.spec;
      return { status, headers, body };
    },
    clear(): void {
      faults.length = 0;
    },
  };
}

function matches(pattern: string | RegExp, path: string): boolean {
  if (typeof pattern === "string") return pattern === path;
  pattern.lastIndex = 0;
  return pattern.test(path);
}
