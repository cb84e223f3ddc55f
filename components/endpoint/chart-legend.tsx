// What each line, bar, shade and flag of the latency chart is, above it (colours shared with the chart).
export const COLORS = { p50: "#64748b", p95: "#8b5cf6", p99: "#2f6fed", weekAgo: "#0f766e", volume: "#94a3b8" } as const;

/** Red: a change ranked as a significant suspect; violet: a deploy; amber: any other change. */
export function markerColor(kind: string, suspect: boolean): string {
  return suspect ? "#dc2626" : kind === "deploy" ? "#7c3aed" : "#b45309";
}

function Swatch({ children, label }: { children: React.ReactNode; label: string }) {
  return (
    <li className="flex items-center gap-1.5">
      <svg width="22" height="10" aria-hidden="true">{children}</svg>
      <span>{label}</span>
    </li>
  );
}

export function ChartLegend({ weekAgo, hasMarkers, spike }: { weekAgo: boolean; hasMarkers: boolean; spike: boolean }) {
  const line = (color: string, dash?: string, width = 2) => <line x1="1" x2="21" y1="5" y2="5" stroke={color} strokeWidth={width} strokeDasharray={dash} />;
  return (
    <ul aria-label="Chart legend" data-testid="chart-legend" className="mb-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-700 dark:text-slate-200">
      <Swatch label="p50">{line(COLORS.p50, undefined, 1.5)}</Swatch>
      <Swatch label="p95">{line(COLORS.p95, undefined, 1.5)}</Swatch>
      <Swatch label="p99">{line(COLORS.p99)}</Swatch>
      <Swatch label={weekAgo ? "p99 a week ago" : "p99 a week ago (no data)"}>{line(COLORS.weekAgo, "5 4", 1.5)}</Swatch>
      <Swatch label="requests / min (right axis)"><rect x="4" y="1" width="14" height="9" fill={COLORS.volume} fillOpacity={0.5} /></Swatch>
      {spike && <Swatch label="spike"><rect x="1" y="0" width="20" height="10" fill="#ef4444" fillOpacity={0.2} stroke="#ef4444" strokeOpacity={0.4} /></Swatch>}
      {hasMarkers && (
        <>
          <Swatch label="change ranked as a suspect"><rect x="3" y="1" width="16" height="8" rx="2" fill={markerColor("policy", true)} /></Swatch>
          <Swatch label="other change"><rect x="3" y="1" width="16" height="8" rx="2" fill={markerColor("policy", false)} /></Swatch>
          <Swatch label="deploy"><rect x="3" y="1" width="16" height="8" rx="2" fill={markerColor("deploy", false)} /></Swatch>
        </>
      )}
    </ul>
  );
}
