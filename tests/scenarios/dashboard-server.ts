// Serves a scenario's estate through the Tyk Dashboard API paths and envelopes a sync reads
// (`apis`/`pages`, `Data`/`Pages`, `keys`/`pages`, `apps`, `users`, `audit_logs`), as of a clock
// the scenario runner moves, with 10 items per page like the Dashboard. Without an audit log it
// answers /api/audit-logs like a Dashboard before 5.7: 404. Imports nothing from lib/.
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { AuditRecordJson, Estate, Json } from "./estate";

export interface ScenarioDashboard {
  url: string;
  apiKey: string;
  setClock(t: number): void;
  close(): Promise<void>;
}

const PAGE = 10;
const notFound = { Status: "Error", Message: "Not found", Meta: null };

function page<T>(items: T[], p: string | null): { items: T[]; pages: number } {
  const n = p ? Number.parseInt(p, 10) : 1;
  if (!Number.isFinite(n) || n <= 0) return { items, pages: 1 };
  return { items: items.slice((n - 1) * PAGE, n * PAGE), pages: Math.max(1, Math.ceil(items.length / PAGE)) };
}

/** The documented audit filters the sync sends: from_date / to_date are whole UTC days. */
function auditFilter(records: AuditRecordJson[], q: URLSearchParams): AuditRecordJson[] {
  const from = q.get("from_date") ? Date.parse(`${q.get("from_date")}T00:00:00Z`) / 1000 : -Infinity;
  const to = q.get("to_date") ? Date.parse(`${q.get("to_date")}T00:00:00Z`) / 1000 + 86_400 : Infinity;
  return records.filter((r) => r.timestamp >= from && r.timestamp < to);
}

export async function startScenarioDashboard(estate: Estate, opts: { auditLog: boolean; apiKey?: string }): Promise<ScenarioDashboard> {
  const apiKey = opts.apiKey ?? "scenario-dashboard-key";
  let clock = 0;

  const route = (path: string, q: URLSearchParams): { status: number; body: unknown } => {
    const seg = path.split("/").filter(Boolean).map(decodeURIComponent);
    if (seg[0] !== "api") return { status: 404, body: notFound };
    const [, a, b, c, d] = seg;
    const keys = () => estate.keysAt(clock);
    const keyBy = (id: string) => keys().find((k) => k.key_hash === id || k.key_id === id);
    if (a === "apis" && b === undefined) {
      const pg = page(estate.apisAt(clock), q.get("p"));
      return { status: 200, body: { apis: pg.items, pages: pg.pages } };
    }
    if (a === "apis" && b === "oauth" && c && d === undefined) {
      if (!estate.apisAt(clock).some((w) => (w.api_definition as Json).api_id === c)) return { status: 404, body: { Status: "Error", Message: "API not found", Meta: null } };
      const pg = page(estate.oauthAppsAt(c, clock), q.get("p"));
      return { status: 200, body: { apps: pg.items, pages: pg.pages } };
    }
    if (a === "apis" && b && c === undefined) {
      const w = estate.apisAt(clock).find((x) => [(x.api_definition as Json).api_id, (x.api_definition as Json).id].includes(b));
      return w ? { status: 200, body: w } : { status: 404, body: { Status: "Error", Message: "API not found", Meta: null } };
    }
    if (a === "apis" && b && c === "keys" && d) {
      const k = keyBy(d);
      return k ? { status: 200, body: k } : { status: 404, body: { Status: "Error", Message: "Could not retrieve key detail.", Meta: null } };
    }
    if (a === "keys" && b === "detailed" && c === undefined) {
      const pg = page(keys(), q.get("p"));
      return { status: 200, body: { keys: pg.items, pages: pg.pages } };
    }
    if (a === "keys" && b && c === undefined) {
      const k = keyBy(b);
      return k ? { status: 200, body: k } : { status: 404, body: { Status: "Error", Message: "Could not retrieve key detail.", Meta: null } };
    }
    if (a === "portal" && b === "policies") {
      const policies = estate.policiesAt(clock);
      if (c === undefined) {
        const pg = page(policies, q.get("p"));
        return { status: 200, body: { Data: pg.items, Pages: pg.pages } };
      }
      const p = policies.find((x) => x._id === c);
      return p ? { status: 200, body: p } : { status: 404, body: { Status: "Error", Message: "Could not retrieve portal object.", Meta: null } };
    }
    if (a === "users" && b === undefined) {
      const pg = page(estate.users, q.get("p"));
      return { status: 200, body: { users: pg.items, pages: pg.pages } };
    }
    if (a === "audit-logs" && b === undefined && opts.auditLog) {
      const pg = page(auditFilter(estate.auditUntil(clock), q), q.get("p"));
      return { status: 200, body: { audit_logs: pg.items, pages: pg.pages } };
    }
    return { status: 404, body: notFound };
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://dashboard");
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if ((req.headers.authorization ?? "") !== apiKey) return send(401, { Status: "Error", Message: "Not authorised", Meta: null });
    if (req.method !== "GET") return send(405, { Status: "Error", Message: "Method not allowed", Meta: null });
    const r = route(url.pathname, url.searchParams);
    send(r.status, r.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    setClock: (t) => { clock = t; },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
