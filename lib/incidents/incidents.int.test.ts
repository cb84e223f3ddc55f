import pg from "pg";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { can, type Permission } from "@/lib/auth/permissions";
import { SYSTEM_ACTOR } from "@/lib/audit/context";
import { seedScenario, type Scenario } from "@/lib/investigation/testing/seed-scenario";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";
import type { IncidentViewer } from "./access";
import { addNote, reshareLink, revokeLink, updateIncident } from "./manage";
import { createIncident, listIncidents, openIncident } from "./service";

// The route handlers and the token check use the app's `db` singleton: point it at this file's database.
const holder = globalThis as unknown as { touchlineDb?: PrismaClient };
const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 20, 10, 0);
const BASE = "http://localhost:4000";
const audit = { actor: SYSTEM_ACTOR };

let fresh: FreshDatabase;
let client: pg.Client;
let db: PrismaClient;
let s: Scenario;
const users: Record<"ada" | "rui" | "vera" | "max", IncidentViewer> = {} as never;

beforeAll(async () => {
  fresh = await freshDatabase();
  Object.assign(process.env, {
    DATABASE_URL: fresh.url, NEXTAUTH_URL: BASE, NEXTAUTH_SECRET: "x".repeat(40), OIDC_ISSUER: "http://localhost:4100",
    OIDC_CLIENT_ID: "touchline", OIDC_CLIENT_SECRET: "secret", TRACE_BACKEND: "none", LOG_LEVEL: "silent",
  });
  delete holder.touchlineDb;
  const { getDb } = await import("@/lib/db");
  db = getDb();
  client = new pg.Client({ connectionString: fresh.url });
  await client.connect();
  s = await seedScenario(client, { t0: T0 });
  for (const [name, role] of [["ada", "admin"], ["rui", "responder"], ["vera", "viewer"], ["max", "responder"]] as const) {
    const u = await db.user.create({ data: { email: `${name}@acme.test`, name, role } });
    users[name] = { type: "user", id: u.id, email: u.email, role, can: (p: Permission) => can(role, p) };
  }
});

afterAll(async () => {
  await db?.$disconnect();
  delete holder.touchlineDb;
  await client?.end();
  await fresh?.drop();
});

const window = { from: T0 - 60 * MIN, to: T0 + 30 * MIN };
const create = (visibility: "all" | "responders" = "all", by = users.rui) =>
  createIncident(db, { endpointId: s.endpointId, ...window, title: "Orders slow after Partner Gold change", severity: "sev2", visibility }, by, audit, { traceUi: null });
const open = async (slug: string, v: IncidentViewer) => openIncident(db, slug, v, audit, BASE);

describe("freezing", () => {
  it("keeps the incident exactly as frozen after the data ages out and the policy changes again", async () => {
    const { slug } = await create();
    expect(slug).toMatch(/^orders-slow-after-partner-gold-change-[a-z2-7]{26}$/);
    const first = await open(slug, users.vera);
    if (first.state !== "ok") throw new Error(first.state);
    const inc = first.incident;
    expect(inc.owner.email).toBe("rui@acme.test");
    expect(inc.url).toBe(`${BASE}/incidents/${slug}`);
    expect(inc.frozen.investigation.suspects.length).toBeGreaterThan(0);
    const top = inc.frozen.investigation.suspects.map((x) => x.id);
    expect(top.slice(0, 2)).toEqual(expect.arrayContaining([s.policyChangeId]));
    expect(inc.frozen.context.points.length).toBeGreaterThan(60);
    expect(inc.frozen.investigation.suspects.flatMap((x) => x.evidence.exemplarTraceIds).length).toBeGreaterThan(0);
    expect(inc.frozen.versions).toContainEqual(expect.objectContaining({ kind: "policy", targetId: "pol-gold", version: 2, snapshot: { rate: 100, per: 1 }, changeId: s.policyChangeId }));
    expect(inc.markdown).toContain(`${BASE}/incidents/${slug}`);
    expect(inc.markdown).toContain("\\[SEV2\\]");

    // Everything underneath goes away or changes.
    await client.query(`DELETE FROM request_records; DELETE FROM exemplars; DELETE FROM latency_points`);
    await client.query(`UPDATE policy_versions SET snapshot = '{"rate": 9999}' WHERE policy_id = 'pol-gold'`);
    await client.query(`INSERT INTO policy_versions (id, policy_id, version, snapshot) VALUES ('pv-gold-3', 'pol-gold', 3, '{"rate": 5}')`);
    await client.query(`UPDATE access_changes SET actor = 'someone-else@acme.test', target_label = 'Renamed'`);

    const again = await open(slug, users.vera);
    if (again.state !== "ok") throw new Error(again.state);
    expect(again.incident.frozen).toEqual(inc.frozen);
    expect(again.incident.markdown).toEqual(inc.markdown);
    const views = await db.auditEvent.count({ where: { action: "incident.view", targetId: inc.id } });
    expect(views).toBe(2);
  });
});

