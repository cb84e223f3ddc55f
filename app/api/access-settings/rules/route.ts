import { apiRoute } from "@/lib/api/handler";
import { ruleBody } from "@/lib/access/requests/schema";
import { createRule } from "@/lib/access/settings";
import { whoOfRoute } from "@/lib/access/who";
import { db } from "@/lib/db";

/** Adds a rule: which requests it covers, who may approve them, whether they approve themselves. */
export const POST = apiRoute({ permission: "settings:write", body: ruleBody }, async (ctx) => Response.json({ rule: await createRule(db, ctx.body, whoOfRoute(ctx)) }, { status: 201 }));
