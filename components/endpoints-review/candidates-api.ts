"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "@/components/ui/fetch-json";
import type { CandidateJson } from "@/lib/endpoints/candidates";

export const candidatesKey = ["endpoint-candidates"] as const;

export function useCandidates(initial: CandidateJson[]) {
  return useQuery({
    queryKey: candidatesKey,
    queryFn: async () => (await fetchJson<{ candidates: CandidateJson[] }>("/api/endpoint-candidates", { cache: "no-store" })).candidates,
    initialData: initial,
  });
}

/** Accept (with `path` when renamed) or reject one candidate. */
export function useDecideCandidate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, decision, path }: { id: string; decision: "accept" | "reject"; path?: string }) =>
      fetchJson<{ rematched?: number }>(`/api/endpoint-candidates/${encodeURIComponent(id)}/${decision}`, { method: "POST", json: path ? { path } : {} }),
    onSuccess: () => qc.invalidateQueries({ queryKey: candidatesKey }),
  });
}
