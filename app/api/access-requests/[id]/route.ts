import { apiRoute } from "@/lib/api/handler";
import { visibleRequest } from "@/lib/access/requests/decide";
import { personOf } from "@/lib/access/requests/people";
import { requestIdParams } from "@/lib/access/requests/schema";
import { requestDetail } from "@/lib/access/requests/view";
import { db } from "@/lib/db";

/** One request and its timeline (requested, decided, issued, first used, expired or revoked, checked gone). */
export const GET = apiRoute({ permission: "access:request", params: requestIdParams }, async (ctx) => {
  const person = await personOf(db, ctx.actor);
  return requestDetail(db, await visibleRequest(db, ctx.params.id, person), person);
});
