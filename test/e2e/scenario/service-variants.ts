/**
 * What one pull request's file (`src/pr-<n>/service.ts`) holds at each push. Each snippet is either
 * a real finding of the registered rules or its fixed form, so across pushes a finding stays (its
 * fingerprint too, even when padding moves it), moves, is fixed, comes back, or a new one appears.
 */
export type Snippet = "postsLoop" | "postsBatch" | "commentsMap" | "ratesNoTimeout" | "ratesTimeout" | "feesNoTimeout";

export type Severity = "high" | "medium";

export interface Variant {
  snippets: readonly Snippet[];
  /** Comment lines above the code: moves every finding down without changing its fingerprint. */
  padding: number;
}

const SNIPPETS: Record<Snippet, { lines: string[]; finding?: { ruleId: string; severity: Severity } }> = {
  postsLoop: {
    lines: [
      "export async function postsOfAuthors(authors: Array<{ id: number }>) {",
      "  const result = [];",
      "  for (const author of authors) {",
      "    result.push(await prisma.post.findMany({ where: { authorId: author.id }, take: 20 }));",
      "  }",
      "  return result;",
      "}",
    ],
    finding: { ruleId: "data/n-plus-one", severity: "high" },
  },
  postsBatch: {
    lines: [
      "export async function postsOfAuthors(authors: Array<{ id: number }>) {",
      "  return prisma.post.findMany({ where: { authorId: { in: authors.map((author) => author.id) } }, take: 100 });",
      "}",
    ],
  },
  commentsMap: {
    lines: [
      "export async function commentsOfPosts(posts: Array<{ id: number }>) {",
      "  return Promise.all(posts.map((post) => prisma.comment.findMany({ where: { postId: post.id }, take: 10 })));",
      "}",
    ],
    finding: { ruleId: "data/n-plus-one", severity: "high" },
  },
  ratesNoTimeout: {
    lines: [
      "export async function loadRates(base: string) {",
      "  const res = await fetch(`https://rates.example.com/latest?base=${base}`);",
      "  return res.json();",
      "}",
    ],
    finding: { ruleId: "http/no-timeout", severity: "medium" },
  },
  ratesTimeout: {
    lines: [
      "export async function loadRates(base: string) {",
      "  const res = await fetch(`https://rates.example.com/latest?base=${base}`, { signal: AbortSignal.timeout(3000) });",
      "  return res.json();",
      "}",
    ],
  },
  feesNoTimeout: {
    lines: [
      "export async function loadFees(region: string) {",
      "  const res = await fetch(`https://fees.example.com/${region}`);",
      "  return res.json();",
      "}",
    ],
    finding: { ruleId: "http/no-timeout", severity: "medium" },
  },
};

const v = (padding: number, ...snippets: Snippet[]): Variant => ({ snippets, padding });

/** The pushes every pull request goes through before its last one: opened with the first. */
export const EARLIER_VARIANTS: readonly Variant[] = [
  v(0, "postsLoop", "ratesNoTimeout"),
  v(3, "postsLoop", "ratesNoTimeout"), // both findings moved: not posted again
  v(1, "postsBatch", "commentsMap", "ratesTimeout"), // both fixed, a new N+1
  v(4, "postsBatch", "commentsMap", "ratesTimeout", "feesNoTimeout"), // moved, and a new missing timeout
  v(0, "postsLoop", "commentsMap", "feesNoTimeout"), // the first N+1 is back: its comment exists already
];

/** The last push, by pull request (round robin): clean, high findings, high and medium, medium only. */
export const FINAL_VARIANTS: readonly Variant[] = [
  v(0, "postsBatch", "ratesTimeout"),
  v(5, "postsLoop", "commentsMap", "feesNoTimeout"),
  v(2, "postsBatch", "commentsMap", "ratesNoTimeout"),
  v(1, "postsBatch", "ratesTimeout", "feesNoTimeout"),
];

export function renderServiceFile({ pullNumber, revision, variant }: { pullNumber: number; revision: number; variant: Variant }): string {
  const lines = [
    'import { prisma } from "../lib/prisma";',
    "",
    `// Pull request #${pullNumber}, revision ${revision}`,
    ...Array.from({ length: variant.padding }, (_, i) => `// note ${i + 1}`),
  ];
  for (const snippet of variant.snippets) lines.push("", ...SNIPPETS[snippet].lines);
  return `${lines.join("\n")}\n`;
}

export interface VariantFinding {
  snippet: Snippet;
  ruleId: string;
  severity: Severity;
}

/** The rules the variant's code trips, each with its default severity and the snippet that trips it. */
export function getVariantFindings(variant: Variant): VariantFinding[] {
  return variant.snippets.flatMap((snippet) => {
    const finding = SNIPPETS[snippet].finding;
    return finding ? [{ snippet, ...finding }] : [];
  });
}

/**
 * The check run's conclusion for a published review of this code under `fail_on`. `settled`
 * names the findings people ignored or approved (`/backend-review ignore|approve`): they never
 * fail the check.
 */
export function getExpectedConclusion(variant: Variant, failOn: Severity, settled: (finding: VariantFinding) => boolean = () => false): "success" | "failure" {
  const rank = { medium: 1, high: 2 } as const;
  return getVariantFindings(variant).some((f) => rank[f.severity] >= rank[failOn] && !settled(f)) ? "failure" : "success";
}

/** The snippet of the variant's file that holds `line` (1-based), as renderServiceFile lays them out. */
export function getSnippetAtLine(variant: Variant, line: number): Snippet | undefined {
  // The import, a blank line and the revision comment, then the padding.
  let end = 3 + variant.padding;
  for (const snippet of variant.snippets) {
    // Each snippet follows a blank line.
    const start = end + 2;
    end = start + SNIPPETS[snippet].lines.length - 1;
    if (line >= start && line <= end) return snippet;
  }
  return undefined;
}
