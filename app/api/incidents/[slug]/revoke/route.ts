import { apiRoute } from "@/lib/api/handler";
import { auditContextOf } from "@/lib/audit/context";
import { db } from "@/lib/db";
import { revokeLink } from "@/lib/incidents/manage";
import { slugParams } from "@/lib/incidents/schema";
import { viewerOf } from "@/lib/incidents/viewer";

/** Owner or admin: the link answers 410 from now on. */
export const POST = apiRoute({ permission: "incidents:write", params: slugParams }, async (ctx) => {
  await revokeLink(db, ctx.params.slug, viewerOf(ctx.actor), auditContextOf(ctx));
  return { revoked: true };
});