describe("access, status, notes and links", () => {
  it("hides a responders-only incident from a viewer (403) and lists only what each may open", async () => {
    const { slug } = await create("responders");
    expect((await open(slug, users.vera)).state).toBe("forbidden");
    expect((await open(slug, users.max)).state).toBe("ok");
    expect((await listIncidents(db, { limit: 100 }, users.vera)).map((i) => i.slug)).not.toContain(slug);
    expect((await listIncidents(db, { limit: 100, severity: "sev2" }, users.max)).map((i) => i.slug)).toContain(slug);
    expect(await listIncidents(db, { limit: 100, status: "resolved" }, users.max)).toEqual([]);
    expect((await open("no-such-incident-aaaaaaaa", users.ada)).state).toBe("not_found");
  });

  it("records status changes and notes on the timeline without touching the evidence", async () => {
    const { slug } = await create();
    const before = await open(slug, users.rui);
    await updateIncident(db, slug, { status: "mitigated" }, users.rui, audit);
    await addNote(db, slug, "Rolled partner-gold back to 100/s", users.max, audit);
    const after = await open(slug, users.rui);
    if (after.state !== "ok" || before.state !== "ok") throw new Error("not ok");
    expect(after.incident.status).toBe("mitigated");
    expect(after.incident.notes).toEqual([expect.objectContaining({ author: "max@acme.test", body: "Rolled partner-gold back to 100/s" })]);
    expect(after.incident.events.map((e) => e.type)).toEqual(["created", "status", "note"]);
    expect(after.incident.frozen).toEqual(before.incident.frozen);
    await expect(updateIncident(db, slug, { status: "resolved" }, users.vera, audit)).resolves.toBeUndefined(); // permission is the route's job
    expect((await listIncidents(db, { limit: 100, status: "resolved" }, users.rui)).map((i) => i.slug)).toContain(slug);
  });

  it("lets only the owner or an admin revoke; a revoked link is gone for everyone until re-shared", async () => {
    const { slug } = await create("all", users.rui);
    await expect(revokeLink(db, slug, users.max, audit)).rejects.toMatchObject({ code: "forbidden" });
    await revokeLink(db, slug, users.rui, audit);
    for (const v of [users.vera, users.max]) expect(await open(slug, v)).toMatchObject({ state: "gone", canManageLink: false, title: null });
    expect(await open(slug, users.ada)).toMatchObject({ state: "gone", canManageLink: true });
    await expect(addNote(db, slug, "late", users.rui, audit)).rejects.toMatchObject({ code: "gone" });

    const { slug: next } = await reshareLink(db, slug, users.ada, audit);
    expect(next).not.toBe(slug);
    expect((await open(next, users.vera)).state).toBe("ok");
    expect(await open(slug, users.vera)).toMatchObject({ state: "gone" });
    expect(await open(slug, users.rui)).toMatchObject({ state: "gone", currentSlug: next });
    const actions = (await db.auditEvent.findMany({ where: { action: { in: ["incident.revoke", "incident.reshare"] } } })).map((a) => a.action);
    expect(actions).toEqual(["incident.revoke", "incident.reshare"]);
  });
});

describe("ownership rules on every field", () => {
  it("lets only the owner or an admin change owner, title or visibility; anyone may change status and severity", async () => {
    const { slug } = await create("all", users.rui);
    const before = await db.incident.findUniqueOrThrow({ where: { slug } });
    for (const patch of [{ ownerId: users.max.id }, { title: "Max's incident now" }, { visibility: "responders" as const }, { ownerId: users.max.id, status: "mitigated" as const }]) {
      await expect(updateIncident(db, slug, patch, users.max, audit), JSON.stringify(patch)).rejects.toMatchObject({ code: "forbidden" });
    }
    // Max could not make himself owner, so he still cannot revoke.
    await expect(revokeLink(db, slug, users.max, audit)).rejects.toMatchObject({ code: "forbidden" });
    expect(await db.incident.findUniqueOrThrow({ where: { slug } })).toMatchObject({ ownerId: before.ownerId, title: before.title, visibility: "all", status: "open", revokedAt: null });

    await updateIncident(db, slug, { status: "mitigated", severity: "sev1" }, users.max, audit);
    // Sending the current value along is no change of it.
    await updateIncident(db, slug, { title: before.title, status: "resolved" }, users.max, audit);
    await updateIncident(db, slug, { title: "Renamed by its owner", visibility: "responders" }, users.rui, audit);
    await updateIncident(db, slug, { ownerId: users.max.id }, users.ada, audit);
    const after = await db.incident.findUniqueOrThrow({ where: { slug } });
    expect(after).toMatchObject({ status: "resolved", severity: "sev1", title: "Renamed by its owner", visibility: "responders", ownerEmail: "max@acme.test" });
  });
});

