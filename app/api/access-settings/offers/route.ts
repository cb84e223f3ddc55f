import { apiRoute } from "@/lib/api/handler";
import { offerBody } from "@/lib/access/requests/schema";
import { saveOffer } from "@/lib/access/settings";
import { whoOfRoute } from "@/lib/access/who";
import { db } from "@/lib/db";

/** Offers a policy for temporary access (or changes its maximum duration). */
export const POST = apiRoute({ permission: "settings:write", body: offerBody }, async (ctx) => ({ offer: await saveOffer(db, ctx.body, whoOfRoute(ctx)) }));
