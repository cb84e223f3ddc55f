"use client";

import { useMutation } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import type { ConnectionTarget, ConnectionTestResult } from "@/lib/queries/connections";

function useConnectionTest(target: ConnectionTarget) {
  return useMutation({
    mutationKey: ["connection-test", target],
    mutationFn: async (): Promise<ConnectionTestResult> => {
      const res = await fetch("/api/connections/test", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ target }) });
      const body = (await res.json().catch(() => null)) as (ConnectionTestResult & { error?: { message?: string } }) | null;
      if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
      return body as ConnectionTestResult;
    },
  });
}

/** A "Test connection" button that makes one live call through the server and shows the outcome. */
export function ConnectionTest({ target, label }: { target: ConnectionTarget; label: string }) {
  const test = useConnectionTest(target);
  const r = test.data;
  return (
    <div className="mt-3 flex flex-wrap items-center gap-3">
      <Button onClick={() => test.mutate()} disabled={test.isPending} aria-label={`Test connection to ${label}`}>
        {test.isPending ? "Testing…" : "Test connection"}
      </Button>
      <span role="status" aria-live="polite" className="text-xs">
        {test.error ? <span className="text-red-700 dark:text-red-300">{test.error.message}</span> : null}
        {r ? (
          <span className={r.ok ? "text-emerald-700 dark:text-emerald-300" : "text-red-700 dark:text-red-300"}>
            {r.ok ? "OK" : "Failed"} · {r.latencyMs} ms · {r.message}
          </span>
        ) : null}
      </span>
    </div>
  );
}