describe("revoked incidents in the list", () => {
  it("show title, verdict and owner only to those who could re-share; a search never finds them for anyone else", async () => {
    const { slug } = await create("all", users.rui);
    await revokeLink(db, slug, users.rui, audit);
    const rowFor = async (v: IncidentViewer, q: { q?: string; owner?: string } = {}) => (await listIncidents(db, { limit: 200, ...q }, v)).find((i) => i.slug === slug);
    for (const v of [users.rui, users.ada]) expect(await rowFor(v)).toMatchObject({ revoked: true, title: "Orders slow after Partner Gold change", ownerEmail: "rui@acme.test" });
    for (const v of [users.max, users.vera]) {
      expect(await rowFor(v)).toMatchObject({ revoked: true, title: null, summary: null, ownerEmail: null });
      expect(await rowFor(v, { q: "Partner Gold" })).toBeUndefined();
      expect(await rowFor(v, { owner: "rui@acme.test" })).toBeUndefined();
    }
    expect(await rowFor(users.rui, { owner: "me" })).toBeDefined();
  });

  it("answers owner=me from a token with 400 naming the field", async () => {
    const bot: IncidentViewer = { type: "token", id: "tok1", email: null, role: "viewer", can: (p: Permission) => p === "incidents:read" };
    await expect(listIncidents(db, { limit: 10, owner: "me" }, bot)).rejects.toMatchObject({ code: "bad_request", field: "owner" });
  });
});

describe("GET /api/incidents/{slug}", () => {
  it("answers 200, 403 (responders only), 410 (revoked), 404 and 401 through the real handler", async () => {
    const { GET } = await import("@/app/api/incidents/[slug]/route");
    const { createToken } = await import("@/lib/tokens/service");
    const read = (await createToken(db, { name: "bot", scopes: ["read"], expiresAt: null, createdBy: "test" }, audit)).token;
    const call = (slug: string, token: string) =>
      GET(new NextRequest(`${BASE}/api/incidents/${slug}`, { headers: { authorization: `Bearer ${token}` } }), { params: Promise.resolve({ slug }) });

    const all = await create("all");
    const res = await call(all.slug, read);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ slug: all.slug, you: { canWrite: false, canManageLink: false } });

    const hidden = await create("responders");
    expect((await call(hidden.slug, read)).status).toBe(403);

    await revokeLink(db, all.slug, users.rui, audit);
    const gone = await call(all.slug, read);
    expect(gone.status).toBe(410);
    expect(await gone.json()).toMatchObject({ error: { code: "gone" } });

    expect((await call("no-such-incident-aaaaaaaa", read)).status).toBe(404);
    expect((await call("BAD SLUG", read)).status).toBe(400);
    expect((await call(hidden.slug, "tl_not_a_real_token")).status).toBe(401);
  });
});

describe("the environment filter", () => {
  it("lists only incidents on endpoints of APIs filed under the environment, in any spelling", async () => {
    const { slug } = await create();
    const api = await db.api.findUniqueOrThrow({ where: { id: s.apiId } });
    const listed = async (env: string) => (await listIncidents(db, { limit: 200, env }, users.rui)).map((i) => i.slug);
    // Declaring nothing, the API is in no environment.
    expect(await listed("staging")).toEqual([]);
    await db.api.update({ where: { id: s.apiId }, data: { definition: { api_definition: { tags: ["env:stg"] } } } });
    try {
      expect(await listed("STAGE")).toContain(slug);
      expect(await listed("production")).toEqual([]);
      expect((await listIncidents(db, { limit: 200 }, users.rui)).map((i) => i.slug)).toContain(slug);
    } finally {
      await db.api.update({ where: { id: s.apiId }, data: { definition: api.definition ?? {} } });
    }
  });
});
