import Link from "next/link";
import { SEVERITIES, STATUSES } from "@/lib/incidents/schema";

const control = "rounded-lg border border-slate-300 bg-white px-2.5 py-1.5 text-sm font-normal text-slate-900 focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-600/30 dark:border-slate-700 dark:bg-slate-950 dark:text-slate-100";
const label = "flex flex-col gap-1 text-xs font-medium text-slate-600 dark:text-slate-300";

/** The list's filters as a plain GET form: the filtered view is a URL, and it works without script. */
export function IncidentFilters({ current, environments }: { current: Record<string, string | undefined>; environments: string[] }) {
  return (
    <form method="get" action="/incidents" role="search" aria-label="Filter incidents"
      className="mb-5 flex flex-wrap items-end gap-3 rounded-2xl border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <label className={label}>
        Search
        <input className={`${control} w-56`} name="q" defaultValue={current.q ?? ""} placeholder="title or endpoint" />
      </label>
      <label className={label}>
        Status
        <select className={control} name="status" defaultValue={current.status ?? ""}>
          <option value="">any</option>
          {STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
      </label>
      <label className={label}>
        Severity
        <select className={control} name="severity" defaultValue={current.severity ?? ""}>
          <option value="">any</option>
          {SEVERITIES.map((s) => <option key={s} value={s}>{s.toUpperCase()}</option>)}
        </select>
      </label>
      {environments.length > 0 && (
        <label className={label}>
          Environment
          <select className={control} name="env" defaultValue={current.env ?? ""}>
            <option value="">any</option>
            {environments.map((e) => <option key={e} value={e}>{e}</option>)}
          </select>
        </label>
      )}
      <label className={label}>
        Owner
        <input className={`${control} w-48`} name="owner" defaultValue={current.owner ?? ""} placeholder="me or an email" />
      </label>
      <div className="flex gap-2">
        <button type="submit" className="inline-flex items-center rounded-lg bg-brand-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-700 focus:outline-none focus:ring-2 focus:ring-brand-600/40">Apply</button>
        <Link href="/incidents" className="inline-flex items-center rounded-lg px-3 py-1.5 text-sm font-medium text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800">Clear</Link>
      </div>
    </form>
  );
}
