"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "@/components/ui/fetch-json";
import type { CreateRequestBody } from "@/lib/access/requests/schema";

export interface AccessRequestJson {
  id: string;
  requesterId: string;
  requesterEmail: string;
  requesterName: string | null;
  policyId: string | null;
  apiIds: string[];
  targetLabel: string;
  reason: string;
  durationMinutes: number;
  status: "pending" | "approved" | "issuing" | "denied" | "cancelled" | "lapsed" | "issued" | "expired" | "revoked";
  decidedBy: string | null;
  decidedAt: string | null;
  decisionNote: string | null;
  keyHash: string | null;
  keyLast4: string | null;
  issuedAt: string | null;
  expiresAt: string | null;
  firstUsedAt: string | null;
  endedAt: string | null;
  verifiedAt: string | null;
  lastError: string | null;
  createdAt: string;
  canDecide: boolean;
  canRevoke: boolean;
  canCollect: boolean;
}

export interface RequestOptionsJson {
  offers: { policyId: string; name: string; maxMinutes: number; description: string }[];
  apis: { id: string; name: string }[];
  apiMaxMinutes: number;
}

export type TimelineJson = { at: string; type: string; actor: string | null; details: Record<string, unknown> }[];

/** Requests in one scope, refreshed every few seconds: approvals take seconds, and the page should show them as they land. */
export function useAccessRequests(scope: "mine" | "to_approve", initial: AccessRequestJson[]) {
  return useQuery({
    queryKey: ["access-requests", scope],
    queryFn: ({ signal }) => fetchJson<{ requests: AccessRequestJson[] }>(`/api/access-requests?scope=${scope}`, { signal }).then((b) => b.requests),
    initialData: initial,
    refetchInterval: 3_000,
  });
}

export function useAccessRequest(id: string, initial: { request: AccessRequestJson; timeline: TimelineJson }) {
  return useQuery({
    queryKey: ["access-request", id],
    queryFn: ({ signal }) => fetchJson<{ request: AccessRequestJson; timeline: TimelineJson }>(`/api/access-requests/${encodeURIComponent(id)}`, { signal }),
    initialData: initial,
    refetchInterval: 5_000,
  });
}

const refresh = (qc: ReturnType<typeof useQueryClient>) => {
  void qc.invalidateQueries({ queryKey: ["access-requests"] });
  void qc.invalidateQueries({ queryKey: ["access-request"] });
};

/** A new request; when a rule approves it at once the answer carries the key, once. */
export function useCreateAccessRequest() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateRequestBody) => fetchJson<{ request: AccessRequestJson; key: string | null }>("/api/access-requests", { method: "POST", json: body }),
    onSettled: () => refresh(qc),
  });
}

/** approve / deny (with an optional note), issue (the key, once), withdraw (cancel or revoke). */
export function useRequestAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action, note }: { id: string; action: "approve" | "deny" | "issue" | "withdraw"; note?: string }) =>
      fetchJson<{ request: AccessRequestJson; key?: string | null }>(`/api/access-requests/${encodeURIComponent(id)}/${action}`, {
        method: "POST", ...(action === "approve" || action === "deny" ? { json: note ? { note } : {} } : {}),
      }),
    onSettled: () => refresh(qc),
  });
}
