// A Tyk Dashboard stand-in: serves the world's state as of the simulator clock (the wall clock
// unless set back for a replay) through the real Dashboard API paths and envelopes, and optionally
// plays Tyk Pump into Postgres (always on the wall clock).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { hex, rngFor } from "../world/prng";
import type { SimIdentity, World } from "../world";
import { activityUnits, createActivityIndex, parseActivityRange, type ActivitySubject } from "./activity";
import { filterAudit, makeAuditRecord, worldAuditRecords, type AuditFilter, type AuditRecord } from "./audit-log";
import { createSimClock, parseClockBody, parseFloodBody } from "./clock";
import { emptyPage, FaultSwitch, parseFaultBody, renameField, type Fault } from "./faults";
import { keyRoutes } from "./key-routes";
import { LiveKeys } from "./live-keys";
import { decodesAsPolicy } from "./policy-body";
import { startPumpWriter, type PumpWriter } from "./pump-writer";
import { err, readBody, type Reply } from "./reply";
import { apiWrapperJson, keyDataJson, keyId, oauthAppJson, policyJson, userJson, type DashboardUser } from "./serializers";

export type { Fault } from "./faults";

export interface TykSimulatorOptions {
  port?: number;
  host?: string;
  world: World;
  apiKey: string;
  /** false behaves like a Dashboard without the audit API (pre-5.7 / OSS): 404. */
  auditLog?: boolean;
  pageSize?: number;
  analyticsDatabaseUrl?: string;
  hashKeys?: boolean;
  pumpIntervalMs?: number;
}

export interface TykSimulator {
  url: string;
  close(): Promise<void>;
  setFault(fault: Fault | null): void;
  requestCount(): number;
  /** Serve the world as of `asOf` (time keeps moving from there); null → live wall clock. */
  setClock(asOf: Date | null): void;
  pump: PumpWriter | null;
}

type Json = Record<string, unknown>;

/** The Dashboard user that owns the simulator's API key: the console's service account. */
export const CONSOLE_USER_EMAIL = "touchline@acme.test";

function paginate<T>(items: T[], pRaw: string | null, pageSize: number): { items: T[]; pages: number } {
  const p = pRaw === null || pRaw === "" ? 1 : Number.parseInt(pRaw, 10);
  if (!Number.isFinite(p) || p <= 0) return { items, pages: 1 };
  const pages = Math.max(1, Math.ceil(items.length / pageSize));
  return { items: items.slice((p - 1) * pageSize, p * pageSize), pages };
}

function dashboardUsers(world: World): DashboardUser[] {
  const people: SimIdentity[] = world.identities.filter((i) => i.kind === "person" && i.dashboardRole);
  people.push({ id: "u-touchline", kind: "service", email: CONSOLE_USER_EMAIL, name: "Touchline Console", dashboardRole: "responder" });
  const created = new Date(world.anchor.getTime() - 90 * 86_400_000);
  return people.map((identity) => ({ identity, id: hex(rngFor(world.seed, "user", identity.id), 24),
    accessKey: hex(rngFor(world.seed, "user-key", identity.id), 32), createdAt: created }));
}

