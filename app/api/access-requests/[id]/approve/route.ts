import { apiRoute } from "@/lib/api/handler";
import { decideRequest } from "@/lib/access/requests/decide";
import { personOf } from "@/lib/access/requests/people";
import { decideBody, requestIdParams } from "@/lib/access/requests/schema";
import { requestDetail } from "@/lib/access/requests/view";
import { whoOfRoute } from "@/lib/access/who";
import { db } from "@/lib/db";

// Approvers: admins, or the IdP groups an access rule names for this request; never the requester.
export const POST = apiRoute({ permission: "access:request", params: requestIdParams, body: decideBody }, async (ctx) => {
  const person = await personOf(db, ctx.actor);
  return requestDetail(db, await decideRequest(db, ctx.params.id, "approve", ctx.body.note, person, whoOfRoute(ctx)), person);
});
