import { apiRoute } from "@/lib/api/handler";
import { webhookBody } from "@/lib/access/requests/schema";
import { setWebhook, unsetWebhook } from "@/lib/access/settings";
import { whoOfRoute } from "@/lib/access/who";
import { db } from "@/lib/db";

/** Stores the webhook URL sealed (it carries a token); answers with its state, never the URL. */
export const PUT = apiRoute({ permission: "settings:write", body: webhookBody }, async (ctx) => ({ webhook: await setWebhook(db, ctx.body.url, whoOfRoute(ctx)) }));

export const DELETE = apiRoute({ permission: "settings:write" }, async (ctx) => ({ webhook: await unsetWebhook(db, whoOfRoute(ctx)) }));
