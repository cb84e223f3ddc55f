import type { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { configuredKeys } from "@/lib/security/connections";
import { keyId, sealedWith } from "@/lib/security/secret-box";
import { oauthFlags, policyFlags, secretFlags, tokenFlags, type Flag, type RuleContext } from "./flags";

// OAuth clients, policies, console API tokens and stored secrets: tens to a few thousand rows each,
// so they are flagged in memory (lib/hygiene/flags.ts) after one query per kind.

export interface HygieneItem {
  id: string;
  label: string;
  /** Where the object lives in the console. */
  href: string;
  owner: string | null;
  /** The age the rules judge: a secret's, a token's, a policy's last change. */
  since: Date | null;
  lastUsedAt: Date | null;
  requests: number | null;
  /** Kind-specific facts for the table and the export. */
  facts: Record<string, string | number | null>;
  flags: Flag[];
}

const str = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : null);

/** An OAuth client's owner from what the Dashboard keeps: meta_data owner/email/user_email/user_id. */
export function oauthOwner(snapshot: unknown): string | null {
  const meta = ((snapshot as { meta_data?: Record<string, unknown> } | null)?.meta_data ?? {}) as Record<string, unknown>;
  return str(meta.owner) ?? str(meta.email) ?? str(meta.user_email) ?? str(meta.user_id);
}

export async function oauthItems(db: PrismaClient, c: RuleContext): Promise<HygieneItem[]> {
  const [clients, usage, rotations, apis] = await Promise.all([
    db.oAuthClient.findMany({ where: { deletedAt: null }, orderBy: { name: "asc" } }),
    db.usageSummary.findMany({ where: { kind: "oauth_client" } }),
    db.rotation.groupBy({ by: ["clientId"], where: { kind: "oauth_client", state: "completed" }, _max: { finishedAt: true } }),
    db.api.findMany({ select: { id: true, name: true } }),
  ]);
  const used = new Map(usage.map((u) => [u.subjectId, u]));
  const rotated = new Map(rotations.map((r) => [r.clientId, r._max.finishedAt]));
  const apiNames = new Map(apis.map((a) => [a.id, a.name]));
  return clients.map((o) => {
    const u = used.get(o.id);
    const last = rotated.get(o.id) ?? null;
    const owner = oauthOwner(o.snapshot);
    return {
      id: o.id, label: o.name ?? o.id, href: `/hygiene?kind=oauth&q=${encodeURIComponent(o.id)}`, owner, since: last ?? o.firstSeenAt,
      lastUsedAt: u?.lastUsedAt ?? null, requests: u ? Number(u.requests) : 0,
      facts: { api: o.apiId ? (apiNames.get(o.apiId) ?? o.apiId) : null, apiId: o.apiId, policyId: o.policyId, secretRotatedAt: last?.toISOString() ?? null },
      flags: oauthFlags({ secretSince: last ?? o.firstSeenAt, secretRotated: Boolean(last), createdAt: o.firstSeenAt, lastUsedAt: u?.lastUsedAt ?? null, owner }, c),
    };
  });
}

