import { apiRoute } from "@/lib/api/handler";
import { withdrawRequest } from "@/lib/access/requests/decide";
import { personOf } from "@/lib/access/requests/people";
import { requestIdParams } from "@/lib/access/requests/schema";
import { requestDetail } from "@/lib/access/requests/view";
import { whoOfRoute } from "@/lib/access/who";
import { db } from "@/lib/db";
import { tykClientFor } from "@/lib/sync/connectors";

/** Cancels a pending or approved request (its requester), or revokes an issued key now (its requester or an admin). */
export const POST = apiRoute({ permission: "access:request", params: requestIdParams }, async (ctx) => {
  const person = await personOf(db, ctx.actor);
  return requestDetail(db, await withdrawRequest(db, await tykClientFor(db), ctx.params.id, person, whoOfRoute(ctx)), person);
});
