import { ApiError } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/session";
import { RateLimiter } from "@/lib/queries/rate-limit";

// One investigation costs tens of milliseconds of CPU: a caller asking for distinct windows in a
// loop could take every core. Each caller (a user, or an API token) may start this many computations
// a minute; answers shared from the cache (the same endpoint and window) cost no turn.
export const INVESTIGATIONS_PER_MINUTE = 30;

const holder = globalThis as unknown as { touchlineInvestigationTurns?: RateLimiter };

/** Takes one of `actor`'s turns, or throws 429 with the seconds until the next one frees up. */
export function takeInvestigationTurn(actor: Actor, limiter = (holder.touchlineInvestigationTurns ??= new RateLimiter(INVESTIGATIONS_PER_MINUTE, 60_000))): void {
  const verdict = limiter.take(`${actor.type}:${actor.id}`);
  if (verdict.allowed) return;
  const seconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
  throw new ApiError("rate_limited", `Too many distinct investigations; try again in ${seconds} s`, undefined, seconds);
}
