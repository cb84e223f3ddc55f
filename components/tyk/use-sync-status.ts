"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { SyncStatus } from "@/lib/queries/sync-status";

async function readJson<T>(res: Response): Promise<T> {
  const body = (await res.json().catch(() => null)) as (T & { error?: { message?: string } }) | null;
  if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
  return body as T;
}

export const syncStatusKey = ["sync", "status"] as const;

/**
 * Each sync stage and its newest run. Polls every second while a run is going (or for a few
 * seconds after "Sync now", before the new run has written its row), otherwise every 15 s: the
 * stages run on their own timers.
 */
export function useSyncStatus(opts: { initial?: SyncStatus; followUntil?: number } = {}) {
  return useQuery({
    queryKey: syncStatusKey,
    queryFn: async () => readJson<SyncStatus>(await fetch("/api/sync/status", { cache: "no-store" })),
    initialData: opts.initial,
    staleTime: 0,
    refetchInterval: (q) => (q.state.data?.running || (opts.followUntil ?? 0) > Date.now() ? 1000 : 15_000),
  });
}

export function useStartSync(onStarted: () => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => readJson<{ started: boolean }>(await fetch("/api/sync", { method: "POST" })),
    onSuccess: () => {
      onStarted();
      void qc.invalidateQueries({ queryKey: syncStatusKey });
    },
  });
}
