import { apiRoute } from "@/lib/api/handler";
import { auditContextOf } from "@/lib/audit/context";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { incidentUrl } from "@/lib/incidents/json";
import { createIncidentBody, listIncidentsQuery } from "@/lib/incidents/schema";
import { createIncident, listIncidents } from "@/lib/incidents/service";
import { viewerOf } from "@/lib/incidents/viewer";

export const GET = apiRoute({ permission: "incidents:read", query: listIncidentsQuery }, async ({ actor, query }) => ({
  incidents: await listIncidents(db, query, viewerOf(actor)),
}));

/** Freezes the endpoint's investigation for the window into a new incident. */
export const POST = apiRoute({ permission: "incidents:write", body: createIncidentBody }, async (ctx) => {
  const created = await createIncident(db, ctx.body, viewerOf(ctx.actor), auditContextOf(ctx));
  return Response.json({ slug: created.slug, url: incidentUrl(env().NEXTAUTH_URL, created.slug) }, { status: 201 });
});
