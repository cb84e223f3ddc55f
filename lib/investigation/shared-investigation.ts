import type { PrismaClient } from "@/lib/generated/prisma/client";
import { TtlCache } from "@/lib/queries/ttl-cache";
import { investigateEndpoint, type InvestigateEndpointInput } from "./investigate-endpoint";
import type { InvestigationJson } from "./result";

// During an incident many responders open the same endpoint at once (and pages poll): identical
// requests share one computation while it runs and its answer for a few seconds after. Data
// changes at most once a sync (a minute), so a 15 s reuse never hides anything a user could act on.
const TTL_MS = 15_000;
const cache = new TtlCache<Promise<InvestigationJson>>(TTL_MS, 200);

function keyOf(input: InvestigateEndpointInput): string {
  return JSON.stringify([input.endpointId, input.from ?? null, input.to ?? null, input.lookbackMinutes ?? null]);
}

/** `investigateEndpoint`, with concurrent identical calls joined and results reused for 15 s. */
export function sharedInvestigation(db: PrismaClient, input: InvestigateEndpointInput): Promise<InvestigationJson> {
  if (input.now !== undefined || input.options !== undefined || input.onStage !== undefined) return investigateEndpoint(db, input);
  const key = keyOf(input);
  const hit = cache.get(key);
  if (hit) return hit;
  const pending = investigateEndpoint(db, input);
  cache.set(key, pending);
  // A failure is not cached: the next caller tries again.
  pending.catch(() => {
    if (cache.get(key) === pending) cache.delete(key);
  });
  return pending;
}
