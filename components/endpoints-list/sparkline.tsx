import { bandX, sparklinePath } from "./sparkline-path";

const BOX = { width: 120, height: 28, pad: 2 };

/** A server-rendered p99 sparkline: one path, plus a shaded band where a spike was detected. */
export function Sparkline({
  values,
  from,
  to,
  spike,
  label,
}: {
  values: (number | null)[];
  from: number;
  to: number;
  spike?: { start: number; end: number | null } | null;
  label: string;
}) {
  const d = sparklinePath(values, BOX);
  const band = spike ? bandX(from, to, spike.start, spike.end ?? to, BOX) : null;
  if (!d) return <span className="text-xs text-slate-500">no data</span>;
  return (
    <svg
      role="img"
      aria-label={label}
      data-testid="sparkline"
      viewBox={`0 0 ${BOX.width} ${BOX.height}`}
      width={BOX.width}
      height={BOX.height}
      className="overflow-visible"
    >
      {band && <rect x={band.x} y={0} width={band.width} height={BOX.height} className="fill-red-100 dark:fill-red-950" />}
      <path
        d={d}
        fill="none"
        strokeWidth={1.25}
        strokeLinejoin="round"
        strokeLinecap="round"
        vectorEffect="non-scaling-stroke"
        className={spike ? "stroke-red-600 dark:stroke-red-400" : "stroke-brand-600 dark:stroke-blue-400"}
      />
    </svg>
  );
}
