const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

/**
 * One page of `items` as GitHub pages lists: `per_page` (30 by default, at most 100) and `page`
 * (from 1), with a `Link` header naming first/prev/next/last when there is more than one page.
 * `url` is the request's absolute URL: the links keep its other query parameters.
 */
export function paginate<T>(items: readonly T[], url: URL): { page: T[]; link?: string } {
  const perPage = Math.min(MAX_PER_PAGE, Math.max(1, toInt(url.searchParams.get("per_page")) ?? DEFAULT_PER_PAGE));
  const page = Math.max(1, toInt(url.searchParams.get("page")) ?? 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const slice = items.slice((page - 1) * perPage, page * perPage);
  if (last === 1) return { page: slice };
  const to = (n: number) => {
    const target = new URL(url);
    target.searchParams.set("page", String(n));
    return target.toString();
  };
  const links: string[] = [];
  if (page < last) links.push(`<${to(page + 1)}>; rel="next"`, `<${to(last)}>; rel="last"`);
  if (page > 1) links.push(`<${to(1)}>; rel="first"`, `<${to(page - 1)}>; rel="prev"`);
  return { page: slice, link: links.join(", ") };
}

function toInt(value: string | null): number | undefined {
  if (value === null || !/^\d+$/.test(value)) return undefined;
  return Number.parseInt(value, 10);
}
