/**
 * Client-side rate limit shared by every caller in the process that talks to the same Lightstep
 * org: Lightstep limits per org, so two adapters (a sync and a page load) must share one budget.
 * A FIFO queue releasing one waiter at a time, each at least one interval after the previous
 * *actual* release (so a late timer cannot bunch two sends). Spacing sends is not enough on its
 * own: the server counts a sliding one-second window of *arrivals*, and a request delayed on the
 * way (a busy event loop, a slow socket) can land next to later ones. So a permit also waits until
 * the permit `perSecond` places before it has *completed* plus one second: its arrival came before
 * that completion, and this one's arrival comes after its own send, so no window ever holds more.
 */
export interface RateLimiter {
  /**
   * Resolves when the caller may send one request, with a `release` to call once the answer is in
   * (or the attempt failed); rejects if `signal` aborts first.
   */
  acquire(signal?: AbortSignal): Promise<() => void>;
}

export interface RateLimiterOptions {
  perSecond: number;
  marginMs?: number;
  now?: () => number;
}

interface Waiter {
  resolve(release: () => void): void;
  reject(reason: unknown): void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

export function createRateLimiter({ perSecond, marginMs = 40, now = Date.now }: RateLimiterOptions): RateLimiter {
  const intervalMs = 1000 / perSecond + marginMs;
  const slots = Math.max(1, Math.floor(perSecond));
  const windowMs = (1000 * slots) / perSecond + marginMs;
  const queue: Waiter[] = [];
  /** The last `slots` permits in release order; `end` is null while the request is in flight. */
  const recent: { end: number | null }[] = [];
  let last = -Infinity;
  let timer: ReturnType<typeof setTimeout> | null = null;

  function pump(): void {
    if (timer) clearTimeout(timer);
    timer = null;
    while (queue.length) {
      const gate = recent.length >= slots ? recent[recent.length - slots] : null;
      if (gate && gate.end === null) return; // its release() pumps again
      const wait = Math.max(last + intervalMs, gate ? gate.end! + windowMs : -Infinity) - now();
      if (wait > 0) {
        timer = setTimeout(pump, wait);
        return;
      }
      const w = queue.shift()!;
      if (w.onAbort) w.signal?.removeEventListener("abort", w.onAbort);
      last = now();
      const permit = { end: null as number | null };
      recent.push(permit);
      if (recent.length > slots) recent.shift();
      w.resolve(() => {
        if (permit.end !== null) return;
        permit.end = now();
        pump();
      });
    }
  }

  return {
    acquire(signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Promise<() => void>((resolve, reject) => {
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
