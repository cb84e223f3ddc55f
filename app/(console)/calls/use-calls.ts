"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { fetchJson } from "@/components/ui/fetch-json";
import { toQuery, type Filters } from "@/components/filters/filter-url";

export interface CallJson {
  id: string;
  ts: string;
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  endpoint: { id: string; method: string; path: string } | null;
  key: { alias: string | null; masked: string } | null;
  identity: { id: string; name: string; email: string | null } | null;
  traceId: string | null;
}

/** Ingested gateway calls matching the filters, newest first, keyset-paged on (ts, id). */
export function useCalls(filters: Filters) {
  return useInfiniteQuery({
    queryKey: ["calls", filters],
    queryFn: ({ pageParam, signal }) =>
      fetchJson<{ calls: CallJson[]; nextCursor: string | null }>(`/api/calls${toQuery(filters, pageParam ? { cursor: pageParam, limit: "100" } : { limit: "100" })}`, { signal }),
    initialPageParam: "",
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}
