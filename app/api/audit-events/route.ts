import { apiRoute } from "@/lib/api/handler";
import { auditPageSchema, listAuditEvents } from "@/lib/audit/query";
import { db } from "@/lib/db";

// Filters: actor (email substring, token id, "system"/"token"), action (exact or "prefix."), target ("type[:id]"), from/to (ISO).
export const GET = apiRoute({ permission: "audit:read", query: auditPageSchema }, async ({ query }) => listAuditEvents(db, query));
