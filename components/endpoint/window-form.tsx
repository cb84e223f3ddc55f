"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { useTimeZone } from "@/components/ui/time";
import { fromInputValue, toInputValue } from "@/lib/time-format";
import type { Range } from "@/lib/queries/endpoint-page-window";

/** A custom analysed window typed in the reader's chosen zone — also the keyboard path to what the brush does. */
export function WindowForm({ window, automatic, onApply, onReset }: { window: Range; automatic: boolean; onApply: (w: Range) => void; onReset: () => void }) {
  const { timeZone, label } = useTimeZone();
  const [from, setFrom] = useState(toInputValue(window.from, timeZone));
  const [to, setTo] = useState(toInputValue(window.to, timeZone));
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState({ ...window, timeZone });
  if (shown.from !== window.from || shown.to !== window.to || shown.timeZone !== timeZone) {
    // The brush moved the window or the zone changed: show it (React's "adjust state on prop change" pattern).
    setShown({ ...window, timeZone });
    setFrom(toInputValue(window.from, timeZone));
    setTo(toInputValue(window.to, timeZone));
  }
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const f = fromInputValue(from, timeZone), t = fromInputValue(to, timeZone);
    if (f == null) return setError("From is not a valid time.");
    if (t == null) return setError("To is not a valid time.");
    if (t <= f) return setError("To must be after from.");
    setError(null);
    onApply({ from: f, to: t });
  };
  const input = "rounded-lg border border-slate-300 bg-white px-2 py-1 font-mono text-xs dark:border-slate-700 dark:bg-slate-950";
  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-3 text-xs" aria-label="Analysed window">
      <label className="flex flex-col gap-1">
        <span className="text-slate-600 dark:text-slate-300">From ({label})</span>
        <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} className={input} />
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-slate-600 dark:text-slate-300">To ({label})</span>
        <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} className={input} />
      </label>
      <Button type="submit" variant="secondary">Analyse window</Button>
      {!automatic && <Button variant="ghost" onClick={onReset}>Latest spike</Button>}
      {error && <p role="alert" className="w-full text-red-600 dark:text-red-400">{error}</p>}
    </form>
  );
}
