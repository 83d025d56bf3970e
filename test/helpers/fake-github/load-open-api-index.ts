import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { compareSpecificity, compilePathTemplate, matchPathTemplate, type PathTemplate } from "./path-template.js";

/**
 * Which description to check against. `api.github.com` by default: that is where the app runs;
 * GHES serves the same paths under `/api/v3`, so its descriptions fit the fake just as well.
 */
export type OpenApiSpecName = "api.github.com" | "ghec" | "ghes-3.17" | "ghes-3.18" | "ghes-3.19";

/** The subset of an OpenAPI 3.0 operation the checks read; the rest of the 70 MB is dropped. */
export interface OpenApiParameter {
  name: string;
  in: "path" | "query" | "header" | "cookie";
  required?: boolean;
  schema?: Record<string, unknown>;
  "x-multi-segment"?: boolean;
}

export interface OpenApiOperation {
  method: string;
  operationId: string;
  path: PathTemplate;
  parameters: OpenApiParameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: Record<string, unknown> }> };
}

export interface OpenApiIndex {
  spec: OpenApiSpecName;
  /** `openapi` field of the file: 3.0.x, so schemas use `nullable`, not `type: [.., "null"]`. */
  openapi: string;
  operationCount: number;
  loadMs: number;
  find(method: string, path: string): { operation: OpenApiOperation; params: Record<string, string> } | undefined;
}

const loaded = new Map<OpenApiSpecName, OpenApiIndex>();

/**
 * The dereferenced description (no `$ref` left, so every operation's schemas stand alone), read
 * and indexed once per process: parsing it takes most of a second.
 */
export function loadOpenApiIndex(spec: OpenApiSpecName = "api.github.com"): OpenApiIndex {
  const cached = loaded.get(spec);
  if (cached) return cached;
  const started = performance.now();
  const file = createRequire(import.meta.url).resolve(`@octokit/openapi/generated/${spec}.deref.json`);
  const document = JSON.parse(readFileSync(file, "utf8")) as { openapi: string; paths: Record<string, Record<string, any>> };
  const byMethod = new Map<string, OpenApiOperation[]>();
  let operationCount = 0;
  for (const [template, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!operation || typeof operation !== "object" || !("operationId" in operation)) continue;
      const parameters = (operation.parameters ?? []) as OpenApiParameter[];
      const multiSegment = new Set(parameters.filter((p) => p.in === "path" && p["x-multi-segment"]).map((p) => p.name));
      const list = byMethod.get(method.toUpperCase()) ?? [];
      list.push({
        method: method.toUpperCase(),
        operationId: operation.operationId,
        path: compilePathTemplate(template, multiSegment),
        parameters,
        ...(operation.requestBody ? { requestBody: operation.requestBody } : {}),
      });
      byMethod.set(method.toUpperCase(), list);
      operationCount++;
    }
  }
  for (const list of byMethod.values()) list.sort((a, b) => compareSpecificity(a.path, b.path));
  const index: OpenApiIndex = {
    spec,
    openapi: document.openapi,
    operationCount,
    loadMs: performance.now() - started,
    find(method, path) {
      for (const operation of byMethod.get(method.toUpperCase()) ?? []) {
        const params = matchPathTemplate(operation.path, path);
        if (params) return { operation, params };
      }
      return undefined;
    },
  };
  loaded.set(spec, index);
  return index;
}
