"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "@/components/ui/fetch-json";
import type { OfferBody, RuleBody } from "@/lib/access/requests/schema";

export interface AccessSettingsJson {
  offers: { policyId: string; policyName: string | null; maxMinutes: number; description: string; createdBy: string }[];
  rules: { id: string; name: string; policyId: string | null; policyName: string | null; requesterGroups: string[]; approverGroups: string[]; autoApprove: boolean; autoMaxMinutes: number | null }[];
  policies: { id: string; name: string }[];
  webhook: { configured: boolean; source: "stored" | "env" | null; host: string | null; last4: string | null; canStore: boolean };
}

export function useAccessSettings(initial: AccessSettingsJson) {
  return useQuery({ queryKey: ["access-settings"], queryFn: ({ signal }) => fetchJson<AccessSettingsJson>("/api/access-settings", { signal }), initialData: initial });
}

/** One write to the access settings, then a refetch. */
export function useAccessSettingsWrite() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (w: { kind: "offer"; body: OfferBody } | { kind: "rule"; body: RuleBody } | { kind: "webhook"; url: string } | { kind: "delete"; path: string }) => {
      if (w.kind === "offer") return fetchJson("/api/access-settings/offers", { method: "POST", json: w.body });
      if (w.kind === "rule") return fetchJson("/api/access-settings/rules", { method: "POST", json: w.body });
      if (w.kind === "webhook") return fetchJson("/api/access-settings/webhook", { method: "PUT", json: { url: w.url } });
      return fetchJson(w.path, { method: "DELETE" });
    },
    onSettled: () => qc.invalidateQueries({ queryKey: ["access-settings"] }),
  });
}
