"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";

/**
 * A secret handed over once (a new Tyk key, an OAuth secret): shown with a copy button, kept only in
 * this component's memory, gone when the page is left. Touchline stores none of them.
 */
export function ShownOnce({ title, value, hint, testId = "shown-once" }: { title: string; value: string; hint?: React.ReactNode; testId?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div role="status" className="rounded-xl border border-emerald-300 bg-emerald-50 p-4 text-sm dark:border-emerald-800 dark:bg-emerald-950">
      <p className="font-semibold text-emerald-900 dark:text-emerald-100">{title} Copy it now — it will not be shown again.</p>
      <div className="mt-2 flex items-center gap-2">
        <code data-testid={testId} className="min-w-0 flex-1 break-all rounded-lg bg-white px-2 py-1.5 font-mono text-xs text-slate-900 dark:bg-slate-900 dark:text-slate-100">{value}</code>
        <Button aria-label="Copy" onClick={() => navigator.clipboard?.writeText(value).then(() => setCopied(true), () => setCopied(false))}>
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
      {hint && <p className="mt-2 text-xs text-emerald-900/80 dark:text-emerald-100/80">{hint}</p>}
    </div>
  );
}
