"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "@/components/ui/fetch-json";

export interface LimitJson { rate: number; per: number }
/** Tyk's quota and throttle a change may set alongside rate/per (absent: left as they are). */
export interface QuotaThrottleJson { quotaMax?: number; quotaRenewalRate?: number; throttleInterval?: number; throttleRetryLimit?: number }
export interface LimitValueJson {
  scope: "policy" | "api"; apiId: string | null; rate: number | null; per: number | null;
  quotaMax?: number | null; quotaRenewalRate?: number | null; throttleInterval?: number | null; throttleRetryLimit?: number | null;
}

export interface RecommendationJson {
  policyId: string;
  name: string;
  baseVersion: number;
  scope: "policy" | "api";
  apiId: string;
  current: LimitJson | null;
  proposed: LimitJson;
  change: "lower" | "none";
  keys: string[];
  line: string;
  quota?: { quotaMax: number; quotaRenewalRate: number; line: string } | null;
  throttle?: { throttleInterval: number; throttleRetryLimit: number; line: string } | null;
}

export interface PolicyLimitsJson { id: string; name: string; version: number; rate: number | null; per: number | null; apiIds: string[]; apiLimit: LimitJson | null }

export interface EndpointLimitsJson {
  apiId: string;
  policies: PolicyLimitsJson[];
  baselineP99: number | null;
  objectiveMs: number | null;
  objectiveSource: "admin" | "default";
  settings: { objectiveMs: number | null; headroom: number };
  capacityText: string;
  recommendations: RecommendationJson[];
  note: string | null;
}

export interface ReplayJson {
  from: number;
  to: number;
  requests: number;
  rejected: number;
  quotaRejected: number;
  delayed: number;
  keys: { keyHash: string; requests: number; rejected: number; quotaRejected: number; delayed: number; minutes: number; first: number | null; last: number | null }[];
  minutes: [number, number][];
  slow: { minutes: number; p99: number | null; p99Without: number | null };
  p99AtReducedLoad: number | null;
  labels: Record<string, string>;
}

export interface PlanJson {
  policyId: string;
  name: string;
  before: LimitValueJson;
  after: LimitValueJson;
  diff: { path: string; before: unknown; after: unknown }[];
  policyBefore: Record<string, unknown>;
  policyAfter: Record<string, unknown>;
}

export interface LimitChangeJson {
  id: string;
  policyId: string;
  action: "apply" | "rollback" | "skip";
  before: LimitValueJson;
  after: LimitValueJson;
  version: number;
  actor: string;
  createdAt: string;
  rolledBackBy: string | null;
  automatic: boolean;
}

export interface ProposedLimit extends QuotaThrottleJson { policyId: string; scope: "policy" | "api"; apiId?: string; rate: number; per: number; baseVersion: number; reason?: string }

const enc = encodeURIComponent;

export function useEndpointLimits(endpointId: string) {
  return useQuery({ queryKey: ["limits", endpointId], queryFn: ({ signal }) => fetchJson<EndpointLimitsJson>(`/api/endpoints/${enc(endpointId)}/limits`, { signal }) });
}

/** What the replay of a proposal depends on: its rate, and its quota and throttle when it sets them. */
function replayParams(p: ProposedLimit): Record<string, string> {
  const out: Record<string, string> = { policyId: p.policyId, rate: String(p.rate), per: String(p.per) };
  for (const k of ["quotaMax", "quotaRenewalRate", "throttleInterval", "throttleRetryLimit"] as const) if (p[k] !== undefined) out[k] = String(p[k]);
  return out;
}

export function useReplay(endpointId: string, p: ProposedLimit | null) {
  return useQuery({
    queryKey: ["limits-replay", endpointId, p && replayParams(p)],
    enabled: p !== null,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => fetchJson<ReplayJson>(`/api/endpoints/${enc(endpointId)}/limits/replay?${new URLSearchParams(replayParams(p!))}`, { signal }),
  });
}

export function useLimitChanges(endpointId: string) {
  return useQuery({
    queryKey: ["limit-changes", endpointId],
    queryFn: ({ signal }) => fetchJson<{ changes: LimitChangeJson[] }>(`/api/limit-changes?endpointId=${enc(endpointId)}`, { signal }),
  });
}

function useInvalidate(endpointId: string) {
  const qc = useQueryClient();
  return () => {
    for (const key of [["limits", endpointId], ["limit-changes", endpointId], ["endpoint", endpointId]]) void qc.invalidateQueries({ queryKey: key });
  };
}

/** A dry run (`dryRun: true`) or the applied change. */
export function useApplyLimit(endpointId: string) {
  const invalidate = useInvalidate(endpointId);
  return useMutation({
    mutationFn: (body: ProposedLimit & { dryRun: boolean }) =>
      fetchJson<{ dryRun: boolean; plan: PlanJson }>("/api/limit-changes", { method: "POST", json: { ...body, endpointId } }),
    onSuccess: (r) => { if (!r.dryRun) invalidate(); },
  });
}

export function useRollbackLimit(endpointId: string) {
  const invalidate = useInvalidate(endpointId);
  return useMutation({
    mutationFn: (id: string) => fetchJson<{ plan: PlanJson }>(`/api/limit-changes/${enc(id)}/rollback`, { method: "POST", json: {} }),
    onSuccess: invalidate,
  });
}
