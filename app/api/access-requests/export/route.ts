import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { REQUEST_EXPORT_COLUMNS, requestEventPages } from "@/lib/access/requests/view";
import { auditContextOf } from "@/lib/audit/context";
import { exportResponse } from "@/lib/audit/csv";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db";
import { filterDate } from "@/lib/api/filter-date";

const query = z
  .object({ format: z.enum(["csv", "json"]).default("csv"), from: filterDate.optional(), to: filterDate.optional() })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: "must be after from", path: ["to"] });

/** Every access request's timeline, one row per event (the SOC 2 evidence of who asked, who decided, when the key lived). */
export const GET = apiRoute({ permission: "audit:read", query }, async (ctx) => {
  const { format, from, to } = ctx.query;
  const response = exportResponse({ format, filename: `touchline-access-requests-${new Date().toISOString().slice(0, 10)}`, columns: REQUEST_EXPORT_COLUMNS, pages: requestEventPages(db, { from, to }) });
  await recordAudit(db, { ...auditContextOf(ctx), action: "access_request.export", details: { format, from: from?.toISOString() ?? null, to: to?.toISOString() ?? null } });
  return response;
});
