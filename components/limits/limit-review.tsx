"use client";

import { limitText } from "@/lib/limits/policy-limit";
import type { PlanJson } from "./use-limits";

const show = (v: unknown) => (v === undefined ? "—" : JSON.stringify(v));

/** The reviewed change: each field that differs, before → after, and the whole policy JSON on demand. */
export function LimitReview({ plan }: { plan: PlanJson }) {
  return (
    <div className="flex flex-col gap-2 text-xs" data-testid="limits-review">
      <p className="text-sm font-medium">Dry run — {plan.name}: nothing is written until you apply.</p>
      <p data-testid="limits-review-summary">{limitText(plan.before)} → {limitText(plan.after)}</p>
      <ul className="flex flex-col gap-0.5 font-mono">
        {plan.diff.map((d) => (
          <li key={d.path}><span className="text-slate-500">{d.path}</span>: <span className="text-red-700 dark:text-red-300">{show(d.before)}</span> → <span className="text-green-700 dark:text-green-300">{show(d.after)}</span></li>
        ))}
      </ul>
      <details>
        <summary className="cursor-pointer text-slate-500">Policy JSON before / after</summary>
        <div className="mt-1 grid gap-2 md:grid-cols-2">
          <pre className="max-h-64 overflow-auto rounded bg-slate-50 p-2 dark:bg-slate-950">{JSON.stringify(plan.policyBefore, null, 2)}</pre>
          <pre className="max-h-64 overflow-auto rounded bg-slate-50 p-2 dark:bg-slate-950">{JSON.stringify(plan.policyAfter, null, 2)}</pre>
        </div>
      </details>
    </div>
  );
}
