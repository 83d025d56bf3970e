import { createHash, createHmac } from "node:crypto";
import { Agent, request } from "node:http";
import { getPayload } from "../../test/helpers/payloads.js";

export interface Delivery {
  id: string;
  body: string;
  signature: string;
}

export interface CreateDeliveriesOptions {
  secret: string;
  count: number;
  /** Distinguishes runs: a head SHA seen before would be a redelivery, which the handler skips. */
  tag: string;
  /** Delivery i goes to installation `firstInstallationId + i % installations`. */
  firstInstallationId: number;
  installations: number;
}

/**
 * `pull_request.synchronize` deliveries (the real @octokit/webhooks-examples payload, about 24 KB),
 * each a new push: its own PR number and head SHA. Serialised and signed before the clock starts.
 */
export function createDeliveries({ secret, count, tag, firstInstallationId, installations }: CreateDeliveriesOptions): Delivery[] {
  const payload = getPayload("pull_request.synchronize");
  const deliveries: Delivery[] = [];
  for (let i = 0; i < count; i++) {
    const number = 1_000 + i;
    payload.number = number;
    payload.pull_request.number = number;
    payload.pull_request.id = 500_000 + i;
    payload.pull_request.head.sha = createHash("sha1").update(`${tag}-${i}`).digest("hex");
    payload.installation = { ...payload.installation!, id: firstInstallationId + (i % installations) };
    const body = JSON.stringify(payload);
    deliveries.push({ id: `${tag}-${i}`, body, signature: `sha256=${createHmac("sha256", secret).update(body).digest("hex")}` });
  }
  return deliveries;
}

export interface SendResult {
  /** `performance.now()` when the first delivery was sent. */
  startedAt: number;
  /** From the first delivery sent to the last answer. */
  wallMs: number;
  /** Response time of each delivery, in ms. */
  latenciesMs: number[];
  /** Deliveries by response status (200 ok; 202 means Probot's 9 s timeout answered first). */
  statuses: Record<number, number>;
}

function post(agent: Agent, url: URL, delivery: Delivery): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: "POST",
      agent,
      headers: {
        "content-type": "application/json",
        "content-length": Buffer.byteLength(delivery.body),
        "x-github-event": "pull_request",
        "x-github-delivery": delivery.id,
        "x-hub-signature-256": delivery.signature,
        "user-agent": "GitHub-Hookshot/bench",
      },
    }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(delivery.body);
  });
}

export interface SendDeliveriesOptions {
  concurrency: number;
  /** No delivery is sent after this many ms (those in flight are still awaited). */
  maxMs?: number;
}

/**
 * Posts the deliveries with `concurrency` in flight at all times (keep-alive connections), until
 * all are sent or `maxMs` has passed: `latenciesMs.length` says how many were.
 */
export async function sendDeliveries(webhookUrl: string, deliveries: Delivery[], { concurrency, maxMs = Infinity }: SendDeliveriesOptions): Promise<SendResult> {
  const url = new URL(webhookUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const latenciesMs: number[] = [];
  const statuses: Record<number, number> = {};
  let next = 0;
  const started = performance.now();
  const lane = async () => {
    while (next < deliveries.length && performance.now() - started < maxMs) {
      const delivery = deliveries[next++]!;
      const sent = performance.now();
      const status = await post(agent, url, delivery);
      latenciesMs.push(performance.now() - sent);
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, lane));
  } finally {
    // Idle keep-alive sockets would hold the server's close() open.
    agent.destroy();
  }
  return { startedAt: started, wallMs: performance.now() - started, latenciesMs, statuses };
}
