import { apiRoute } from "@/lib/api/handler";
import { webhookBody } from "@/lib/access/requests/schema";
import { auditContextOf } from "@/lib/audit/context";
import { db } from "@/lib/db";
import { incidentWebhookStatus } from "@/lib/incidents/webhook";
import { setWebhook, unsetWebhook } from "@/lib/webhooks/slack-webhook";

// The webhook announcing new incidents: stored sealed (it carries a token); answers with its state, never the URL.
export const GET = apiRoute({ permission: "settings:read" }, async () => ({ webhook: await incidentWebhookStatus(db) }));

export const PUT = apiRoute({ permission: "settings:write", body: webhookBody }, async (ctx) => {
  await setWebhook(db, "incident_webhook", ctx.body.url, auditContextOf(ctx));
  return { webhook: await incidentWebhookStatus(db) };
});

export const DELETE = apiRoute({ permission: "settings:write" }, async (ctx) => {
  await unsetWebhook(db, "incident_webhook", auditContextOf(ctx));
  return { webhook: await incidentWebhookStatus(db) };
});
