"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { fromUtcInput, toUtcInput, type Range } from "@/lib/queries/endpoint-page-window";

/** The analysed window typed in (UTC) — the keyboard path to what the brush does. */
export function WindowForm({ window, automatic, onApply, onReset }: { window: Range; automatic: boolean; onApply: (w: Range) => void; onReset: () => void }) {
  const [from, setFrom] = useState(toUtcInput(window.from));
  const [to, setTo] = useState(toUtcInput(window.to));
  const [error, setError] = useState<string | null>(null);
  const [shown, setShown] = useState(window);
  if (shown.from !== window.from || shown.to !== window.to) {
    // The brush moved the window: show it (React's "adjust state on prop change" pattern).
    setShown(window);
    setFrom(toUtcInput(window.from));
    setTo(toUtcInput(window.to));
  }
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const f = fromUtcInput(from), t = fromUtcInput(to);
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
        <span className="text-slate-500 dark:text-slate-400">From (UTC)</span>
        <input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} className={input} />
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-slate-500 dark:text-slate-400">To (UTC)</span>
        <input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} className={input} />
      </label>
      <Button type="submit" variant="secondary">Analyse window</Button>
      {!automatic && <Button variant="ghost" onClick={onReset}>Latest spike</Button>}
      {error && <p role="alert" className="w-full text-red-600 dark:text-red-400">{error}</p>}
    </form>
  );
}
