import { DiffList } from "@/components/endpoint/diff-list";
import { Badge } from "@/components/ui/badge";
import { formatUtc } from "@/lib/format";
import type { FrozenVersion } from "@/lib/incidents/types";

type Diff = { path: string; before: unknown; after: unknown }[];

/** The policy/key versions as they were when the incident was created, with their diffs and full snapshots. */
export function FrozenVersions({ versions }: { versions: FrozenVersion[] }) {
  if (!versions.length) return <p className="text-sm text-slate-500 dark:text-slate-400">No policy or key version was involved.</p>;
  return (
    <ul className="space-y-3" data-testid="frozen-versions">
      {versions.map((v) => (
        <li key={`${v.kind}:${v.targetId}:${v.version}`} className="rounded-lg border border-slate-100 px-3 py-2 text-sm dark:border-slate-800">
          <p className="flex flex-wrap items-center gap-2">
            <Badge tone={v.kind === "policy" ? "warn" : "info"}>{v.kind}</Badge>
            <span className="font-semibold">{v.label}</span>
            <span className="text-xs text-slate-500 dark:text-slate-400">version {v.version} · seen {formatUtc(v.observedAt)}</span>
          </p>
          <div className="mt-1"><DiffList diff={(Array.isArray(v.diff) ? v.diff : []) as Diff} empty="First version seen: no earlier one to compare." /></div>
          <details className="mt-1">
            <summary className="cursor-pointer text-xs text-slate-500 dark:text-slate-400">Snapshot</summary>
            <pre className="mt-1 max-h-64 overflow-auto rounded bg-slate-50 p-2 text-xs dark:bg-slate-950">{JSON.stringify(v.snapshot, null, 2)}</pre>
          </details>
        </li>
      ))}
    </ul>
  );
}
