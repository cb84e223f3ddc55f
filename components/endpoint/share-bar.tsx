import { formatPercent } from "@/lib/format";
import type { SuspectJson } from "@/lib/investigation/result";
import { shareGeometry } from "./suspect-model";

/** Share of the excess latency: a filled bar to the point estimate with its 90% interval drawn as a whisker. */
export function ShareBar({ share, significant }: { share: SuspectJson["share"]; significant: boolean }) {
  const g = shareGeometry(share);
  const text = `${formatPercent(share.point)} of the excess (90% interval ${formatPercent(share.lo)}–${formatPercent(share.hi)})`;
  return (
    <div className="flex items-center gap-3" title={text}>
      <div className="relative h-3 w-40 shrink-0 rounded-full bg-slate-100 dark:bg-slate-800" role="img" aria-label={text}>
        <div className={`absolute inset-y-0 left-0 rounded-full ${significant ? "bg-red-500/80" : "bg-slate-400/70"}`} style={{ width: `${g.point}%` }} />
        <div className="absolute top-1/2 h-px -translate-y-1/2 bg-slate-900 dark:bg-white" style={{ left: `${g.lo}%`, width: `${Math.max(0, g.hi - g.lo)}%` }} />
        <div className="absolute inset-y-0 w-px bg-slate-900 dark:bg-white" style={{ left: `${g.lo}%` }} />
        <div className="absolute inset-y-0 w-px bg-slate-900 dark:bg-white" style={{ left: `${g.hi}%` }} />
      </div>
      <span className="whitespace-nowrap text-xs tabular-nums text-slate-600 dark:text-slate-300">
        <span className="font-semibold text-slate-900 dark:text-white">{formatPercent(share.point)}</span>{" "}
        <span className="text-slate-500 dark:text-slate-400">[{formatPercent(share.lo)}–{formatPercent(share.hi)}]</span>
      </span>
    </div>
  );
}
