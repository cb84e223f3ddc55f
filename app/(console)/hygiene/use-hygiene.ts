"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "@/components/ui/fetch-json";
import type { Flag, HygieneKind } from "@/lib/hygiene/flags";

export interface HygieneItemJson {
  id: string;
  label: string;
  href: string;
  owner: string | null;
  since: string | null;
  lastUsedAt: string | null;
  requests: number | null;
  facts: Record<string, string | number | null>;
  flags: Flag[];
}

export interface HygienePageJson {
  kind: HygieneKind;
  items: HygieneItemJson[];
  total: number;
  counts: Partial<Record<HygieneKind, { total: number; flagged: number; byFlag: Record<string, number> }>>;
  rules: { rotationDays: number; unusedDays: number; usageFrom: string | null; usageRefreshedAt: string | null };
}

export type HygieneParams = Record<string, string>;

export function hygieneSearch(params: HygieneParams): string {
  const qs = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== "")).toString();
  return qs ? `?${qs}` : "";
}

/** The hygiene page for the URL's kind, filters, sort and page; the previous answer stays up while the next loads. */
export function useHygiene(params: HygieneParams, initial: HygienePageJson | undefined) {
  return useQuery({
    queryKey: ["hygiene", params],
    queryFn: ({ signal }) => fetchJson<HygienePageJson>(`/api/hygiene${hygieneSearch(params)}`, { signal }),
    initialData: initial,
    placeholderData: keepPreviousData,
  });
}

/** Regenerates an OAuth client's secret; the answer holds the secret, shown once. */
export function useRotateSecret() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (clientId: string) => fetchJson<{ secret: string; rotation: { label: string } }>(`/api/oauth-clients/${encodeURIComponent(clientId)}/rotate-secret`, { method: "POST" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["hygiene"] }),
  });
}
