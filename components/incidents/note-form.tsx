"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";

/** Adds a note to the incident's timeline. */
export function NoteForm({ busy, error, onSubmit }: { busy: boolean; error: Error | null; onSubmit: (body: string, done: () => void) => void }) {
  const [body, setBody] = useState("");
  return (
    <form className="space-y-2" onSubmit={(e) => { e.preventDefault(); if (body.trim()) onSubmit(body, () => setBody("")); }}>
      <label className="flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-300">
        Add a note
        <textarea value={body} onChange={(e) => setBody(e.target.value)} rows={3} maxLength={5000}
          className="rounded-lg border border-slate-300 bg-white px-2.5 py-1.5 text-sm font-normal text-slate-900 focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100" />
      </label>
      {error && <p role="alert" className="text-sm text-red-700 dark:text-red-300">{error.message}</p>}
      <Button type="submit" variant="secondary" disabled={busy || !body.trim()}>{busy ? "Saving…" : "Add note"}</Button>
    </form>
  );
}
