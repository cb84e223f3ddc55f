import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { can, type Permission } from "@/lib/auth/permissions";
import { SYSTEM_ACTOR } from "@/lib/audit/context";
import { seedScenario, type Scenario } from "@/lib/investigation/testing/seed-scenario";
import { freshDatabase, type FreshDatabase } from "@/tests/helpers/db";
import type { IncidentViewer } from "./access";
import { createIncident } from "./service";

// A new incident is announced on the configured webhook (a real HTTP server here); a failing
// webhook never fails the creation, and the failure shows on the incident's timeline.
const holder = globalThis as unknown as { touchlineDb?: PrismaClient };
const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 20, 10, 0);
const BASE = "http://localhost:4000";

let fresh: FreshDatabase;
let client: pg.Client;
let db: PrismaClient;
let s: Scenario;
let rui: IncidentViewer;
let hookServer: http.Server;
let answer = 200;
const hooks: { text: string; blocks: { elements?: { text: string }[] }[] }[] = [];

beforeAll(async () => {
  hookServer = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      hooks.push(JSON.parse(body));
      res.statusCode = answer;
      res.end("ok");
    });
  });
  await new Promise<void>((r) => hookServer.listen(0, "127.0.0.1", r));
  fresh = await freshDatabase();
  Object.assign(process.env, {
    DATABASE_URL: fresh.url, NEXTAUTH_URL: BASE, NEXTAUTH_SECRET: "x".repeat(40), OIDC_ISSUER: "http://localhost:4100",
    OIDC_CLIENT_ID: "touchline", OIDC_CLIENT_SECRET: "secret", TRACE_BACKEND: "none", LOG_LEVEL: "silent",
    INCIDENT_WEBHOOK_URL: `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/services/T000/B000/secret-path`,
  });
  delete holder.touchlineDb;
  const { getDb } = await import("@/lib/db");
  db = getDb();
  client = new pg.Client({ connectionString: fresh.url });
  await client.connect();
  s = await seedScenario(client, { t0: T0 });
  const u = await db.user.create({ data: { email: "rui@acme.test", name: "rui", role: "responder" } });
  rui = { type: "user", id: u.id, email: u.email, role: "responder", can: (p: Permission) => can("responder", p) };
});

afterAll(async () => {
  hookServer?.close();
  await db?.$disconnect();
  delete holder.touchlineDb;
  await client?.end();
  await fresh?.drop();
});

const create = (title: string, visibility: "all" | "responders") =>
  createIncident(db, { endpointId: s.endpointId, from: T0 - 60 * MIN, to: T0 + 30 * MIN, title, severity: "sev2", visibility }, rui, { actor: SYSTEM_ACTOR }, { traceUi: null });
const until = async (ok: () => boolean | Promise<boolean>) => {
  for (let i = 0; i < 100 && !(await ok()); i++) await new Promise((r) => setTimeout(r, 50));
};

describe("incident webhook", () => {
  it("announces a new incident with its severity, title, endpoint, verdict and link", async () => {
    const { slug } = await create("Orders <slow> & co", "all");
    await until(() => hooks.length === 1);
    expect(hooks[0].text).toBe("*[SEV2] Orders &lt;slow&gt; &amp; co* — new incident on *GET /shop/orders/{id}*, opened by rui@acme.test");
    const context = hooks[0].blocks[1].elements!.map((e) => e.text);
    expect(context[0]).toMatch(/^Verdict: /);
    expect(context[1]).toBe(`<${BASE}/incidents/${slug}|Open in Touchline> (SSO)`);
  });

  it("announces a responders-only incident without its title or verdict", async () => {
    await create("Secret partner problem", "responders");
    await until(() => hooks.length === 2);
    expect(JSON.stringify(hooks[1])).not.toContain("Secret partner problem");
    expect(hooks[1].text).toBe("*[SEV2]* new responders-only incident on *GET /shop/orders/{id}*, opened by rui@acme.test");
    expect(hooks[1].blocks[1].elements!.map((e) => e.text)).toHaveLength(1);
  });

  it("a refused post does not fail the creation; it goes on the incident's timeline", async () => {
    answer = 500;
    const { id } = await create("Webhook down", "all");
    const failed = () => db.incidentEvent.findFirst({ where: { incidentId: id, type: "webhook_failed" } });
    await until(async () => (await failed()) !== null);
    expect((await failed())?.details).toEqual({ reason: "HTTP 500" });
  });
});