export async function startTykSimulator(opts: TykSimulatorOptions): Promise<TykSimulator> {
  const { world, apiKey, auditLog = true, pageSize = 10, hashKeys = true } = opts;
  const faults = new FaultSwitch();
  const users = dashboardUsers(world);
  // Live writes are stamped with the sim clock; a clock set before them hides them again.
  const policyOverrides = new Map<string, { at: Date; body: Json }>();
  const liveAudit: AuditRecord[] = [];
  let requests = 0;

  const clock = createSimClock();
  const now = () => clock.now();
  // Serialised once per world state: every key page embeds its policies, and rebuilding the map
  // per request made a 100,000-key estate (10,000 policies) cost the simulator ~80 ms a page.
  let serialised: { state: unknown; map: Map<string, Json> } | null = null;
  const currentPolicies = (): Map<string, Json> => {
    const at = now();
    const state = world.stateAt(at);
    if (serialised?.state !== state) serialised = { state, map: new Map(state.policies.map((p) => [p.id, policyJson(p)])) };
    const active = [...policyOverrides].filter(([id, o]) => serialised!.map.has(id) && o.at <= at);
    if (!active.length) return serialised.map;
    const map = new Map(serialised.map);
    for (const [id, o] of active) map.set(id, o.body);
    return map;
  };
  const findApi = (id: string) => world.stateAt(now()).apis.find((a) => a.id === id || a.dbId === id);
  const writeAudit = (method: string, url: string, action: string, status: number, ip = "127.0.0.1") =>
    liveAudit.push(makeAuditRecord(world.seed, 1_000_000 + liveAudit.length, now(), world.orgId, CONSOLE_USER_EMAIL, method, url, action, status, ip));
  let pump: PumpWriter | null = null;
  const live = new LiveKeys();
  const keys = keyRoutes({ world, live, now, hashKeys, policies: currentPolicies, audit: writeAudit, pump: () => pump, rateLimit: (r) => rateLimit(r) });
  const activity = createActivityIndex(world);
  // The world's own traffic is limited as the world answers it; requests sent through /_sim/requests here.
  const rateLimit = world.rateLimiter();

  async function route(method: string, path: string, q: URLSearchParams, req: http.IncomingMessage): Promise<Reply> {
    const seg = path.split("/").filter(Boolean).map(decodeURIComponent);
    if (seg[0] !== "api") return err(404, "Not found");
    const r = seg.slice(1);
    const state = world.stateAt(now());
    if (method !== "GET") {
      const written = await keys.route(method, r, path, () => readBody(req));
      if (written) return written;
    }

    if (method === "GET" && r.length === 1 && r[0] === "apis") {
      const needle = q.get("q")?.toLowerCase();
      const apis = [...state.apis].reverse().filter((a) => !needle || a.name.toLowerCase().includes(needle));
      const page = paginate(apis, q.get("p"), pageSize);
      return { status: 200, body: { apis: page.items.map(apiWrapperJson), pages: page.pages } };
    }
    // OAuth clients registered for one API (an API without OAuth simply has none).
    if (method === "GET" && r[0] === "apis" && r[1] === "oauth" && r.length === 3) {
      const api = findApi(r[2]);
      if (!api) return err(404, "API not found");
      const page = paginate(state.oauthClients.filter((c) => c.apiId === api.id), q.get("p"), pageSize);
      return { status: 200, body: { apps: page.items.map((c) => oauthAppJson(c, live.secretAt(c.clientId, now()))), pages: page.pages } };
    }
    if (r[0] === "apis" && r.length >= 2 && r[1] !== "keys") {
      const api = findApi(r[1]);
      if (method === "GET" && r.length === 2) return api ? { status: 200, body: apiWrapperJson(api) } : err(404, "API not found");
      if (method === "GET" && r.length === 3 && r[2] === "keys") {
        if (!api) return err(404, "Could not retrieve keys.");
        const page = paginate(keys.keysForApi(state, api.id), q.get("p"), pageSize);
        return { status: 200, body: { data: { keys: page.items.map((k) => keyId(k, hashKeys)) }, pages: page.pages } };
      }
      if (method === "GET" && r.length === 4 && r[2] === "keys") {
        const key = api && keys.keyAt(r[3]);
        if (!api || !key || !keys.keysForApi(state, api.id).some((k) => k.hash === key.hash)) return err(404, "Could not retrieve key detail.");
        return { status: 200, body: keyDataJson(key, hashKeys, currentPolicies()) };
      }
    }
    if (method === "GET" && r[0] === "keys" && r[1] === "detailed" && r.length === 2) {
      const policies = currentPolicies();
      const needle = q.get("q");
      const all = keys.allKeys(state);
      const page = paginate(needle ? all.filter((k) => keyId(k, hashKeys).includes(needle)) : all, q.get("p"), pageSize);
      return { status: 200, body: { keys: page.items.map((k) => keyDataJson(k, hashKeys, policies)), pages: page.pages } };
    }
    if (method === "GET" && r[0] === "keys" && r.length === 2) {
      const key = keys.keyAt(r[1]);
      return key ? { status: 200, body: keyDataJson(key, hashKeys, currentPolicies()) } : err(404, "Could not retrieve key detail.");
    }
    if (r[0] === "portal" && r[1] === "policies") {
      const policies = currentPolicies();
      if (method === "GET" && r.length === 2) {
        const page = paginate([...policies.values()], q.get("p"), pageSize);
        return { status: 200, body: { Data: page.items, Pages: page.pages } };
      }
      if (r.length === 3) {
        const current = policies.get(r[2]);
        if (!current) return err(404, "Could not retrieve portal object.");
        if (method === "GET") return { status: 200, body: current };
        if (method === "PUT") {
          let patch: unknown;
          try {
            patch = JSON.parse(await readBody(req));
          } catch {
            return err(400, "Failed to unmarshal policy data");
          }
          if (!decodesAsPolicy(patch)) return err(400, "Failed to unmarshal policy data");
          const at = now();
          const body = { ...current, ...(patch as Json), _id: current._id, id: current.id, org_id: current.org_id,
            last_updated: String(Math.floor(at.getTime() / 1000)) };
          policyOverrides.set(r[2], { at, body });
          world.writePolicy({ id: r[2], at, body });
          writeAudit("PUT", `/api/portal/policies/${r[2]}`, "Update policy", 200, req.socket.remoteAddress ?? "127.0.0.1");
          return { status: 200, body: { Status: "OK", Message: "Data updated", Meta: null } };
        }
      }
    }
    if (method === "GET" && r[0] === "activity" && (r[1] === "keys" || r[1] === "oauthid") && r.length === 9) {
      const range = parseActivityRange(r.slice(3));
      if (!range) return err(400, "Invalid date range");
      const res = q.get("res") ?? "day";
      if (res !== "hour" && res !== "day") return err(400, "Invalid resolution");
      // The analytics store holds hashed key ids (or raw ones without hash_keys); accept either spelling.
      const subject: ActivitySubject = r[1] === "keys" ? { kind: "key", keyHash: keys.keyAt(r[2])?.hash ?? r[2] } : { kind: "oauth", clientId: r[2] };
      const units = activityUnits(activity.hours(subject, range.fromMs, range.toMs, now().getTime()), res, subject);
      const page = paginate(units, q.get("p"), pageSize);
      return { status: 200, body: { data: page.items, pages: page.pages } };
    }
    if (method === "GET" && r[0] === "users" && r.length === 1) {
      const page = paginate(users, q.get("p"), pageSize);
      return { status: 200, body: { users: page.items.map((u) => userJson(u, world.orgId)), pages: page.pages } };
    }
    if (method === "GET" && r[0] === "audit-logs" && r.length === 1 && auditLog) {
      const at = now();
      const all = [...worldAuditRecords(world, at), ...liveAudit.filter((a) => a.timestamp * 1000 <= at.getTime())];
      const filter = Object.fromEntries([...q.entries()]) as AuditFilter;
      const page = paginate(filterAudit(all, filter), q.get("p"), pageSize);
      return { status: 200, body: { audit_logs: page.items, pages: page.pages } };
    }
    return err(404, "Not found");
  }

  const server = http.createServer((req, res) => {
    requests++;
    const url = new URL(req.url ?? "/", "http://sim");
    const send = (reply: Reply, fault: Fault | null = null) => {
      let body = reply.body;
      if (fault?.kind === "rename-field") body = renameField(body);
      if (fault?.kind === "empty-page") body = emptyPage(body);
      let text = JSON.stringify(body);
      if (fault?.kind === "truncated") text = text.slice(0, Math.floor(text.length / 2));
      res.writeHead(reply.status, { "Content-Type": "application/json", ...reply.headers });
      res.end(text);
    };
    const auth = (req.headers.authorization ?? "").replace(/^Bearer\s+/i, "");
    if (auth !== apiKey) return send(err(401, "Not authorised"));
    if (url.pathname === "/_sim/world-inputs" && req.method === "GET") {
      // What changed the world's traffic since it started (limits the gateway enforces, floods), for the
      // Lightstep simulator's copy of the world: its traces must agree with the Pump's rows.
      const iso = <T extends { at: Date }>(x: T) => ({ ...x, at: x.at.toISOString() });
      return send({ status: 200, body: { policyWrites: world.policyWrites().map(iso), floods: world.floods().map(iso) } });
    }
    if (url.pathname === "/_sim/flood") {
      // The seeded incident's batch export runs again from the next minute (demo and e2e: a live flood to cut).
      if (req.method !== "PUT") return send(err(405, "Method not allowed"));
      return void readBody(req).then((text) => {
        const parsed = parseFloodBody(text);
        if (typeof parsed === "string") return send(err(400, parsed));
        world.startFlood({ at: now(), minutes: parsed.minutes });
        const f = world.floods().at(-1)!;
        send({ status: 200, body: { at: f.at.toISOString(), minutes: f.minutes } });
      }, () => send(err(500, "Internal server error")));
    }
    if (url.pathname === "/_sim/clock") {
      if (req.method === "GET") return send({ status: 200, body: { asOf: now().toISOString(), live: clock.isLive() } });
      if (req.method !== "PUT") return send(err(405, "Method not allowed"));
      return void readBody(req).then((text) => {
        const parsed = parseClockBody(text);
        if (typeof parsed === "string") return send(err(400, parsed));
        clock.set(parsed.asOf);
        send({ status: 200, body: { asOf: now().toISOString(), live: clock.isLive() } });
      }, () => send(err(500, "Internal server error")));
    }
    if (url.pathname === "/_sim/requests") {
      if (req.method !== "POST") return send(err(405, "Method not allowed"));
      return void readBody(req).then(keys.simRequests).then((reply) => send(reply), () => send(err(500, "Internal server error")));
    }
    if (url.pathname === "/_sim/fault") {
      // The running simulator's fault switch, for e2e tests (outside /api: no real Dashboard has it).
      if (req.method !== "PUT") return send(err(405, "Method not allowed"));
      return void readBody(req).then((text) => {
        const parsed = parseFaultBody(text);
        if (typeof parsed === "string") return send(err(400, parsed));
        faults.set(parsed.fault);
        send({ status: 200, body: { fault: parsed.fault ? { ...parsed.fault, path: parsed.fault.path?.source } : null } });
      }, () => send(err(500, "Internal server error")));
    }
    const fault = faults.take(url.pathname);
    const run = async () => {
      if (fault?.kind === "500") return send(err(500, "Internal server error"));
      if (fault?.kind === "429") {
        return send({ ...err(429, "Too Many Requests"), headers: { "Retry-After": String(fault.retryAfterSeconds ?? 1) } });
      }
      if (fault?.kind === "slow") await new Promise((resolve) => setTimeout(resolve, fault.ms));
      send(await route(req.method ?? "GET", url.pathname, url.searchParams, req), fault);
    };
    run().catch(() => send(err(500, "Internal server error")));
  });

  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  pump = opts.analyticsDatabaseUrl
    ? await startPumpWriter({ world, databaseUrl: opts.analyticsDatabaseUrl, hashKeys, intervalMs: opts.pumpIntervalMs, admit: keys.admitWorldRequest })
    : null;

  return {
    url: `http://${opts.host ?? "127.0.0.1"}:${port}`,
    setFault: (fault) => faults.set(fault),
    setClock: (asOf) => clock.set(asOf),
    requestCount: () => requests,
    pump,
    async close() {
      await pump?.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
