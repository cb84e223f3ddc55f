import { apiRoute } from "@/lib/api/handler";
import { accessConfig } from "@/lib/access/config";
import { createRequest } from "@/lib/access/requests/create";
import { personOf } from "@/lib/access/requests/people";
import { createRequestBody, requestListQuery } from "@/lib/access/requests/schema";
import { listRequests, requestView } from "@/lib/access/requests/view";
import { whoOfRoute } from "@/lib/access/who";
import { db } from "@/lib/db";
import { tykClientFor } from "@/lib/sync/connectors";

/** Requests the caller may see: their own, the ones they may decide, or all visible to them. */
export const GET = apiRoute({ permission: "access:request", query: requestListQuery }, async (ctx) => ({
  requests: await listRequests(db, await personOf(db, ctx.actor), ctx.query.scope, ctx.query.status),
}));

// A rule that auto-approves the request makes the key at once: then it is in this answer, once.
export const POST = apiRoute({ permission: "access:request", body: createRequestBody }, async (ctx) => {
  const person = await personOf(db, ctx.actor);
  const { request, rawKey } = await createRequest(db, await tykClientFor(db), accessConfig(), ctx.body, person, whoOfRoute(ctx));
  return Response.json({ request: requestView(request, person, false), key: rawKey }, { status: 201, headers: { "cache-control": "no-store" } });
});
