import { apiRoute } from "@/lib/api/handler";
import { anomaliesPage, anomaliesQuery } from "@/lib/anomalies/page";
import { db } from "@/lib/db";

/** Anomalies by user type over the last `days`, ranked by impact (optionally one metric, one kind of type, one endpoint). */
export const GET = apiRoute({ permission: "console:read", query: anomaliesQuery }, async (ctx) => anomaliesPage(db, ctx.query));