export async function policyItems(db: PrismaClient, c: RuleContext, apiName: (id: string) => string): Promise<HygieneItem[]> {
  const [policies, stats, changes] = await Promise.all([
    db.policy.findMany({ where: { deletedAt: null }, orderBy: { name: "asc" } }),
    // Per policy: its live keys, those of them with traffic in the window, and the APIs they called —
    // three plain aggregates (a DISTINCT over every key × API was most of the tab's time at 100,000 keys).
    db.$queryRaw<{ pid: string; keys: bigint; used_keys: bigint | null; called: string[] | null }[]>`
      WITH kp AS (SELECT key_hash, unnest(policy_ids) AS pid FROM keys WHERE deleted_at IS NULL),
           used AS (SELECT kp.pid, kp.key_hash, u.api_ids FROM kp JOIN usage_summaries u ON u.kind = 'key' AND u.subject_id = kp.key_hash),
           n AS (SELECT pid, count(*) AS keys FROM kp GROUP BY pid),
           un AS (SELECT pid, count(*) AS used_keys FROM used GROUP BY pid),
           called AS (SELECT pid, array_agg(DISTINCT a) AS called FROM used, unnest(api_ids) AS a GROUP BY pid)
      SELECT n.pid, n.keys, un.used_keys, called.called FROM n LEFT JOIN un USING (pid) LEFT JOIN called USING (pid)`,
    db.accessChange.groupBy({ by: ["targetId"], where: { kind: "policy" }, _max: { changedAt: true } }),
  ]);
  const byPolicy = new Map(stats.map((s) => [s.pid, s]));
  const changed = new Map(changes.map((x) => [x.targetId, x._max.changedAt]));
  return policies.map((p) => {
    const s = byPolicy.get(p.id);
    const lastChange = [p.lastUpdated, changed.get(p.id) ?? null].filter((d): d is Date => d !== null).sort((a, b) => b.getTime() - a.getTime())[0] ?? p.firstSeenAt;
    const keys = s ? Number(s.keys) : 0;
    return {
      id: p.id, label: p.name, href: `/policies/${encodeURIComponent(p.id)}`, owner: null, since: lastChange, lastUsedAt: null, requests: null,
      facts: { keys, usedKeys: Number(s?.used_keys ?? 0), apis: p.apiIds.map(apiName).join(", ") },
      flags: policyFlags({ keys, usedKeys: Number(s?.used_keys ?? 0), apiIds: p.apiIds, calledApiIds: s?.called ?? [], createdAt: p.firstSeenAt }, c, apiName),
    };
  });
}

export async function tokenItems(db: PrismaClient, c: RuleContext): Promise<HygieneItem[]> {
  const tokens = await db.apiToken.findMany({ where: { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: c.now } }] }, orderBy: { createdAt: "asc" } });
  return tokens.map((t) => ({
    id: t.id, label: t.name, href: "/settings/tokens", owner: t.createdBy, since: t.createdAt, lastUsedAt: t.lastUsedAt, requests: null,
    facts: { prefix: `${t.prefix}…`, scopes: t.scopes.join(" "), expiresAt: t.expiresAt?.toISOString() ?? null },
    flags: tokenFlags(t, c),
  }));
}

/**
 * Secrets Touchline holds: connections stored in the console (sealed at rest; their age is known)
 * and those given in the environment (age unknown to Touchline, listed without flags).
 */
export async function secretItems(db: PrismaClient, c: RuleContext): Promise<HygieneItem[]> {
  const keys = configuredKeys();
  const rows = await db.connection.findMany({ orderBy: { kind: "asc" } });
  const stored: HygieneItem[] = rows.map((r) => ({
    id: r.kind, label: `${r.kind} connection secret`, href: "/settings", owner: null, since: r.updatedAt, lastUsedAt: null, requests: null,
    facts: { source: "stored (sealed)", host: safeHost(r.baseUrl), last4: r.secretLast4 ? `…${r.secretLast4}` : null },
    flags: secretFlags({ changedAt: r.updatedAt, resealPending: Boolean(keys) && sealedWith(r.secretSealed) !== keyId(keys!.current) }, c),
  }));
  const e = env();
  const fromEnv = [
    ["TYK_DASHBOARD_API_KEY", e.TYK_DASHBOARD_API_KEY, "tyk"],
    ["LIGHTSTEP_API_KEY", e.LIGHTSTEP_API_KEY, "lightstep"],
    ["ACCESS_WEBHOOK_URL", e.ACCESS_WEBHOOK_URL, "webhook"],
  ] as const;
  const envItems: HygieneItem[] = fromEnv
    .filter(([, value, kind]) => value && !rows.some((r) => r.kind === kind))
    .map(([name]) => ({
      id: `env:${name}`, label: name, href: "/settings", owner: null, since: null, lastUsedAt: null, requests: null,
      facts: { source: "environment (age unknown to Touchline)", host: null, last4: null }, flags: [],
    }));
  return [...stored, ...envItems];
}

function safeHost(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}
