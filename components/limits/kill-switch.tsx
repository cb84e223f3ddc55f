"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { fetchJson } from "@/components/ui/fetch-json";

/** Automatic limit mode's global kill switch: its state for everyone, the switch for admins. */
export function KillSwitch({ on, by, canChange }: { on: boolean; by: string | null; canChange: boolean }) {
  const router = useRouter();
  const flip = useMutation({
    mutationFn: (killSwitch: boolean) => fetchJson<{ on: boolean }>("/api/limits/auto", { method: "PUT", json: { killSwitch } }),
    onSuccess: () => router.refresh(),
  });
  return (
    <div className={`mb-4 flex flex-wrap items-center gap-3 rounded-lg px-3 py-2 text-sm ${on ? "bg-amber-50 text-amber-900 dark:bg-amber-950 dark:text-amber-200" : "bg-slate-50 dark:bg-slate-900"}`}>
      <p role="status" data-testid="kill-switch">
        {on
          ? `Kill switch on${by ? ` (${by})` : ""}: nothing automatic writes to Tyk — no automatic changes, no automatic rollbacks.`
          : "Automatic mode may change limits on the endpoints where an admin turned it on (kill switch off)."}
      </p>
      {canChange && (
        <Button variant={on ? "secondary" : "danger"} onClick={() => flip.mutate(!on)} disabled={flip.isPending}>
          {on ? "Turn the kill switch off" : "Turn the kill switch on"}
        </Button>
      )}
      {flip.error && <p role="alert" className="text-red-700">{flip.error.message}</p>}
    </div>
  );
}
