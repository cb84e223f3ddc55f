import { apiRoute } from "@/lib/api/handler";
import { auditContextOf } from "@/lib/audit/context";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { addNote } from "@/lib/incidents/manage";
import { noteBody, slugParams } from "@/lib/incidents/schema";
import { readIncident, requireOpen } from "@/lib/incidents/service";
import { viewerOf } from "@/lib/incidents/viewer";

export const POST = apiRoute({ permission: "incidents:write", params: slugParams, body: noteBody }, async (ctx) => {
  const viewer = viewerOf(ctx.actor);
  await addNote(db, ctx.params.slug, ctx.body.body, viewer, auditContextOf(ctx));
  return Response.json(requireOpen(await readIncident(db, ctx.params.slug, viewer, env().NEXTAUTH_URL)), { status: 201 });
});
