"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "@/components/ui/fetch-json";

export interface RotationJson {
  id: string;
  kind: "key" | "oauth_client";
  state: "creating" | "grace" | "completed" | "cancelled" | "failed";
  label: string;
  oldKeyHash: string | null;
  newKeyHash: string | null;
  newLast4: string | null;
  clientId: string | null;
  graceSeconds: number;
  deleteAfter: string | null;
  requestedBy: string;
  createdAt: string;
  newCreatedAt: string | null;
  finishedAt: string | null;
  finishedBy: string | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
}

export interface KeyTrafficJson { requests: number; recent: number; refused: number; firstAt: string | null; lastAt: string | null }

export interface RotationDetailJson {
  rotation: RotationJson;
  timeline: { at: string; type: string; actor: string | null; details: Record<string, unknown> }[];
  traffic: { old: KeyTrafficJson; new: KeyTrafficJson; verdict: "moved" | "moving" | "not_moved" | "quiet"; summary: string; upTo: string | null } | null;
}

const invalidate = (qc: ReturnType<typeof useQueryClient>, id?: string) => {
  void qc.invalidateQueries({ queryKey: ["rotations"] });
  if (id) void qc.invalidateQueries({ queryKey: ["rotation", id] });
};

/** A rotation, refreshed while it is still moving (callers switching keys, a deletion pending). */
export function useRotation(id: string, initial: RotationDetailJson) {
  return useQuery({
    queryKey: ["rotation", id],
    queryFn: ({ signal }) => fetchJson<RotationDetailJson>(`/api/rotations/${encodeURIComponent(id)}`, { signal }),
    initialData: initial,
    refetchInterval: (q) => (q.state.data && ["creating", "grace"].includes(q.state.data.rotation.state) ? 15_000 : false),
  });
}

/** A key's rotations, newest first. */
export function useKeyRotations(keyHash: string, initial: RotationJson[]) {
  return useQuery({
    queryKey: ["rotations", keyHash],
    queryFn: ({ signal }) => fetchJson<{ rotations: RotationJson[] }>(`/api/rotations?keyHash=${encodeURIComponent(keyHash)}`, { signal }).then((b) => b.rotations),
    initialData: initial,
  });
}

/** Plans a rotation and creates the new key; the answer carries the raw key, once. */
export function useStartRotation() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { keyHash: string; graceHours: number }) => fetchJson<{ rotation: RotationJson; key: string }>("/api/rotations", { method: "POST", json: body }),
    onSettled: () => invalidate(qc),
  });
}

/** create (retry the new key; the answer carries it once), cancel, or delete-old (now). */
export function useRotationAction(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (action: "create" | "cancel" | "delete-old") => fetchJson<{ rotation?: RotationJson; key?: string }>(`/api/rotations/${encodeURIComponent(id)}/${action}`, { method: "POST" }),
    onSettled: () => invalidate(qc, id),
  });
}
