export interface Secret {
  /** What it is, for the report (never the value itself). */
  what: string;
  value: string;
}

export interface Leak {
  process: string;
  what: string;
  /** 1-based line of the process's output. */
  line: number;
}

// Any JWT: a base64url JSON header and payload ("eyJ" is `{"`), dot-separated.
const JWT = /eyJ[\w-]{4,}\.eyJ[\w-]{4,}/;

/**
 * Where a secret shows up in the processes' output: each of `secrets` verbatim, and any JWT.
 * The answer names the process, the kind of secret and the line, never the secret.
 */
export function findSecretsInLogs(logs: Record<string, string>, secrets: Secret[]): Leak[] {
  const leaks: Leak[] = [];
  const wanted = secrets.filter((s) => s.value.length >= 8); // a short value would match by chance
  for (const [process, output] of Object.entries(logs)) {
    output.split("\n").forEach((text, index) => {
      for (const { what, value } of wanted) if (text.includes(value)) leaks.push({ process, what, line: index + 1 });
      if (JWT.test(text)) leaks.push({ process, what: "a JWT", line: index + 1 });
    });
  }
  return leaks;
}

/** The private key's lines (its base64 body, without the BEGIN/END armour), each a secret of its own. */
export function getPrivateKeySecrets(pem: string): Secret[] {
  return pem
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("-----"))
    .map((value, i) => ({ what: `line ${i + 1} of the private key`, value }));
}
