// The Dashboard's audit log (5.7+): one record per API request it served. We record the world's
// writes plus some read noise, and the simulator appends the writes it serves live.
import { hex, rngFor } from "../world/prng";
import type { ChangeEvent, World } from "../world";

export interface AuditRecord {
  _id: string; req_id: string; org_id: string; date: string; timestamp: number; ip: string; user: string;
  action: string; method: string; url: string; status: number;
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number) => String(n).padStart(2, "0");

/** Go's "Mon, 02 Jan 2006 15:04:05 -07" in UTC, as the Dashboard writes `date`. */
export function auditDate(d: Date): string {
  return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +00`;
}

const USER_IPS: Record<string, string> = {
  "ada@acme.test": "10.1.0.12", "rui@acme.test": "10.1.0.31", "vera@acme.test": "10.1.0.44", "maya@acme.test": "10.1.0.57",
};

const ACTIONS: Record<string, string> = {
  "policy:create": "Create policy", "policy:update": "Update policy", "policy:delete": "Delete policy",
  "key:create": "Create key", "key:rotate": "Create key", "key:update": "Update key", "key:revoke": "Delete key",
  "key:delete": "Delete key", "api:create": "Create API", "api:update": "Update API", "api:delete": "Delete API",
  "oauth_client:create": "Create OAuth client", "oauth_client:update": "Update OAuth client",
};

export function makeAuditRecord(seed: number, n: number, at: Date, orgId: string, user: string, method: string,
  url: string, action: string, status = 200, ip?: string): AuditRecord {
  const rng = rngFor(seed, "audit", n);
  const id = hex(rng, 32);
  return {
    _id: hex(rng, 24), req_id: `${id.slice(0, 8)}-${id.slice(8, 12)}-${id.slice(12, 16)}-${id.slice(16, 20)}-${id.slice(20)}`,
    org_id: orgId, date: auditDate(at), timestamp: Math.floor(at.getTime() / 1000), ip: ip ?? USER_IPS[user] ?? "10.1.0.99",
    user, action, method, url, status,
  };
}

/** The world's records up to `until`, oldest first: every change event plus periodic reads. */
export function worldAuditRecords(world: World, until: Date): AuditRecord[] {
  const out: { at: Date; rec: (n: number) => AuditRecord }[] = [];
  for (const e of world.events as ChangeEvent[]) {
    out.push({ at: e.at, rec: (n) => makeAuditRecord(world.seed, n, e.at, world.orgId, e.actor, e.method, e.url,
      ACTIONS[`${e.kind}:${e.action}`] ?? "") });
  }
  // Reads: someone lists APIs or policies roughly every 40 minutes (the log has no diff, only noise).
  const start = world.anchor.getTime() - 24 * 3_600_000;
  const reads = [["GET", "/api/apis", "List APIs"], ["GET", "/api/portal/policies", "List policies"],
    ["GET", "/api/keys/detailed", ""], ["GET", "/api/audit-logs", ""]] as const;
  const readers = ["vera@acme.test", "rui@acme.test", "ada@acme.test", "maya@acme.test"];
  for (let i = 0, t = start + 7 * 60_000; t <= until.getTime(); i++, t += 40 * 60_000) {
    const rng = rngFor(world.seed, "audit-read", i);
    const at = new Date(t + Math.floor(rng() * 600_000));
    const [method, url, action] = reads[Math.floor(rng() * reads.length)];
    const user = readers[Math.floor(rng() * readers.length)];
    out.push({ at, rec: (n) => makeAuditRecord(world.seed, n, at, world.orgId, user, method, url, action) });
  }
  return out
    .filter((x) => x.at.getTime() <= until.getTime())
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((x, i) => x.rec(i));
}

export interface AuditFilter {
  user?: string; action?: string; ip?: string; method?: string; status?: string; url?: string;
  from_date?: string; to_date?: string;
}

/** The documented filters: exact matches, `url` a case-sensitive substring, dates whole UTC days. */
export function filterAudit(records: AuditRecord[], f: AuditFilter): AuditRecord[] {
  const from = f.from_date ? Date.parse(`${f.from_date}T00:00:00Z`) / 1000 : -Infinity;
  const to = f.to_date ? Date.parse(`${f.to_date}T00:00:00Z`) / 1000 + 86_400 : Infinity;
  return records.filter((r) =>
    (!f.user || r.user === f.user) && (!f.action || r.action === f.action) && (!f.ip || r.ip === f.ip) &&
    (!f.method || r.method === f.method.toUpperCase()) && (!f.status || r.status === Number(f.status)) &&
    (!f.url || r.url.includes(f.url)) && r.timestamp >= from && r.timestamp < to);
}
