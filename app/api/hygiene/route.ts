import { apiRoute } from "@/lib/api/handler";
import { accessConfig } from "@/lib/access/config";
import { actorCan } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { hygienePage, hygieneQuery } from "@/lib/hygiene/page";

/** One kind's flagged objects (keys, OAuth clients, policies; tokens and secrets for admins) with counts at the top. */
export const GET = apiRoute({ permission: "console:read", query: hygieneQuery }, async (ctx) =>
  hygienePage(db, accessConfig(), ctx.query, { adminKinds: actorCan(ctx.actor, "settings:read") }));
