import { apiRoute } from "@/lib/api/handler";
import { auditContextOf } from "@/lib/audit/context";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { incidentUrl } from "@/lib/incidents/json";
import { reshareLink } from "@/lib/incidents/manage";
import { slugParams } from "@/lib/incidents/schema";
import { viewerOf } from "@/lib/incidents/viewer";

/** Owner or admin: a new link for the incident (works on a revoked link too); the old link stays 410. */
export const POST = apiRoute({ permission: "incidents:write", params: slugParams }, async (ctx) => {
  const { slug } = await reshareLink(db, ctx.params.slug, viewerOf(ctx.actor), auditContextOf(ctx));
  return { slug, url: incidentUrl(env().NEXTAUTH_URL, slug) };
});
