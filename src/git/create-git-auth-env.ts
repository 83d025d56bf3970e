/**
 * The environment that lets git fetch over HTTPS as a GitHub App installation: the token goes in
 * an `Authorization` header that git reads from `GIT_CONFIG_*` variables (git ≥ 2.31). Never in
 * argv (any user on the host can read a process's command line), never in the repository's
 * config (it would outlive the token, and the job), never in a URL (git prints URLs in errors).
 */
export function createGitAuthEnv({ token, base = process.env }: { token: string; base?: NodeJS.ProcessEnv }): NodeJS.ProcessEnv {
  const basic = Buffer.from(`x-access-token:${token}`, "utf8").toString("base64");
  return {
    ...base,
    GIT_CONFIG_COUNT: "1",
    GIT_CONFIG_KEY_0: "http.extraHeader",
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
    // A rejected token must fail the job, not wait for someone to type a password.
    GIT_TERMINAL_PROMPT: "0",
    // Empty (not unset) so git skips core.askPass and SSH_ASKPASS too: no helper of the host
    // (an IDE's, a desktop keyring's) may answer for us.
    GIT_ASKPASS: "",
  };
}

/** The strings that would give the token away if they showed up in a message: itself and its header form. */
export function getTokenForms(token: string): string[] {
  return [token, Buffer.from(`x-access-token:${token}`, "utf8").toString("base64")];
}
