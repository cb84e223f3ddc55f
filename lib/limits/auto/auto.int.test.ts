import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "@/lib/audit/verify";
import { callerIdsFor } from "@/lib/sync/analytics/callers";
import { rebuildAggregates } from "@/lib/sync/analytics/rebuild-aggregates";
import { getPolicy } from "@/lib/tyk/get-policy";
import type { TykPolicy } from "@/lib/tyk/schema";
import { updatePolicy } from "@/lib/tyk/update-policy";
import type { SimKey } from "@/simulators/world";
import { asAdmin, startAccessStack, type AccessStack } from "@/lib/access/testing/stack";
import { readLimit } from "../policy-limit";
import { seedEndpointLoad } from "../testing/seed-load";
import { AUTO_ACTOR, evaluateAutomaticLimits, evaluateEndpoint } from "./evaluate";
import { saveAutoSettings, setKillSwitch, type AutoSettingsInput } from "./settings";

// Automatic mode against the Tyk simulator over HTTP: a key of the world whose policy carries an
// endpoint with a day of load that bends p99 at 80 req/min. The evaluator (with an injected
// "now" where minutes must pass) steps the policy's limit, refuses to act under the kill switch, and
// rolls back by itself a change that makes the gateway answer 429 to the key within its normal peak.
const MIN = 60_000;
let s: AccessStack;
let key: SimKey;
let policyId: string;
let endpointId: string;
let apiId: string;

const settings = (o: Partial<AutoSettingsInput> = {}): AutoSettingsInput =>
  ({ enabled: true, minPerMin: 1, maxPerMin: 100_000, maxStep: 0.25, cooldownMinutes: 30, intervalMinutes: 5, rollbackMinutes: 15, ...o });
const perMin = (p: { rate: number; per: number }) => (p.rate * 60) / p.per;
/** The limit the gateway applies to the endpoint's API: its per-API limit where set, else the policy's. */
const limitOf = (p: TykPolicy) => {
  const api = readLimit(p as Record<string, unknown>, "api", apiId);
  return api.rate && api.per ? { rate: api.rate, per: api.per } : { rate: Number(p.rate), per: Number(p.per) };
};

const serve = async (apiId: string, rawKey: string, count: number) => {
  const res = await fetch(`${s.sim.url}/_sim/requests`, { method: "POST", headers: { Authorization: s.apiKey }, body: JSON.stringify({ key: rawKey, count, apiId }) });
  return (await res.json()) as { status: number; rateLimited: number };
};

beforeAll(async () => {
  s = await startAccessStack();
  const state = s.world.stateAt(new Date());
  const single = new Set(state.policies.filter((p) => p.rate > 0 && (p.rate * 60) / p.per > 200).map((p) => p.id));
  key = state.keys.find((k) => k.policyIds.length === 1 && single.has(k.policyIds[0]) && !k.isInactive && !k.expires)!;
  policyId = key.policyIds[0];
  // The simulator's gateway serves a key's requests on its API's first endpoint.
  const api = state.apis.find((a) => a.id === state.policies.find((p) => p.id === policyId)!.accessRights[0].apiId)!;
  const path = api.endpoints[0].template.replace(/\{[^}]+\}/g, "1");
  expect((await serve(api.id, key.rawKey, 1)).status).toBe(200);
  await s.ingest();
  const [rec] = await s.db.$queryRaw<{ endpoint_id: string; api_id: string; path: string }[]>`
    SELECT r.endpoint_id, r.api_id, r.path FROM request_records r JOIN request_callers c ON c.id = r.caller_id
    WHERE c.key_hash = ${key.hash} AND r.api_id = ${api.id} AND r.path LIKE ${`%${path}`} AND r.endpoint_id IS NOT NULL LIMIT 1`;
  endpointId = rec.endpoint_id;
  apiId = rec.api_id;
  const client = new pg.Client({ connectionString: s.url });
  await client.connect();
  const callers = await callerIdsFor(client, [
    ...[0, 1, 2, 3].map((i) => ({ keyHash: `kh-steady-${i}`, identityId: null, oauthClientId: null, policyIds: [] })),
    { keyHash: key.hash, identityId: null, oauthClientId: null, policyIds: [policyId] },
  ]);
  const to = Math.floor(Date.now() / MIN) * MIN - 20 * MIN;
  await seedEndpointLoad(client, { endpointId, apiId: rec.api_id, from: to - 1440 * MIN, minutes: 1440, steadyCallers: callers.slice(0, 4), partnerCaller: callers[4], path: rec.path });
  await rebuildAggregates(client);
  await client.end();
});
afterAll(async () => s?.close());

