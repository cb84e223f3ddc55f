import { toDiffRows } from "./diff-model";

const KIND_STYLE = {
  changed: "",
  added: "text-emerald-700 dark:text-emerald-300",
  removed: "text-red-700 dark:text-red-300",
} as const;

/** A stored or computed diff ([{path, before, after}]) as a before → after table. */
export function DiffTable({ diff, label, empty = "No field changed." }: { diff: unknown; label: string; empty?: string }) {
  const rows = toDiffRows(diff);
  if (!rows.length) return <p className="text-sm text-slate-500 dark:text-slate-400">{empty}</p>;
  return (
    <div role="region" aria-label={label} tabIndex={0} className="overflow-x-auto rounded-lg border border-slate-200 dark:border-slate-800">
      <table aria-label={label} className="w-full text-left text-sm">
        <thead className="bg-slate-50 text-xs uppercase text-slate-500 dark:bg-slate-800/60 dark:text-slate-400">
          <tr>
            <th className="px-3 py-1.5 font-medium">Field</th>
            <th className="px-3 py-1.5 font-medium">Before</th>
            <th className="px-3 py-1.5 font-medium" aria-hidden="true"></th>
            <th className="px-3 py-1.5 font-medium">After</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.path} data-testid="diff-row" className={`border-t border-slate-100 dark:border-slate-800 ${r.important ? "bg-amber-50/60 dark:bg-amber-950/30" : ""}`}>
              <td className={`px-3 py-1.5 font-mono text-xs ${r.important ? "font-semibold" : ""}`}>{r.path}</td>
              <td className={`px-3 py-1.5 font-mono text-xs break-all ${r.kind === "added" ? "text-slate-500" : "text-red-700 line-through decoration-red-300 dark:text-red-300 dark:decoration-red-700"}`}>
                {r.before}
              </td>
              <td className="px-1 text-slate-500" aria-hidden="true">→</td>
              <td className={`px-3 py-1.5 font-mono text-xs break-all ${r.kind === "removed" ? "text-slate-500" : "font-semibold text-emerald-700 dark:text-emerald-300"} ${KIND_STYLE[r.kind]}`}>
                <span className="sr-only">changed to </span>
                {r.after}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
