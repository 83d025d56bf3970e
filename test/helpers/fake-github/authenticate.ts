import type { FakeState } from "./fake-state.js";
import { parseAuthorization, type RequestAuth } from "./recorded-request.js";

/**
 * What an Authorization header proves: the app (a JWT whose `iss` is our app id; the signature is
 * not checked, the fake does not know the key), an installation (a token this fake issued and has
 * not revoked, as `token`/`Bearer` for the API or Basic `x-access-token:<token>` for git), or
 * nothing valid.
 */
export function authenticate(header: string | undefined, state: FakeState): RequestAuth {
  const { scheme, value } = parseAuthorization(header);
  const base = { present: header !== undefined, ...(scheme ? { scheme } : {}) };
  if (header === undefined) return { ...base, credential: "none" };
  if (!scheme || !value) return { ...base, credential: "invalid" };
  // Basic carries `x-access-token:<token>` (what we send), or the token as the user name.
  const candidates = scheme.toLowerCase() === "basic" ? Buffer.from(value, "base64").toString("utf8").split(":") : [value];
  const issued = state.tokens.find((t) => candidates.includes(t.token));
  if (issued) return issued.revoked ? { ...base, credential: "invalid" } : { ...base, credential: "installation-token", installationId: issued.installationId };
  if (scheme.toLowerCase() === "bearer" && isAppJwt(value, state.appId)) return { ...base, credential: "jwt" };
  return { ...base, credential: "invalid" };
}

function isAppJwt(jwt: string, appId: number): boolean {
  const [, payload] = jwt.split(".");
  if (!payload) return false;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { iss?: unknown };
    return String(claims.iss) === String(appId);
  } catch {
    return false;
  }
}
