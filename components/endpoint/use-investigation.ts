"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { InvestigationJson } from "@/lib/investigation/result";
import type { Range } from "@/lib/queries/endpoint-page-window";
import { fetchInvestigation } from "./api";

/** The investigation of one endpoint for a window (null = the latest spike, chosen by the service). */
export function useInvestigation(endpointId: string, window: Range | null, initial?: { window: Range | null; data: InvestigationJson }) {
  const key = window ? { from: window.from, to: window.to } : { from: null, to: null };
  const isInitial = initial != null && sameWindow(initial.window, window);
  return useQuery({
    queryKey: ["endpoint", endpointId, "investigation", key],
    queryFn: ({ signal }) => fetchInvestigation(endpointId, window, signal),
    initialData: isInitial ? initial.data : undefined,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}

function sameWindow(a: Range | null, b: Range | null): boolean {
  return a === b || (a != null && b != null && a.from === b.from && a.to === b.to);
}
