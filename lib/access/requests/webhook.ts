import type { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { configuredKeys, loadConnection, saveConnection } from "@/lib/security/connections";
import { addEvent } from "../timeline";

// The optional outgoing webhook: Slack-compatible JSON (`text` plus mrkdwn `blocks`; Slack, Mattermost
// and Teams' Slack-compatible connectors take it) announcing access requests and decisions. The URL
// is a secret (Slack's carry their token in the path): stored sealed like other connection secrets
// (lib/security/secret-box.ts), or given as ACCESS_WEBHOOK_URL; never logged, never sent to a browser.

export type WebhookEvent = "requested" | "auto_approved" | "approved" | "denied";

export interface WebhookRequest {
  id: string;
  requesterEmail: string;
  targetLabel: string;
  durationMinutes: number;
  reason: string;
  decidedBy?: string | null;
  decisionNote?: string | null;
}

const TIMEOUT_MS = 5000;

const HEADLINE: Record<WebhookEvent, (r: WebhookRequest) => string> = {
  requested: (r) => `*${r.requesterEmail}* requests temporary access to *${r.targetLabel}* for ${r.durationMinutes} min`,
  auto_approved: (r) => `*${r.requesterEmail}* was granted *${r.targetLabel}* for ${r.durationMinutes} min (auto-approved: ${r.decidedBy ?? "rule"})`,
  approved: (r) => `*${r.decidedBy ?? "An approver"}* approved *${r.requesterEmail}*'s access to *${r.targetLabel}* for ${r.durationMinutes} min`,
  denied: (r) => `*${r.decidedBy ?? "An approver"}* denied *${r.requesterEmail}*'s access to *${r.targetLabel}*`,
};

/** Slack's escaping for text: `&`, `<` and `>` are control characters in mrkdwn. */
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function slackMessage(event: WebhookEvent, r: WebhookRequest, consoleUrl: string): { text: string; blocks: unknown[] } {
  const safe = { ...r, requesterEmail: esc(r.requesterEmail), targetLabel: esc(r.targetLabel), decidedBy: r.decidedBy ? esc(r.decidedBy) : r.decidedBy };
  const text = HEADLINE[event](safe);
  const link = `${consoleUrl.replace(/\/$/, "")}/access-requests/${encodeURIComponent(r.id)}`;
  const context = [`Reason: ${esc(r.reason)}`, ...(r.decisionNote ? [`Note: ${esc(r.decisionNote)}`] : []), `<${link}|${event === "requested" ? "Review in Touchline" : "Open in Touchline"}>`];
  return {
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text } },
      { type: "context", elements: context.map((t) => ({ type: "mrkdwn", text: t })) },
    ],
  };
}

/** The configured URL: the stored (sealed) one wins over ACCESS_WEBHOOK_URL. */
export async function webhookUrl(db: PrismaClient): Promise<{ url: string; source: "stored" | "env" } | null> {
  if (configuredKeys()) {
    const stored = await loadConnection(db, "webhook").catch(() => null);
    if (stored) return { url: stored.secret, source: "stored" };
  }
  const fromEnv = env().ACCESS_WEBHOOK_URL;
  return fromEnv ? { url: fromEnv, source: "env" } : null;
}

/** What Settings may show of the webhook: where it comes from and the URL's host and last 4 characters. */
export async function webhookStatus(db: PrismaClient): Promise<{ configured: boolean; source: "stored" | "env" | null; host: string | null; last4: string | null; canStore: boolean }> {
  const w = await webhookUrl(db);
  return { configured: Boolean(w), source: w?.source ?? null, host: w ? new URL(w.url).host : null, last4: w ? w.url.slice(-4) : null, canStore: Boolean(configuredKeys()) };
}

export async function saveWebhook(db: PrismaClient, url: string): Promise<void> {
  await saveConnection(db, { kind: "webhook", baseUrl: new URL(url).origin, settings: {}, secret: url });
}

export async function clearWebhook(db: PrismaClient): Promise<boolean> {
  return (await db.connection.deleteMany({ where: { kind: "webhook" } })).count > 0;
}

/**
 * Posts the message; never throws and never holds up the caller (call without awaiting). A failure
 * is logged without the URL and added to the request's timeline.
 */
export async function notify(db: PrismaClient, event: WebhookEvent, r: WebhookRequest): Promise<void> {
  try {
    const target = await webhookUrl(db);
    if (!target) return;
    const res = await fetch(target.url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(slackMessage(event, r, env().NEXTAUTH_URL)),
      signal: AbortSignal.timeout(TIMEOUT_MS),
      redirect: "error",
    });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    await res.body?.cancel();
  } catch (err) {
    const reason = failure(err);
    log.warn({ requestId: r.id, event, reason }, "access webhook failed");
    await addEvent(db, "access_request", r.id, "webhook_failed", null, { event, reason }).catch(() => {});
  }
}

/** Why a post failed, in words that can never carry the URL. */
function failure(err: unknown): string {
  if (err instanceof Error && err.name === "TimeoutError") return `no answer within ${TIMEOUT_MS} ms`;
  const message = err instanceof Error ? err.message : String(err);
  return /^HTTP \d{3}$/.test(message) ? message : "the request failed (connection refused, DNS or TLS)";
}
