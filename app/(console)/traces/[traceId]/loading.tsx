export default function Loading() {
  return (
    <div role="status" aria-live="polite" className="space-y-4">
      <div className="h-8 w-64 animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
      <div className="h-40 animate-pulse rounded-2xl bg-slate-100 dark:bg-slate-900" />
      <span className="sr-only">Loading the trace from the backend…</span>
    </div>
  );
}
