import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { ApiError } from "@/lib/api/errors";
import { accessConfig } from "@/lib/access/config";
import { auditContextOf } from "@/lib/audit/context";
import { exportResponse } from "@/lib/audit/csv";
import { recordAudit } from "@/lib/audit/record";
import { actorCan } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { ADMIN_KINDS, checkFlag, HYGIENE_EXPORT_COLUMNS, hygieneExport, hygieneQuery } from "@/lib/hygiene/page";

const query = hygieneQuery.pick({ kind: true, flag: true, q: true }).extend({ format: z.enum(["csv", "json"]).default("csv") });

/** Every matching object of one kind with its flags and their reasons (keys in hash order). */
export const GET = apiRoute({ permission: "console:read", query }, async (ctx) => {
  const { format, ...q } = ctx.query;
  if (ADMIN_KINDS.includes(q.kind) && !actorCan(ctx.actor, "settings:read")) throw new ApiError("forbidden", "Console tokens and stored secrets are listed to admins");
  checkFlag(q);
  const response = exportResponse({ format, filename: `touchline-hygiene-${q.kind}-${new Date().toISOString().slice(0, 10)}`, columns: HYGIENE_EXPORT_COLUMNS, pages: hygieneExport(db, accessConfig(), q) });
  await recordAudit(db, { ...auditContextOf(ctx), action: "hygiene.export", details: { format, ...q } });
  return response;
});
