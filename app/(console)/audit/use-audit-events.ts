"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { fetchJson } from "@/components/ui/fetch-json";
import { toQuery, type Filters } from "@/components/filters/filter-url";

export interface AuditEventJson {
  id: string;
  at: string;
  actorType: string;
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  requestId: string | null;
  details: unknown;
}

/** Audit events matching the filters, newest first, one keyset page at a time. */
export function useAuditEvents(filters: Filters) {
  return useInfiniteQuery({
    queryKey: ["audit-events", filters],
    queryFn: ({ pageParam, signal }) =>
      fetchJson<{ events: AuditEventJson[]; nextCursor: string | null }>(`/api/audit-events${toQuery(filters, pageParam ? { cursor: pageParam, limit: "100" } : { limit: "100" })}`, { signal }),
    initialPageParam: "",
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
