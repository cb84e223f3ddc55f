import type { TykClient } from "./client";
import { TykNotFoundError, TykUpstreamError, TykAuthError } from "./errors";
import { collectPages } from "./paginate";
import { auditLogsSchema, auditRecordTime, type TykAuditRecord } from "./schema";

export interface AuditLogFilter {
  user?: string;
  method?: string;
  /** Substring match on the request path, case-sensitive (Tyk's semantics). */
  url?: string;
  /** Exact bounds, applied on our side; Tyk's from_date/to_date only take whole days. */
  from?: Date;
  to?: Date;
  signal?: AbortSignal;
}

export type AuditLogResult =
  | { supported: true; records: TykAuditRecord[] }
  | { supported: false; reason: "not_found" | "disabled" | "forbidden"; message: string };

const day = (d: Date) => d.toISOString().slice(0, 10);

/**
 * `GET /api/audit-logs` (Dashboard 5.7+), every page, filtered. An install without it (older
 * Dashboard: 404; audit storage off: 400 "could not retrieve audit records"; a user without the
 * audit permission: 403) yields `{supported: false}` instead of throwing, so a sync can fall back
 * to first-seen times.
 */
export async function listAuditLogs(client: TykClient, filter: AuditLogFilter = {}): Promise<AuditLogResult> {
  // Whole days, widened by one each side because the Dashboard's day boundary is in its own time zone.
  const fromDate = filter.from ? day(new Date(filter.from.getTime() - 86_400_000)) : undefined;
  const toDate = filter.to ? day(new Date(filter.to.getTime() + 86_400_000)) : undefined;
  let records: TykAuditRecord[];
  try {
    records = await collectPages(
      async (p) => {
        const res = await client.request({
          path: "/api/audit-logs",
          query: { p, user: filter.user, method: filter.method, url: filter.url, from_date: fromDate, to_date: toDate },
          schema: auditLogsSchema,
          signal: filter.signal,
        });
        return { items: res.audit_logs, pages: res.pages };
      },
      { idOf: (r) => r._id, signal: filter.signal },
    );
  } catch (err) {
    if (err instanceof TykNotFoundError) return { supported: false, reason: "not_found", message: err.message };
    if (err instanceof TykAuthError && err.status === 403) return { supported: false, reason: "forbidden", message: err.message };
    if (err instanceof TykUpstreamError && err.status === 400) return { supported: false, reason: "disabled", message: err.message };
    throw err;
  }
  const lo = filter.from?.getTime() ?? -Infinity;
  const hi = filter.to?.getTime() ?? Infinity;
  return {
    supported: true,
    records: records
      .filter((r) => {
        const t = auditRecordTime(r).getTime();
        return t >= lo && t <= hi;
      })
      .sort((a, b) => auditRecordTime(a).getTime() - auditRecordTime(b).getTime()),
  };
}
