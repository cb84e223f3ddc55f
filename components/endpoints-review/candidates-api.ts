"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { CandidateJson } from "@/lib/endpoints/candidates";

async function call<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { cache: "no-store", ...init, headers: { "Content-Type": "application/json", ...init?.headers } });
  const body = (await res.json().catch(() => null)) as (T & { error?: { message?: string } }) | null;
  if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
  return body as T;
}

export const candidatesKey = ["endpoint-candidates"] as const;

export function useCandidates(initial: CandidateJson[]) {
  return useQuery({
    queryKey: candidatesKey,
    queryFn: async () => (await call<{ candidates: CandidateJson[] }>("/api/endpoint-candidates")).candidates,
    initialData: initial,
  });
}

/** Accept (with `path` when renamed) or reject one candidate. */
export function useDecideCandidate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, decision, path }: { id: string; decision: "accept" | "reject"; path?: string }) =>
      call<{ rematched?: number }>(`/api/endpoint-candidates/${encodeURIComponent(id)}/${decision}`, { method: "POST", body: JSON.stringify(path ? { path } : {}) }),
    onSuccess: () => qc.invalidateQueries({ queryKey: candidatesKey }),
  });
}
