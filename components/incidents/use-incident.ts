"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { IncidentJson } from "@/lib/incidents/types";
import type { UpdateIncidentBody } from "@/lib/incidents/schema";
import { fetchIncident, patchIncident, postNote } from "./api";

/** One incident; the server page's copy is the initial data, so opening it costs one (audited) view. */
export function useIncident(initial: IncidentJson) {
  return useQuery({
    queryKey: ["incident", initial.slug],
    queryFn: ({ signal }) => fetchIncident(initial.slug, signal),
    initialData: initial,
    staleTime: Infinity,
  });
}

/** Writes answer with the incident's new state, which replaces the cached one (no extra view). */
export function useIncidentWrites(slug: string) {
  const qc = useQueryClient();
  const put = (data: IncidentJson) => qc.setQueryData(["incident", slug], data);
  return {
    update: useMutation({ mutationFn: (body: UpdateIncidentBody) => patchIncident(slug, body), onSuccess: put }),
    note: useMutation({ mutationFn: (body: string) => postNote(slug, body), onSuccess: put }),
  };
}
