import { apiRoute } from "@/lib/api/handler";
import { coveragePage, coverageQuery } from "@/lib/coverage/page";
import { db } from "@/lib/db";

/** Trace-id, trace-held, identity coverage per API and endpoint over the last `days` UTC days, the daily trend and each gap's likely cause. */
export const GET = apiRoute({ permission: "console:read", query: coverageQuery }, async (ctx) => coveragePage(db, ctx.query));
