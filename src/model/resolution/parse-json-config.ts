import { ts } from "ts-morph";

export type JsonObject = { readonly [key: string]: unknown };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Parses a tsconfig/jsconfig/package.json leniently, as tsc does: comments, trailing commas
 * and a byte-order mark are accepted, a syntax error keeps whatever parsed around it, and a
 * text that is no object at all reads as an empty config (tsc's answer too).
 */
export function parseJsonConfig(fileName: string, text: string): JsonObject | undefined {
  try {
    const { config } = ts.parseConfigFileTextToJson(fileName, text) as { config?: unknown };
    return isJsonObject(config) ? config : undefined;
  } catch {
    return undefined;
  }
}
