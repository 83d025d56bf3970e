import { createHmac, randomUUID } from "node:crypto";

export interface DeliveryRecord {
  id: string;
  /** `pull_request.synchronize`, `issue_comment.created`… */
  name: string;
  /** The HTTP status of every copy sent (0: no answer), in order of sending. */
  statuses: number[];
  /** How long each copy took to be answered, in ms (GitHub gives up after 10 s). */
  durations: number[];
  body: string;
}

export interface DeliverySender {
  /**
   * POSTs one signed delivery, `copies` times at once with the same delivery id (GitHub's
   * redelivery, or a retry racing the original), and resolves when every copy is answered.
   */
  send(input: { event: string; payload: Record<string, any>; copies?: number }): Promise<DeliveryRecord>;
  /** Sends an earlier delivery again, byte for byte (a redelivery from the app's settings). */
  resend(record: DeliveryRecord): Promise<number>;
  /** Every delivery sent so far. */
  records: DeliveryRecord[];
  /** Resolves when nothing is in flight. */
  idle(): Promise<void>;
}

/** Signed webhook deliveries to the web process, at most `maxInFlight` at a time (copies count once). */
export function createDeliverySender({ url, secret, maxInFlight }: { url: string; secret: string; maxInFlight: number }): DeliverySender {
  const records: DeliveryRecord[] = [];
  const inFlight = new Set<Promise<unknown>>();
  const waiting: Array<() => void> = [];
  let running = 0;

  async function limited<T>(work: () => Promise<T>): Promise<T> {
    if (running >= maxInFlight) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await work();
    } finally {
      running--;
      waiting.shift()?.();
    }
  }

  function post(record: DeliveryRecord): Promise<number> {
    const [event] = record.name.split(".");
    const sentAt = Date.now();
    return fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "GitHub-Hookshot/e2e",
        "x-github-event": event!,
        "x-github-delivery": record.id,
        "x-hub-signature-256": `sha256=${createHmac("sha256", secret).update(record.body).digest("hex")}`,
      },
      body: record.body,
    }).then(
      async (response) => {
        await response.arrayBuffer();
        record.durations.push(Date.now() - sentAt);
        return response.status;
      },
      () => {
        record.durations.push(Date.now() - sentAt);
        return 0;
      },
    );
  }

  function track<T>(promise: Promise<T>): Promise<T> {
    inFlight.add(promise);
    void promise.finally(() => inFlight.delete(promise)).catch(() => undefined);
    return promise;
  }

  return {
    records,
    send({ event, payload, copies = 2 }) {
      const record: DeliveryRecord = { id: randomUUID(), name: `${event}.${payload.action}`, statuses: [], durations: [], body: JSON.stringify(payload) };
      records.push(record);
      return track(limited(async () => {
        record.statuses = await Promise.all(Array.from({ length: copies }, () => post(record)));
        return record;
      }));
    },
    resend(record) {
      return track(limited(async () => {
        const status = await post(record);
        record.statuses.push(status);
        return status;
      }));
    },
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
