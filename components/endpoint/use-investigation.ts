"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { InvestigationJson } from "@/lib/investigation/result";
import type { Range } from "@/lib/queries/endpoint-page-window";
import { fetchInvestigation } from "./api";

/**
 * The investigation of one endpoint for a window (null = the latest spike, chosen by the service),
 * of one user type's callers when `userType` is set.
 */
export function useInvestigation(endpointId: string, window: Range | null, initial?: { window: Range | null; data: InvestigationJson }, userType: string | null = null) {
  const key = window ? { from: window.from, to: window.to, userType } : { from: null, to: null, userType };
  const isInitial = initial != null && sameWindow(initial.window, window) && (initial.data.userType?.id ?? null) === userType;
  return useQuery({
    queryKey: ["endpoint", endpointId, "investigation", key],
    queryFn: ({ signal }) => fetchInvestigation(endpointId, window, signal, userType),
    initialData: isInitial ? initial.data : undefined,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

function sameWindow(a: Range | null, b: Range | null): boolean {
  return a === b || (a != null && b != null && a.from === b.from && a.to === b.to);
}
