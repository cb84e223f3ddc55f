import { apiRoute } from "@/lib/api/handler";
import { auditContextOf } from "@/lib/audit/context";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { updateIncident } from "@/lib/incidents/manage";
import { slugParams, updateIncidentBody } from "@/lib/incidents/schema";
import { openIncident, readIncident, requireOpen } from "@/lib/incidents/service";
import { viewerOf } from "@/lib/incidents/viewer";

/** The frozen incident. 404 unknown link, 410 revoked link, 403 responders-only for a viewer. Audited as incident.view. */
export const GET = apiRoute({ permission: "incidents:read", params: slugParams }, async (ctx) =>
  requireOpen(await openIncident(db, ctx.params.slug, viewerOf(ctx.actor), auditContextOf(ctx), env().NEXTAUTH_URL)));

/** Status, severity, title or owner; answers with the incident's new state. */
export const PATCH = apiRoute({ permission: "incidents:write", params: slugParams, body: updateIncidentBody }, async (ctx) => {
  const viewer = viewerOf(ctx.actor);
  await updateIncident(db, ctx.params.slug, ctx.body, viewer, auditContextOf(ctx));
  return requireOpen(await readIncident(db, ctx.params.slug, viewer, env().NEXTAUTH_URL));
});
