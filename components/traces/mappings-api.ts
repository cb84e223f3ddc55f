"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { EndpointMappingView, IdentityRuleView } from "@/lib/queries/traces-mappings";
import type { IdentityRuleInput } from "@/lib/queries/traces-mapping-schemas";
import type { PreviewRow } from "@/lib/queries/traces-preview";

async function call<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { cache: "no-store", ...init, headers: { "Content-Type": "application/json", ...init?.headers } });
  const body = (await res.json().catch(() => null)) as (T & { error?: { message?: string } }) | null;
  if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
  return body as T;
}

export const endpointMappingsKey = ["mappings", "endpoints"] as const;
export const identityRulesKey = ["mappings", "identity"] as const;

export function useEndpointMappings(initial: EndpointMappingView[]) {
  return useQuery({
    queryKey: endpointMappingsKey,
    queryFn: async () => (await call<{ endpoints: EndpointMappingView[] }>("/api/mappings/endpoints")).endpoints,
    initialData: initial,
  });
}

/** `operation: null` resets to the automatic mapping. */
export function useSetEndpointMapping() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, operation }: { id: string; operation: string | null }) =>
      call<{ endpoint: EndpointMappingView }>(`/api/mappings/endpoints/${encodeURIComponent(id)}`, { method: "PUT", body: JSON.stringify({ operation }) }),
    onSuccess: () => qc.invalidateQueries({ queryKey: endpointMappingsKey }),
  });
}

export function useIdentityRules(initial: IdentityRuleView[]) {
  return useQuery({
    queryKey: identityRulesKey,
    queryFn: async () => (await call<{ rules: IdentityRuleView[] }>("/api/mappings/identity")).rules,
    initialData: initial,
  });
}

/** Applies a draft: deletes the removed rules, then adds the new ones (each call is audited); resolves to the saved rules. */
export function useSaveIdentityRules() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ remove, add }: { remove: string[]; add: IdentityRuleInput[] }) => {
      for (const id of remove) await call(`/api/mappings/identity/${encodeURIComponent(id)}`, { method: "DELETE" });
      for (const rule of add) await call("/api/mappings/identity", { method: "POST", body: JSON.stringify(rule) });
      return (await call<{ rules: IdentityRuleView[] }>("/api/mappings/identity")).rules;
    },
    onSuccess: (rules) => qc.setQueryData(identityRulesKey, rules),
    // A partial failure leaves some calls applied: re-read what is actually saved.
    onError: () => qc.invalidateQueries({ queryKey: identityRulesKey }),
  });
}

/** What the draft rules make of the latest stored spans; refetched whenever the draft changes. */
export function useIdentityPreview(rules: IdentityRuleInput[]) {
  return useQuery({
    queryKey: ["mappings", "identity", "preview", rules],
    queryFn: async ({ signal }) => (await call<{ rows: PreviewRow[] }>("/api/mappings/identity/preview", { method: "POST", body: JSON.stringify({ rules }), signal })).rows,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
}
