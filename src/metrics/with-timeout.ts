/** Rejects with `message` when `operation` takes longer than `ms`; never leaves a rejection unhandled. */
export async function withTimeout<T>(operation: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  operation.catch(() => {}); // a late rejection after the timeout must not go unhandled
  try {
    return await Promise.race([operation, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
