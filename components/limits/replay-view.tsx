"use client";

import type { ReplayJson } from "./use-limits";

const ms = (v: number | null) => (v === null ? "—" : `${Math.round(v)} ms`);
const time = (t: number | null) => (t === null ? "—" : new Date(t).toISOString().slice(5, 16).replace("T", " "));

/** Rejected requests per hour over the replayed window, as bars. */
function RejectionStrip({ replay }: { replay: ReplayJson }) {
  const hours = Math.max(1, Math.ceil((replay.to - replay.from) / 3_600_000));
  const perHour = new Float64Array(hours);
  for (const [t, n] of replay.minutes) perHour[Math.min(hours - 1, Math.floor((t - replay.from) / 3_600_000))] += n;
  const max = Math.max(1, ...perHour);
  return (
    <svg viewBox={`0 0 ${hours} 20`} preserveAspectRatio="none" className="h-10 w-full" role="img" aria-label={`Requests the limit would have rejected per hour, ${time(replay.from)} to ${time(replay.to)} UTC`}>
      {[...perHour].map((n, i) => n > 0 && <rect key={i} x={i} y={20 - (20 * n) / max} width={1} height={(20 * n) / max} className="fill-red-500" />)}
    </svg>
  );
}

/** Who a proposed limit would have turned away over the stored days, and the slow minutes' p99 without them. */
export function ReplayView({ replay }: { replay: ReplayJson }) {
  return (
    <div className="flex flex-col gap-2 text-sm" data-testid="limits-replay">
      <p>
        Replayed over {Math.round((replay.to - replay.from) / 86_400_000)} days: <strong>{replay.rejected.toLocaleString()}</strong> of {replay.requests.toLocaleString()} requests would have been rejected
        {replay.quotaRejected > 0 && <> ({replay.quotaRejected.toLocaleString()} past the quota, counting this endpoint&apos;s requests only)</>}.
        {replay.delayed > 0 && <> The throttle would have served {replay.delayed.toLocaleString()} more late, on a retry.</>}
        {replay.slow.minutes > 0 && (
          <> In the {replay.slow.minutes} minutes over the objective, p99 {ms(replay.slow.p99)} → {ms(replay.slow.p99Without)} without them
            {replay.p99AtReducedLoad !== null && <>, ≈ {ms(replay.p99AtReducedLoad)} at the load left (the endpoint&apos;s own rate curve)</>}.</>
        )}
      </p>
      <RejectionStrip replay={replay} />
      {replay.keys.some((k) => k.rejected > 0) && (
        <table className="w-full text-left text-xs" aria-label="Callers the limit would reject">
          <thead><tr className="text-slate-500"><th className="py-1">Key</th><th>Rejected</th><th>Past quota</th><th>Served late</th><th>of</th><th>Minutes</th><th>First – last (UTC)</th></tr></thead>
          <tbody>
            {replay.keys.filter((k) => k.rejected > 0).map((k) => (
              <tr key={k.keyHash} className="border-t border-slate-100 dark:border-slate-800">
                <td className="py-1">{replay.labels[k.keyHash] ?? `…${k.keyHash.slice(-4)}`}</td>
                <td>{k.rejected.toLocaleString()}</td><td>{k.quotaRejected.toLocaleString()}</td><td>{k.delayed.toLocaleString()}</td><td>{k.requests.toLocaleString()}</td><td>{k.minutes}</td><td>{time(k.first)} – {time(k.last)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
