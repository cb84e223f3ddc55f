import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api/errors";
import { keyExists } from "../key-exists";
import { runAccessJob } from "../jobs";
import { startAccessStack, TEST_CONFIG, type AccessStack } from "../testing/stack";
import { timelineOf } from "../timeline";
import type { Who } from "../who";
import { createRequest } from "./create";
import { decideRequest, withdrawRequest } from "./decide";
import { issueKey } from "./issue";
import type { Person } from "./people";
import { listRequests } from "./view";
import { saveWebhook } from "./webhook";

// Just-in-time access end to end over HTTP against the Tyk simulator: request → decision (a rule,
// or a person) → key issued with `expires` and the requester's identity → first use seen in
// ingested request records → deleted at expiry and checked gone. And the webhook.
let s: AccessStack;
const hooks: unknown[] = [];
let hookServer: http.Server;

const person = (id: string, email: string, groups: string[], approvesAll = false): Person => ({ id, email, name: email.split("@")[0], groups, approvesAll });
const rui = person("u-rui", "rui@acme.test", ["oncall"]);
const vera = person("u-vera", "vera@acme.test", ["engineering"]);
const ada = person("u-ada", "ada@acme.test", ["platform-admins"], true);
const who = (p: Person): Who => ({ email: p.email, audit: { actor: { type: "user", id: p.id, email: p.email } } });
const job = () => runAccessJob(s.db, { config: TEST_CONFIG, tykClient: async () => s.client, lastUsageRefresh: new Date() });
const policyId = (name: string) => s.world.stateAt(new Date()).policies.find((p) => p.name === name)!.id;
const until = async (what: string, ok: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 100 && !(await ok()); i++) await new Promise((r) => setTimeout(r, 50));
  if (!(await ok())) throw new Error(`timed out waiting for ${what}`);
};

beforeAll(async () => {
  s = await startAccessStack({ seed: 9 });
  hookServer = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      hooks.push(JSON.parse(body));
      res.end("ok");
    });
  });
  await new Promise<void>((r) => hookServer.listen(0, "127.0.0.1", r));
  await saveWebhook(s.db, `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/services/T000/B000/secret-path`);
  await s.db.accessOffer.create({ data: { policyId: policyId("free-tier"), maxMinutes: 120, description: "read-only catalog", createdBy: "ada@acme.test" } });
  await s.db.accessRule.create({ data: { name: "on-call read-only", policyId: policyId("free-tier"), requesterGroups: ["oncall"], autoApprove: true, autoMaxMinutes: 60, createdBy: "ada@acme.test" } });
});
afterAll(async () => {
  hookServer?.close();
  await s?.close();
});

