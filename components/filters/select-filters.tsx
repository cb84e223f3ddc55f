"use client";

import { usePathname, useRouter } from "next/navigation";
import { toQuery, type Filters } from "./filter-url";

export interface SelectSpec {
  name: string;
  label: string;
  options: { value: string; label: string }[];
}

const select = "rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900";

/** Drop-downs that write their value to the page URL at once (the server page re-renders from it), keeping the other params. */
export function SelectFilters({ specs, current }: { specs: SelectSpec[]; current: Filters }) {
  const router = useRouter();
  const pathname = usePathname();
  return (
    <div className="mb-4 flex flex-wrap items-end gap-3">
      {specs.map((s) => (
        <label key={s.name} className="flex flex-col gap-1 text-xs font-medium text-slate-500 dark:text-slate-400">
          {s.label}
          <select
            className={select}
            value={current[s.name] ?? ""}
            onChange={(e) => router.push(`${pathname}${toQuery({ ...current, [s.name]: e.target.value })}`, { scroll: false })}
          >
            {s.options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
          </select>
        </label>
      ))}
    </div>
  );
}
