export interface PackageSpecifier {
  /** `@acme/db`, `express`. */
  name: string;
  /** `.` for the package itself, else `./sub/path`. */
  subpath: string;
}

/**
 * `@acme/db/sub/path` → `{ name: "@acme/db", subpath: "./sub/path" }`. The name is whole
 * segments, so `@acme/db-utils` is never read as `@acme/db`. Undefined for what cannot be a
 * package name (relative, absolute, a scope alone).
 */
export function splitPackageSpecifier(specifier: string): PackageSpecifier | undefined {
  if (specifier === "" || specifier.startsWith(".") || specifier.startsWith("/") || specifier.startsWith("#")) return undefined;
  const segments = specifier.split("/");
  const nameLength = specifier.startsWith("@") ? 2 : 1;
  if (segments.length < nameLength || segments.slice(0, nameLength).some((segment) => segment === "" || segment === "@")) return undefined;
  const rest = segments.slice(nameLength).join("/");
  return { name: segments.slice(0, nameLength).join("/"), subpath: rest === "" ? "." : `./${rest}` };
}
