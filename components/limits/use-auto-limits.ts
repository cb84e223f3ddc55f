"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "@/components/ui/fetch-json";
import type { AutoDecisionView as AutoDecisionJson, AutoSettingsInput, AutoState as AutoStateJson } from "@/lib/limits/auto/settings";

export type { AutoDecisionView as AutoDecisionJson, AutoState as AutoStateJson } from "@/lib/limits/auto/settings";
export type AutoSettingsJson = AutoStateJson["settings"];
export type AutoSettingsBody = AutoSettingsInput;

const enc = encodeURIComponent;
const url = (endpointId: string) => `/api/endpoints/${enc(endpointId)}/limits/auto`;

export function useAutoState(endpointId: string) {
  return useQuery({ queryKey: ["limits-auto", endpointId], queryFn: ({ signal }) => fetchJson<AutoStateJson>(url(endpointId), { signal }) });
}

function useInvalidate(endpointId: string) {
  const qc = useQueryClient();
  return () => {
    for (const key of [["limits-auto", endpointId], ["limits", endpointId], ["limit-changes", endpointId], ["endpoint", endpointId]]) void qc.invalidateQueries({ queryKey: key });
  };
}

export function useSaveAutoSettings(endpointId: string) {
  const invalidate = useInvalidate(endpointId);
  return useMutation({ mutationFn: (body: AutoSettingsBody) => fetchJson<AutoStateJson>(url(endpointId), { method: "PUT", json: body }), onSuccess: invalidate });
}

export function useEvaluateNow(endpointId: string) {
  const invalidate = useInvalidate(endpointId);
  return useMutation({
    mutationFn: () => fetchJson<{ decisions: AutoDecisionJson[] }>(`${url(endpointId)}/evaluate`, { method: "POST", json: {} }),
    onSettled: invalidate,
  });
}
