import type { PrismaClient } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import type { AuditContext } from "@/lib/audit/context";
import { recordAudit } from "@/lib/audit/record";
import { configuredKeys, loadConnection, saveConnection } from "@/lib/security/connections";

// Outgoing Slack-compatible webhooks (`text` plus mrkdwn `blocks`; Slack, Mattermost and Teams'
// Slack-compatible connectors take it): access requests and decisions, and new incidents. Each
// URL is a secret (Slack's carry their token in the path): stored sealed as a connection of its own
// kind (lib/security/secret-box.ts), or given in the environment; never logged, never sent to a browser.

export type WebhookKind = "webhook" | "incident_webhook";

/** Each webhook's environment variable and audit action prefix. */
const NAMES: Record<WebhookKind, { env: string; audit: string }> = {
  webhook: { env: "ACCESS_WEBHOOK_URL", audit: "access_webhook" },
  incident_webhook: { env: "INCIDENT_WEBHOOK_URL", audit: "incident_webhook" },
};

const TIMEOUT_MS = 5000;

/** Slack's escaping for text: `&`, `<` and `>` are control characters in mrkdwn. */
export const slackEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The configured URL: the stored (sealed) one wins over the environment's. */
export async function webhookUrlOf(db: PrismaClient, kind: WebhookKind, fromEnv: string | undefined): Promise<{ url: string; source: "stored" | "env" } | null> {
  if (configuredKeys()) {
    const stored = await loadConnection(db, kind).catch(() => null);
    if (stored) return { url: stored.secret, source: "stored" };
  }
  return fromEnv ? { url: fromEnv, source: "env" } : null;
}

export interface WebhookStatus {
  configured: boolean;
  source: "stored" | "env" | null;
  host: string | null;
  last4: string | null;
  canStore: boolean;
}

/** What Settings may show of a webhook: where it comes from and the URL's host and last 4 characters. */
export async function webhookStatusOf(db: PrismaClient, kind: WebhookKind, fromEnv: string | undefined): Promise<WebhookStatus> {
  const w = await webhookUrlOf(db, kind, fromEnv);
  return { configured: Boolean(w), source: w?.source ?? null, host: w ? new URL(w.url).host : null, last4: w ? w.url.slice(-4) : null, canStore: Boolean(configuredKeys()) };
}

export async function saveWebhookUrl(db: PrismaClient, kind: WebhookKind, url: string): Promise<void> {
  await saveConnection(db, { kind, baseUrl: new URL(url).origin, settings: {}, secret: url });
}

export async function clearWebhookUrl(db: PrismaClient, kind: WebhookKind): Promise<boolean> {
  return (await db.connection.deleteMany({ where: { kind } })).count > 0;
}

/** Posts the JSON; null when it was accepted, else why not, in words that can never carry the URL. */
export async function postWebhook(url: string, body: unknown): Promise<string | null> {
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: "error",
    });
    await res.body?.cancel();
    return res.ok ? null : `HTTP ${res.status}`;
  } catch (err) {
    if (err instanceof Error && err.name === "TimeoutError") return `no answer within ${TIMEOUT_MS} ms`;
    return "the request failed (connection refused, DNS or TLS)";
  }
}

/** Stores the URL sealed (it is a secret) and audits it (host only); needs TOUCHLINE_ENCRYPTION_KEY. */
export async function setWebhook(db: PrismaClient, kind: WebhookKind, url: string, audit: AuditContext): Promise<void> {
  if (!configuredKeys()) throw new ApiError("conflict", `TOUCHLINE_ENCRYPTION_KEY is not set, so the URL cannot be stored sealed: set ${NAMES[kind].env} in the environment instead`);
  await saveWebhookUrl(db, kind, url);
  await recordAudit(db, { ...audit, action: `${NAMES[kind].audit}.set`, target: { type: "connection", id: kind }, details: { host: new URL(url).host } });
}

export async function unsetWebhook(db: PrismaClient, kind: WebhookKind, audit: AuditContext): Promise<void> {
  if (!(await clearWebhookUrl(db, kind))) throw new ApiError("not_found", "No webhook is stored in the console");
  await recordAudit(db, { ...audit, action: `${NAMES[kind].audit}.clear`, target: { type: "connection", id: kind } });
}
