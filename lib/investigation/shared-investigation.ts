import type { PrismaClient } from "@/lib/generated/prisma/client";
import { TtlCache } from "@/lib/queries/ttl-cache";
import { investigateEndpoint, type InvestigateEndpointInput } from "./investigate-endpoint";
import type { InvestigationJson } from "./result";

// During an incident many responders open the same endpoint at once (and pages poll): identical
// requests share one computation while it runs and its answer for a few seconds after. Data
// changes at most once a sync (a minute), so a 15 s reuse never hides anything a user could act on.
const TTL_MS = 15_000;
const cache = new TtlCache<Promise<InvestigationJson>>(TTL_MS, 200);
const MINUTE = 60_000;

function keyOf(input: InvestigateEndpointInput): string {
  return JSON.stringify([input.endpointId, input.from ?? null, input.to ?? null, input.lookbackMinutes ?? null, input.userType ?? null]);
}

/**
 * The window widened to whole minutes (the data is per minute anyway): windows a few seconds
 * apart — a brush dragged, a page opened twice — become one request and share one computation.
 */
export function roundWindow<T extends { from?: number; to?: number }>(input: T): T {
  if (input.from === undefined || input.to === undefined) return input;
  return { ...input, from: Math.floor(input.from / MINUTE) * MINUTE, to: Math.ceil(input.to / MINUTE) * MINUTE };
}

/**
 * `investigateEndpoint`, with concurrent identical calls joined and results reused for 15 s.
 * `beforeCompute` runs only when this call starts a computation (a rate limit's turn; it may throw).
 */
export function sharedInvestigation(db: PrismaClient, request: InvestigateEndpointInput, beforeCompute?: () => void): Promise<InvestigationJson> {
  if (request.now !== undefined || request.options !== undefined || request.onStage !== undefined) return investigateEndpoint(db, request);
  const input = roundWindow(request);
  const key = keyOf(input);
  const hit = cache.get(key);
  if (hit) return hit;
  beforeCompute?.();
  const pending = investigateEndpoint(db, input);
  cache.set(key, pending);
  // A failure is not cached: the next caller tries again.
  pending.catch(() => {
    if (cache.get(key) === pending) cache.delete(key);
  });
  return pending;
}
