import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { auditContextOf } from "@/lib/audit/context";
import { exportResponse } from "@/lib/audit/csv";
import { AUDIT_EXPORT_COLUMNS, auditEventPages, auditFilterSchema } from "@/lib/audit/query";
import { recordAudit } from "@/lib/audit/record";
import { db } from "@/lib/db";

const query = auditFilterSchema.extend({ format: z.enum(["csv", "json"]).default("csv") });

export const GET = apiRoute({ permission: "audit:read", query }, async (ctx) => {
  const { format, ...filter } = ctx.query;
  const response = exportResponse({ format, filename: `touchline-audit-${new Date().toISOString().slice(0, 10)}`, columns: AUDIT_EXPORT_COLUMNS, pages: auditEventPages(db, filter) });
  await recordAudit(db, { ...auditContextOf(ctx), action: "audit.export", details: { format, filter: JSON.parse(JSON.stringify(filter)) } });
  return response;
});
