import { apiRoute } from "@/lib/api/handler";
import { accessConfig } from "@/lib/access/config";
import { issueKey } from "@/lib/access/requests/issue";
import { personOf } from "@/lib/access/requests/people";
import { requestIdParams } from "@/lib/access/requests/schema";
import { requestView } from "@/lib/access/requests/view";
import { tykClientOrFail } from "@/lib/access/tyk-client";
import { whoOfRoute } from "@/lib/access/who";
import { db } from "@/lib/db";

// The requester collects the key of an approved request: it is made now, and this answer is the only place it appears.
export const POST = apiRoute({ permission: "access:request", params: requestIdParams }, async (ctx) => {
  const person = await personOf(db, ctx.actor);
  const { request, rawKey } = await issueKey(db, await tykClientOrFail(db), accessConfig(), ctx.params.id, person, whoOfRoute(ctx));
  return Response.json({ request: requestView(request, person, false), key: rawKey }, { headers: { "cache-control": "no-store" } });
});
