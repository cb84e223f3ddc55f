/**
 * Client-side rate limit shared by every caller in the process that talks to the same Lightstep
 * org: Lightstep limits per org, so two adapters (a sync and a page load) must share one budget.
 * A token bucket of size 1 with a FIFO queue: waiters are released one at a time, each at least
 * one interval after the previous *actual* release (not its planned time, so a timer that fires
 * late cannot bunch two sends together). The interval gets a small margin because the server
 * measures a sliding one-second window on arrival times, which network jitter shifts.
 */
export interface RateLimiter {
  /** Resolves when the caller may send one request; rejects if `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<void>;
}

export interface RateLimiterOptions {
  perSecond: number;
  marginMs?: number;
  now?: () => number;
}

interface Waiter {
  resolve(): void;
  reject(reason: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export function createRateLimiter({ perSecond, marginMs = 40, now = Date.now }: RateLimiterOptions): RateLimiter {
  const intervalMs = 1000 / perSecond + marginMs;
  const queue: Waiter[] = [];
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;

  function pump(): void {
    timer = null;
    while (queue.length) {
      const wait = last + intervalMs - now();
      if (wait > 0) {
        timer = setTimeout(pump, wait);
        return;
      }
      const w = queue.shift()!;
      if (w.onAbort) w.signal?.removeEventListener("abort", w.onAbort);
      last = now();
      w.resolve();
    }
  }

  return {
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise<void>((resolve, reject) => {
        const w: Waiter = { resolve, reject, signal };
        if (signal) {
          w.onAbort = () => {
            const i = queue.indexOf(w);
            if (i >= 0) queue.splice(i, 1);
            reject(signal.reason);
          };
          signal.addEventListener("abort", w.onAbort, { once: true });
        }
        queue.push(w);
        if (!timer) pump();
      });
    },
  };
}

const shared = new Map<string, RateLimiter>();

/** One limiter per (API base, org) for the whole process. */
export function sharedRateLimiter(key: string, perSecond: number): RateLimiter {
  let limiter = shared.get(key);
  if (!limiter) {
    limiter = createRateLimiter({ perSecond });
    shared.set(key, limiter);
  }
  return limiter;
}
