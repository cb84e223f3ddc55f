import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { auditContextOf } from "@/lib/audit/context";
import { exportResponse } from "@/lib/audit/csv";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db";
import { CALL_EXPORT_COLUMNS, callFilterSchema, callPages } from "@/lib/queries/calls";

const query = callFilterSchema.extend({ format: z.enum(["csv", "json"]).default("csv") });

// Evidence leaves the building here, so the export itself is audited with its filter.
export const GET = apiRoute({ permission: "calls:read", query }, async (ctx) => {
  const { format, ...filter } = ctx.query;
  await recordAudit(db, { ...auditContextOf(ctx), action: "calls.export", details: { format, filter: JSON.parse(JSON.stringify(filter)) } });
  return exportResponse({ format, filename: `touchline-calls-${new Date().toISOString().slice(0, 10)}`, columns: CALL_EXPORT_COLUMNS, pages: callPages(db, filter) });
});
