"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { SeriesView } from "@/lib/queries/endpoint-page-types";
import type { Range } from "@/lib/queries/endpoint-page-window";
import { fetchSeries } from "./api";

/** The chart's context range: latency points and the access changes drawn on them. */
export function useEndpointSeries(endpointId: string, range: Range, initial?: SeriesView) {
  const isInitial = initial != null && initial.from === range.from && initial.to === range.to;
  return useQuery({
    queryKey: ["endpoint", endpointId, "series", { from: range.from, to: range.to }],
    queryFn: ({ signal }) => fetchSeries(endpointId, range, signal),
    initialData: isInitial ? initial : undefined,
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}
