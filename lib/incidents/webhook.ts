import type { PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { postWebhook, saveWebhookUrl, slackEscape as esc, webhookStatusOf, webhookUrlOf } from "@/lib/webhooks/slack-webhook";
import { incidentUrl } from "./json";

// The optional webhook announcing new incidents (Slack-compatible JSON, lib/webhooks/slack-webhook.ts):
// stored sealed in Settings › Incidents, or given as INCIDENT_WEBHOOK_URL.

export interface CreatedIncident {
  id: string;
  slug: string;
  title: string;
  severity: string;
  visibility: string;
  endpointLabel: string;
  summary: string;
  createdBy: string;
}

export const incidentWebhookUrl = (db: PrismaClient) => webhookUrlOf(db, "incident_webhook", env().INCIDENT_WEBHOOK_URL);
export const incidentWebhookStatus = (db: PrismaClient) => webhookStatusOf(db, "incident_webhook", env().INCIDENT_WEBHOOK_URL);
export const saveIncidentWebhook = (db: PrismaClient, url: string) => saveWebhookUrl(db, "incident_webhook", url);

/**
 * The message for a new incident. A responders-only incident is announced without its title and
 * verdict: the channel may hold people its link would not open for.
 */
export function incidentCreatedMessage(i: CreatedIncident, consoleUrl: string): { text: string; blocks: unknown[] } {
  const link = incidentUrl(consoleUrl, i.slug);
  const open = i.visibility === "all";
  const text = open
    ? `*[${esc(i.severity.toUpperCase())}] ${esc(i.title)}* — new incident on *${esc(i.endpointLabel)}*, opened by ${esc(i.createdBy)}`
    : `*[${esc(i.severity.toUpperCase())}]* new responders-only incident on *${esc(i.endpointLabel)}*, opened by ${esc(i.createdBy)}`;
  const context = [...(open ? [`Verdict: ${esc(i.summary)}`] : []), `<${link}|Open in Touchline> (SSO)`];
  return {
    text,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text } },
      { type: "context", elements: context.map((t) => ({ type: "mrkdwn", text: t })) },
    ],
  };
}

/** Posts the announcement; never throws (call without awaiting). A failure goes on the incident's timeline. */
export async function notifyIncidentCreated(db: PrismaClient, i: CreatedIncident): Promise<void> {
  try {
    const target = await incidentWebhookUrl(db);
    if (!target) return;
    const reason = await postWebhook(target.url, incidentCreatedMessage(i, env().NEXTAUTH_URL));
    if (reason === null) return;
    log.warn({ incidentId: i.id, reason }, "incident webhook failed");
    await db.incidentEvent.create({ data: { incidentId: i.id, actor: "system", type: "webhook_failed", details: { reason } } });
  } catch (err) {
    log.warn({ incidentId: i.id, err: err instanceof Error ? err.message : String(err) }, "incident webhook failed");
  }
}
