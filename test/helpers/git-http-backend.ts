import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * Answers one smart-HTTP git request with `git http-backend` (a CGI program shipped with git):
 * the request's method, path, query and content type go in CGI variables, the body is streamed
 * through, and the CGI headers (`Status:` included) become the response's.
 */
export function serveGitHttp(req: IncomingMessage, res: ServerResponse, { projectRoot }: { projectRoot: string }): void {
  const url = new URL(req.url ?? "/", "http://localhost");
  const child = spawn("git", ["http-backend"], {
    env: {
      PATH: process.env.PATH,
      GIT_PROJECT_ROOT: projectRoot,
      GIT_HTTP_EXPORT_ALL: "1",
      REQUEST_METHOD: req.method ?? "GET",
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: req.headers["content-type"] ?? "",
      // git gzips large request bodies; http-backend inflates them when told.
      HTTP_CONTENT_ENCODING: String(req.headers["content-encoding"] ?? ""),
      GIT_PROTOCOL: String(req.headers["git-protocol"] ?? ""),
      REMOTE_ADDR: "127.0.0.1",
    },
  });
  req.pipe(child.stdin);
  let head = Buffer.alloc(0);
  let body = false;
  child.stdout.on("data", (chunk: Buffer) => {
    if (body) return void res.write(chunk);
    head = Buffer.concat([head, chunk]);
    const crlf = head.indexOf("\r\n\r\n");
    const lf = head.indexOf("\n\n");
    const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 4 : lf >= 0 ? lf + 2 : -1;
    if (end < 0) return;
    let status = 200;
    for (const line of head.subarray(0, end).toString("latin1").split(/\r?\n/)) {
      const colon = line.indexOf(":");
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === "status") status = Number.parseInt(value, 10);
      else res.setHeader(name, value);
    }
    res.statusCode = status;
    body = true;
    res.write(head.subarray(end));
  });
  child.stdout.on("end", () => res.end());
  child.on("error", () => {
    if (!res.headersSent) res.statusCode = 500;
    res.end();
  });
}

export interface RecordedGitRequest {
  method: string;
  url: string;
  authorization: string | undefined;
}

export interface GitHttpServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  requests: RecordedGitRequest[];
  close(): Promise<void>;
}

/**
 * A loopback git host: serves the bare repositories under `projectRoot` at
 * `<origin>/<path>.git`, or answers every request with `status` (a git host that is down,
 * or refuses us), recording each request's Authorization header.
 */
export async function startGitHttpServer({ projectRoot = "/nonexistent", status }: { projectRoot?: string; status?: number }): Promise<GitHttpServer> {
  const requests: RecordedGitRequest[] = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method ?? "", url: req.url ?? "", authorization: req.headers.authorization });
    if (status !== undefined) {
      req.resume();
      res.writeHead(status, { "content-type": "text/plain" }).end(status === 404 ? "Repository not found.\n" : `status ${status}\n`);
      return;
    }
    serveGitHttp(req, res, { projectRoot });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
