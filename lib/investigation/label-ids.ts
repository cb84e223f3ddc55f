// Which callers an investigation's answer can name, so only those are labelled: a busy endpoint's
// windows hold thousands of keys, identities and policies, and loading every label was a third of
// the investigation's time while the answer shows a few dozen.
import { type AccessChange, type GroupKind, type IndexedTraffic } from "@/lib/analysis";
import type { CallerIds } from "./load-context";
import { grownShifts, shownCallers } from "./result";

/**
 * The groups the engine can name: every suspect candidate (≥ minRequests in I) and the keys an
 * access change can link as enabled traffic (the changed keys, those under a changed policy or
 * using a changed OAuth client), with the changed OAuth clients. The traces an answer shows are
 * among these groups' (its suspects' and the keys their changes enabled).
 */
export function suspectGroupIds(traffic: IndexedTraffic, changes: AccessChange[], minRequests: number): Record<GroupKind, Set<string>> {
  const ids: Record<GroupKind, Set<string>> = { key: new Set(), identity: new Set(), policy: new Set(), oauth_client: new Set() };
  for (const g of traffic.groups) if (g.countI >= minRequests) ids[g.kind].add(g.id);

  const changedPolicies = new Set<string>(), changedClients = new Set<string>();
  for (const c of changes) {
    if (c.kind === "policy") changedPolicies.add(c.targetId);
    if (c.kind === "key") ids.key.add(c.targetId);
    if (c.kind === "oauth_client") {
      changedClients.add(c.targetId);
      ids.oauth_client.add(c.targetId);
    }
    for (const k of c.keyHashes) ids.key.add(k);
  }
  // linkEnabledTraffic's keys: those under a changed policy or using a changed OAuth client.
  if (changedPolicies.size || changedClients.size) {
    for (const g of traffic.byKind.key.values()) {
      if (g.policyIds.some((p) => changedPolicies.has(p)) || g.oauthClientIds.some((c) => changedClients.has(c))) ids.key.add(g.id);
    }
  }
  return ids;
}

/**
 * The groups the answer can show: the suspect groups (the verdict, the summary, the not-significant
 * list, evidence sentences and owners) and the callers table and timeline. Identities behind the
 * keys and clients come with them (loadCallerContext). `suspects`: suspectGroupIds, when the
 * caller has it already.
 */
export function idsToLabel(
  traffic: IndexedTraffic, changes: AccessChange[], minRequests: number, suspects = suspectGroupIds(traffic, changes, minRequests),
): CallerIds {
  const ids: Record<GroupKind, Set<string>> = {
    key: new Set(suspects.key), identity: new Set(suspects.identity), policy: new Set(suspects.policy), oauth_client: new Set(suspects.oauth_client),
  };
  for (const s of [...shownCallers(traffic), ...grownShifts(traffic)]) ids[s.kind].add(s.id);
  return { keyHashes: [...ids.key], identityIds: [...ids.identity], policyIds: [...ids.policy], oauthClientIds: [...ids.oauth_client] };
}
