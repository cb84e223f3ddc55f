"use client";

import { useState } from "react";
import { ZoneToggle } from "@/components/ui/time";
import { DAY, HOUR, MINUTE, type Range } from "@/lib/queries/endpoint-page-window";

export const PRESETS = [
  { id: "1h", label: "Last 1 h", ms: HOUR },
  { id: "6h", label: "Last 6 h", ms: 6 * HOUR },
  { id: "24h", label: "Last 24 h", ms: DAY },
  { id: "7d", label: "Last 7 d", ms: 7 * DAY },
] as const;

/** Relative ranges as on-call tools offer them (each analyses up to now), and the zone every time on the page is shown in. */
export function RangePresets({ window, onPick }: { window: Range; onPick: (range: Range) => void }) {
  const [picked, setPicked] = useState<{ id: string } & Range | null>(null);
  const current = picked && picked.from === window.from && picked.to === window.to ? picked.id : null;
  return (
    <div className="flex flex-wrap items-center gap-2">
      <div role="group" aria-label="Time range" className="inline-flex flex-wrap overflow-hidden rounded-lg border border-slate-300 text-xs dark:border-slate-700">
        {PRESETS.map((p) => (
          <button key={p.id} type="button" aria-pressed={current === p.id}
            onClick={() => {
              const to = Math.ceil(Date.now() / MINUTE) * MINUTE;
              setPicked({ id: p.id, from: to - p.ms, to });
              onPick({ from: to - p.ms, to });
            }}
            className={`border-r border-slate-300 px-2 py-1 last:border-r-0 dark:border-slate-700 ${current === p.id ? "bg-slate-900 text-white dark:bg-white dark:text-slate-900" : "text-slate-700 hover:bg-slate-100 dark:text-slate-200 dark:hover:bg-slate-800"}`}>
            {p.label}
          </button>
        ))}
      </div>
      <ZoneToggle />
    </div>
  );
}
