/**
 * The analysis went over its budget and was stopped: a time budget (its thread was terminated
 * past the hard deadline) or a memory budget (its thread's heap reached the limit). Retrying the
 * same pull request with the same budget ends the same way.
 */
export class AnalysisBudgetError extends Error {
  override name = "AnalysisBudgetError";
  readonly kind: "time" | "memory";

  constructor(kind: "time" | "memory", message: string) {
    super(message);
    this.kind = kind;
  }
}