describe("auto-approved request", () => {
  it("issue → use → expiry → deletion, one timeline, the requester's identity on every request", async () => {
    const { request, rawKey } = await createRequest(s.db, s.client, TEST_CONFIG, { policyId: policyId("free-tier"), reason: "INC-42 read orders", durationMinutes: 30 }, rui, who(rui));
    expect(request.status).toBe("issued");
    expect(rawKey).toBeTruthy();
    expect(request.expiresAt!.getTime() - request.issuedAt!.getTime()).toBe(30 * 60_000);

    // The key in Tyk: the policy, `expires`, the requester in alias and meta_data.
    const tyk = await s.client.request({ path: `/api/keys/${request.keyHash}`, query: { hashed: "1" }, schema: (await import("@/lib/tyk/schema")).keyDataSchema });
    expect(tyk.data).toMatchObject({ alias: "rui@acme.test", apply_policies: [policyId("free-tier")], expires: Math.floor(request.expiresAt!.getTime() / 1000), meta_data: { email: "rui@acme.test" } });
    const keyRow = await s.db.key.findUniqueOrThrow({ where: { keyHash: request.keyHash! }, include: { identity: true } });
    expect(keyRow.identity).toMatchObject({ kind: "person", externalId: "rui@acme.test" });
    expect(await s.db.accessChange.findFirst({ where: { kind: "key", targetId: request.keyHash!, action: "create" } })).not.toBeNull();

    // First use: from ingested request records, attributed to Rui.
    expect((await s.serve(rawKey!, 3)).status).toBe(200);
    await s.ingest();
    expect((await job()).firstUses).toBe(1);
    expect((await s.db.requestCaller.findFirstOrThrow({ where: { keyHash: request.keyHash! } })).identityId).toBe(keyRow.identityId);

    // Expiry: the job deletes the key and checks Tyk no longer has it.
    await s.db.accessRequest.update({ where: { id: request.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await job()).requestsExpired).toBe(1);
    expect(await keyExists(s.client, request.keyHash!)).toBe(false);
    expect((await s.serve(rawKey!)).status).toBe(403);
    const ended = await s.db.accessRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(ended).toMatchObject({ status: "expired" });
    expect(ended.verifiedAt).not.toBeNull();
    expect((await timelineOf(s.db, "access_request", request.id)).map((e) => e.type)).toEqual(["requested", "auto_approved", "issued", "first_used", "expired", "verified_gone"]);

    // Nothing raw at rest.
    for (const table of ["access_requests", "access_events", "keys", "key_versions", "access_changes", "audit_events"]) {
      const [{ n }] = await s.db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM ${table} t WHERE to_jsonb(t)::text LIKE $1`, `%${rawKey}%`);
      expect(Number(n), table).toBe(0);
    }
    await until("the webhook", () => hooks.length >= 1);
    expect(JSON.stringify(hooks[0])).toMatch(/rui@acme\.test\* was granted \*free-tier\* for 30 min \(auto-approved/);
  });

  it("does not auto-approve past the rule's maximum or outside its group", async () => {
    const long = await createRequest(s.db, s.client, TEST_CONFIG, { policyId: policyId("free-tier"), reason: "long look", durationMinutes: 90 }, rui, who(rui));
    expect(long).toMatchObject({ rawKey: null, request: { status: "pending" } });
    const other = await createRequest(s.db, s.client, TEST_CONFIG, { policyId: policyId("free-tier"), reason: "curious", durationMinutes: 15 }, vera, who(vera));
    expect(other.request.status).toBe("pending");
  });
});

describe("approval by a person", () => {
  it("an approver approves, only the requester collects the key, an admin revokes it early", async () => {
    const { request } = await createRequest(s.db, s.client, TEST_CONFIG, { policyId: policyId("free-tier"), reason: "debug catalog", durationMinutes: 45 }, vera, who(vera));
    await expect(decideRequest(s.db, request.id, "approve", undefined, vera, who(vera))).rejects.toMatchObject({ code: "forbidden" });
    await expect(decideRequest(s.db, request.id, "approve", undefined, rui, who(rui))).rejects.toMatchObject({ code: "forbidden", message: expect.stringMatching(/not an approver/) });
    expect((await listRequests(s.db, ada, "to_approve")).map((r) => r.id)).toContain(request.id);
    const approved = await decideRequest(s.db, request.id, "approve", "ok for today", ada, who(ada));
    expect(approved).toMatchObject({ status: "approved", decidedBy: "ada@acme.test" });
    await expect(issueKey(s.db, s.client, TEST_CONFIG, request.id, ada, who(ada))).rejects.toMatchObject({ code: "forbidden" });
    const { rawKey, request: issued } = await issueKey(s.db, s.client, TEST_CONFIG, request.id, vera, who(vera));
    await expect(issueKey(s.db, s.client, TEST_CONFIG, request.id, vera, who(vera))).rejects.toMatchObject({ code: "conflict" });
    expect((await s.serve(rawKey)).status).toBe(200);
    const revoked = await withdrawRequest(s.db, s.client, request.id, ada, who(ada));
    expect(revoked.status).toBe("revoked");
    expect(await keyExists(s.client, issued.keyHash!)).toBe(false);
    await until("the decision on the webhook", () => hooks.some((h) => JSON.stringify(h).includes("approved *vera@acme.test*")));
  });

  it("a denied request issues nothing", async () => {
    const keysBefore = (await s.client.request({ path: "/api/keys/detailed", query: { p: -1 }, schema: (await import("@/lib/tyk/schema")).keysDetailedSchema })).keys.length;
    const { request } = await createRequest(s.db, s.client, TEST_CONFIG, { apiIds: [s.world.incident.endpoint.apiId], reason: "poke orders", durationMinutes: 20 }, vera, who(vera));
    expect(request).toMatchObject({ status: "pending", targetLabel: "Orders API" });
    await decideRequest(s.db, request.id, "deny", "use the staging key", ada, who(ada));
    await expect(issueKey(s.db, s.client, TEST_CONFIG, request.id, vera, who(vera))).rejects.toMatchObject({ code: "conflict" });
    const after = await s.db.accessRequest.findUniqueOrThrow({ where: { id: request.id } });
    expect(after).toMatchObject({ status: "denied", keyHash: null, issuedAt: null });
    expect((await s.client.request({ path: "/api/keys/detailed", query: { p: -1 }, schema: (await import("@/lib/tyk/schema")).keysDetailedSchema })).keys.length).toBe(keysBefore);
    await expect(decideRequest(s.db, request.id, "approve", undefined, ada, who(ada))).rejects.toMatchObject({ code: "conflict" });
  });

  it("a request by APIs gets the APIs with the configured rate limit", async () => {
    const { request } = await createRequest(s.db, s.client, TEST_CONFIG, { apiIds: [s.world.incident.endpoint.apiId], reason: "orders", durationMinutes: 10 }, vera, who(vera));
    await decideRequest(s.db, request.id, "approve", undefined, ada, who(ada));
    const { request: issued } = await issueKey(s.db, s.client, TEST_CONFIG, request.id, vera, who(vera));
    const tyk = await s.client.request({ path: `/api/keys/${issued.keyHash}`, query: { hashed: "1" }, schema: (await import("@/lib/tyk/schema")).keyDataSchema });
    expect(Object.keys(tyk.data.access_rights ?? {})).toEqual([s.world.incident.endpoint.apiId]);
    expect(tyk.data).toMatchObject({ rate: TEST_CONFIG.requestRatePerMinute, per: 60 });
    await withdrawRequest(s.db, s.client, request.id, vera, who(vera));
  });
});

describe("bad input", () => {
  it("names the field: a policy nobody offers, a duration past the maximum, an unknown API", async () => {
    const err = (p: Promise<unknown>) => p.then(() => null, (e) => e as ApiError);
    expect(await err(createRequest(s.db, s.client, TEST_CONFIG, { policyId: policyId("partner-gold"), reason: "please", durationMinutes: 10 }, vera, who(vera)))).toMatchObject({ code: "bad_request", field: "policyId" });
    expect(await err(createRequest(s.db, s.client, TEST_CONFIG, { policyId: policyId("free-tier"), reason: "please", durationMinutes: 121 }, vera, who(vera)))).toMatchObject({ code: "bad_request", field: "durationMinutes" });
    expect(await err(createRequest(s.db, s.client, TEST_CONFIG, { apiIds: ["nope"], reason: "please", durationMinutes: 10 }, vera, who(vera)))).toMatchObject({ code: "bad_request", field: "apiIds" });
    expect(await err(createRequest(s.db, s.client, TEST_CONFIG, { apiIds: [s.world.incident.endpoint.apiId], reason: "please", durationMinutes: 241 }, vera, who(vera)))).toMatchObject({ field: "durationMinutes" });
  });

  it("a Tyk outage at issue leaves the request approved with the reason; collecting again works", async () => {
    s.sim.setFault({ kind: "500", path: /^\/api\/keys$/ });
    const { request, rawKey } = await createRequest(s.db, s.client, TEST_CONFIG, { policyId: policyId("free-tier"), reason: "outage", durationMinutes: 5 }, rui, who(rui));
    expect(rawKey).toBeNull();
    expect(request.status).toBe("approved");
    expect(request.lastError).toMatch(/Tyk did not create the key/);
    s.sim.setFault(null);
    const issued = await issueKey(s.db, s.client, TEST_CONFIG, request.id, rui, who(rui));
    expect(issued.request.status).toBe("issued");
    await withdrawRequest(s.db, s.client, request.id, rui, who(rui));
  });
});
