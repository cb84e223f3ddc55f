import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorld } from "@/simulators/world";
import { startTykSimulator, type TykSimulator } from "@/simulators/tyk-dashboard/server";
import { createTykClient } from "./client";
import { TykAuthError, TykResponseShapeError, TykUpstreamError } from "./errors";
import { deriveEndpoints } from "./endpoints";
import { getPolicy } from "./get-policy";
import { listApiKeys } from "./list-api-keys";
import { listApis } from "./list-apis";
import { listAuditLogs } from "./list-audit-logs";
import { listKeys } from "./list-keys";
import { listPolicies } from "./list-policies";
import { listUsers } from "./list-users";
import { policyId } from "./schema";
import { updatePolicy } from "./update-policy";

// Real HTTP against the Tyk Dashboard simulator, with a small page size so every list spans pages.
const API_KEY = "int-test-dashboard-key";
const world = createWorld({ seed: 7 });
let sim: TykSimulator;
const client = (extra: Partial<Parameters<typeof createTykClient>[0]> = {}) =>
  createTykClient({ baseUrl: sim.url, apiKey: API_KEY, retryBaseMs: 1, ...extra });

beforeAll(async () => {
  sim = await startTykSimulator({ world, apiKey: API_KEY, pageSize: 3 });
});
afterAll(async () => {
  await sim?.close();
});

describe("Tyk client against the simulator", () => {
  it("walks every page of every envelope", async () => {
    const state = world.stateAt(new Date());
    const c = client();
    const apis = await listApis(c);
    expect(apis.map((a) => a.api_definition.api_id).sort()).toEqual(state.apis.map((a) => a.id).sort());
    const policies = await listPolicies(c);
    expect(policies.map(policyId).sort()).toEqual(state.policies.map((p) => p.id).sort());
    const keys = await listKeys(c);
    expect(keys.map((k) => k.key_hash).sort()).toEqual(state.keys.map((k) => k.hash).sort());
    // Aliases as the world has them (its kiosk keys have none): nothing lost in the envelope.
    expect(keys.filter((k) => !k.data.alias).map((k) => k.key_hash).sort()).toEqual(state.keys.filter((k) => !k.alias).map((k) => k.hash).sort());
    expect(keys.some((k) => k.data.alias)).toBe(true);
    const users = await listUsers(c);
    expect(users.map((u) => u.email_address)).toContain("ada@acme.test");
    const orders = apis.find((a) => a.api_definition.name === "Orders API")!;
    const apiKeys = await listApiKeys(c, orders.api_definition.api_id);
    expect(apiKeys.length).toBeGreaterThan(3);
    expect(deriveEndpoints(orders)).toEqual(expect.arrayContaining([{ method: "GET", path: "/orders" }, { method: "GET", path: "/orders/{id}" }]));
  });

  it("reads the audit log with the culprit policy edit", async () => {
    const res = await listAuditLogs(client(), { method: "PUT", url: "/api/portal/policies/" });
    expect(res.supported).toBe(true);
    if (!res.supported) return;
    const edit = res.records.find((r) => r.url === `/api/portal/policies/${world.incident.policyId}`);
    expect(edit?.user).toBe("ada@acme.test");
  });

  it("reports an install without the audit API as unsupported", async () => {
    const bare = await startTykSimulator({ world, apiKey: API_KEY, auditLog: false });
    try {
      const res = await listAuditLogs(createTykClient({ baseUrl: bare.url, apiKey: API_KEY }));
      expect(res).toMatchObject({ supported: false, reason: "not_found" });
    } finally {
      await bare.close();
    }
  });

  it("round-trips a policy update", async () => {
    const c = client();
    const p = await getPolicy(c, world.incident.policyId);
    const res = await updatePolicy(c, policyId(p), { ...p, rate: p.rate! + 1 });
    expect(res.Status).toBe("OK");
    expect((await getPolicy(c, world.incident.policyId)).rate).toBe(p.rate! + 1);
  });

  it("fails with TykAuthError on a wrong key, without leaking it", async () => {
    const err = await listApis(createTykClient({ baseUrl: sim.url, apiKey: "wrong-key-abcdef" })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TykAuthError);
    expect(String((err as Error).message)).not.toContain("wrong-key-abcdef");
  });

  it("retries a 429 and then succeeds", async () => {
    const before = sim.requestCount();
    sim.setFault({ kind: "429", retryAfterSeconds: 0, times: 2 });
    const apis = await listApis(client({ retries: 3 }));
    sim.setFault(null);
    expect(apis.length).toBeGreaterThan(0);
    expect(sim.requestCount() - before).toBeGreaterThanOrEqual(2 + Math.ceil(apis.length / 3));
  });

  it("retries a 500 and then gives a typed error", async () => {
    const before = sim.requestCount();
    sim.setFault({ kind: "500" });
    const err = await listPolicies(client({ retries: 2 })).catch((e: unknown) => e);
    sim.setFault(null);
    expect(err).toBeInstanceOf(TykUpstreamError);
    expect((err as TykUpstreamError).status).toBe(500);
    expect(sim.requestCount() - before).toBe(3);
  });

  it("names the field when the response shape drifts", async () => {
    sim.setFault({ kind: "rename-field", times: 1 });
    const err = await listPolicies(client()).catch((e: unknown) => e);
    sim.setFault(null);
    expect(err).toBeInstanceOf(TykResponseShapeError);
  });
});
