import type { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { postWebhook, saveWebhookUrl, slackEscape as esc, webhookStatusOf, webhookUrlOf } from "@/lib/webhooks/slack-webhook";
import { addEvent } from "../timeline";

// The optional outgoing webhook announcing access requests and decisions (lib/webhooks/slack-webhook.ts
// stores and posts it): stored sealed in Settings › Access, or given as ACCESS_WEBHOOK_URL.

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

const HEADLINE: Record<WebhookEvent, (r: WebhookRequest) => string> = {
  requested: (r) => `*${r.requesterEmail}* requests temporary access to *${r.targetLabel}* for ${r.durationMinutes} min`,
  auto_approved: (r) => `*${r.requesterEmail}* was granted *${r.targetLabel}* for ${r.durationMinutes} min (auto-approved: ${r.decidedBy ?? "rule"})`,
  approved: (r) => `*${r.decidedBy ?? "An approver"}* approved *${r.requesterEmail}*'s access to *${r.targetLabel}* for ${r.durationMinutes} min`,
  denied: (r) => `*${r.decidedBy ?? "An approver"}* denied *${r.requesterEmail}*'s access to *${r.targetLabel}*`,
};

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
export const webhookUrl = (db: PrismaClient) => webhookUrlOf(db, "webhook", env().ACCESS_WEBHOOK_URL);
export const webhookStatus = (db: PrismaClient) => webhookStatusOf(db, "webhook", env().ACCESS_WEBHOOK_URL);
export const saveWebhook = (db: PrismaClient, url: string) => saveWebhookUrl(db, "webhook", url);

/**
 * Posts the message; never throws and never holds up the caller (call without awaiting). A failure
 * is logged without the URL and added to the request's timeline.
 */
export async function notify(db: PrismaClient, event: WebhookEvent, r: WebhookRequest): Promise<void> {
  try {
    const target = await webhookUrl(db);
    if (!target) return;
    const reason = await postWebhook(target.url, slackMessage(event, r, env().NEXTAUTH_URL));
    if (reason === null) return;
    log.warn({ requestId: r.id, event, reason }, "access webhook failed");
    await addEvent(db, "access_request", r.id, "webhook_failed", null, { event, reason });
  } catch (err) {
    log.warn({ requestId: r.id, event, err: err instanceof Error ? err.message : String(err) }, "access webhook failed");
  }
}