describe("automatic limit mode against the Tyk simulator", () => {
  it("rolls back by itself a change after which the key got 429s within its normal peak, with the evidence", async () => {
    // A bound so low that the key's ordinary traffic is refused, one-minute windows so the check is due soon.
    await saveAutoSettings(s.db, endpointId, settings({ maxPerMin: 2, maxStep: 1, cooldownMinutes: 1, rollbackMinutes: 1 }), asAdmin.email);
    const original = await getPolicy(s.client, policyId);
    const d = (await evaluateEndpoint(s.db, s.client, endpointId)).find((x) => x.policyId === policyId)!;
    expect(d).toMatchObject({ kind: "change" });
    expect(limitOf(await getPolicy(s.client, policyId))).toEqual({ rate: 2, per: 60 });
    const change = await s.db.limitChange.findUniqueOrThrow({ where: { id: d.limitChangeId! } });
    // The key calls at its usual rate (its normal peak is 19/min): all but two are answered 429.
    expect(await serve(apiId, key.rawKey, 10)).toMatchObject({ rateLimited: 8 });
    await s.ingest();
    // Not before the rollback window has passed and its requests are ingested.
    const early = (await evaluateEndpoint(s.db, s.client, endpointId)).find((x) => x.limitChangeId === change.id)!;
    expect(early).toMatchObject({ kind: "wait" });
    await new Promise((r) => setTimeout(r, change.createdAt.getTime() + MIN + 1_000 - Date.now()));
    const other = s.world.stateAt(new Date()).keys.find((k) => k.hash !== key.hash && !k.isInactive && !k.expires && k.policyIds.length)!;
    await s.serve(other.rawKey, 1); // a request after the window moves the ingest watermark past it
    await s.ingest();
    const r = (await evaluateEndpoint(s.db, s.client, endpointId)).find((x) => x.kind === "rollback" && x.policyId === policyId)!;
    // The key's 429s that fall inside the one-minute window after the change (all 8 on a quiet
    // machine; on a loaded one the serve can run past the window's end), and the world's own
    // traffic of the policy's other keys refused the same way.
    const [, rejected] = r.reason.match(/^callers within their normal peak were rejected: 0 → (\d+) requests answered 429 \(.+\); p99 /)!;
    expect(Number(rejected)).toBeGreaterThan(0);
    // Every field as it was (but Tyk's write time).
    expect({ ...(await getPolicy(s.client, policyId)), last_updated: null }).toEqual({ ...original, last_updated: null });
    const back = await s.db.limitChange.findUniqueOrThrow({ where: { id: r.limitChangeId! } });
    expect(back).toMatchObject({ action: "rollback", automatic: true, actor: AUTO_ACTOR, undoes: change.id });
    expect(back.evidence).toMatchObject({ normalRejectedBefore: 0, normalCallers: expect.arrayContaining([expect.objectContaining({ key: key.hash, rejected: expect.any(Number) })]), verdict: r.reason });
    const audit = await s.db.auditEvent.findFirstOrThrow({ where: { action: "limits.rollback", targetId: policyId }, orderBy: { id: "desc" } });
    expect(audit.details).toMatchObject({ automatic: true, evidence: expect.objectContaining({ normalRejectedAfter: expect.any(Number) }) });
    expect((await verifyAuditChain(s.db, { sink: null })).verdict.ok).toBe(true);
  }, 120_000);

  it("does nothing while the kill switch is on; then steps the limit by at most 25 %, as touchline-auto; not again within the cooldown", async () => {
    const before = limitOf(await getPolicy(s.client, policyId));
    await saveAutoSettings(s.db, endpointId, settings(), asAdmin.email);
    await setKillSwitch(s.db, true, asAdmin.email);
    const changes = await s.db.limitChange.count();
    // Past the cooldown of the rollback above.
    const t = Date.now() + 31 * MIN;
    const off = (await evaluateAutomaticLimits(s.db, s.client, { now: t }))![endpointId];
    expect(off.find((d) => d.policyId === policyId)).toMatchObject({ kind: "none", reason: expect.stringMatching(/kill switch is on/) });
    expect(limitOf(await getPolicy(s.client, policyId))).toEqual(before);
    expect(await s.db.limitChange.count()).toBe(changes);

    await setKillSwitch(s.db, false, asAdmin.email);
    // Evaluated a minute ago: not due again until its interval has passed.
    expect(await evaluateAutomaticLimits(s.db, s.client, { now: t + MIN })).toEqual({});
    const d = (await evaluateAutomaticLimits(s.db, s.client, { now: t + 5 * MIN }))![endpointId].find((x) => x.policyId === policyId)!;
    expect(d).toMatchObject({ kind: "change", reason: expect.stringMatching(/capped at a 25% step/) });
    const after = limitOf(await getPolicy(s.client, policyId));
    expect(perMin(after)).toBeGreaterThanOrEqual(perMin(before) * 0.75 - 1e-9);
    expect(perMin(after)).toBeLessThan(perMin(before));
    const change = await s.db.limitChange.findUniqueOrThrow({ where: { id: d.limitChangeId! } });
    expect(change).toMatchObject({ action: "apply", automatic: true, actor: AUTO_ACTOR, endpointId });
    expect(change.evidence).toMatchObject({ capacity: expect.stringMatching(/^capacity ≈ /), recommendation: expect.any(String) });
    // The access change is the service identity's: a touch in later investigations.
    expect(await s.db.accessChange.findFirst({ where: { kind: "policy", targetId: policyId, version: change.version } })).toMatchObject({ actor: AUTO_ACTOR });
    const audit = await s.db.auditEvent.findFirstOrThrow({ where: { action: "limits.apply", targetId: policyId }, orderBy: { id: "desc" } });
    expect(audit).toMatchObject({ actorType: "system", actorId: AUTO_ACTOR });

    // Awaiting its own check, the policy is not stepped again; once kept, not within the cooldown.
    const at = change.createdAt.getTime();
    expect((await evaluateEndpoint(s.db, s.client, endpointId, at + 2 * MIN)).find((x) => x.policyId === policyId)).toMatchObject({ kind: "wait" });
    await s.db.limitChange.update({ where: { id: change.id }, data: { keptAt: new Date() } });
    expect((await evaluateEndpoint(s.db, s.client, endpointId, at + 10 * MIN)).find((x) => x.policyId === policyId))
      .toMatchObject({ kind: "none", reason: expect.stringMatching(/^cooling down/) });
  });

  it("records a write refused by apply's guard rails as a skipped automatic change, Tyk untouched", async () => {
    const tyk = await getPolicy(s.client, policyId);
    await updatePolicy(s.client, policyId, { ...tyk, quota_max: 4321 });
    const d = (await evaluateEndpoint(s.db, s.client, endpointId, Date.now() + 60 * MIN)).find((x) => x.policyId === policyId)!;
    expect(d).toMatchObject({ kind: "skip", reason: expect.stringMatching(/changed in Tyk since Touchline last synced it: quota_max/) });
    expect(await s.db.limitChange.findUniqueOrThrow({ where: { id: d.limitChangeId! } })).toMatchObject({ action: "skip", automatic: true, actor: AUTO_ACTOR });
    expect(await getPolicy(s.client, policyId)).toMatchObject({ rate: tyk.rate, per: tyk.per, quota_max: 4321 });
    expect(await s.db.auditEvent.count({ where: { action: "limits.auto.skip", targetId: policyId } })).toBe(1);
    await updatePolicy(s.client, policyId, tyk);
  });
});
