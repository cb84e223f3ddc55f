/**
 * SVG path data for a sparkline (pure, server-rendered: one <path> per row keeps the page light).
 * Gaps (null) break the line into separate segments rather than drawing across missing data.
 * The y scale is logarithmic: a latency spike of 10× and a baseline of a few ms both stay readable.
 */
export interface SparklineBox {
  width: number;
  height: number;
  /** Inner padding so the stroke is not clipped at the edges. */
  pad?: number;
}

function scaleY(values: (number | null)[], box: SparklineBox): ((v: number) => number) | null {
  const pad = box.pad ?? 1;
  const logs = values.filter((v): v is number => v != null && v > 0).map(Math.log);
  if (!logs.length) return null;
  const lo = Math.min(...logs);
  const hi = Math.max(...logs);
  const span = hi - lo;
  const inner = box.height - 2 * pad;
  // A flat series sits in the middle instead of dividing by zero.
  return (v) => (span === 0 ? box.height / 2 : pad + inner - ((Math.log(v) - lo) / span) * inner);
}

const round = (n: number) => Math.round(n * 10) / 10;

/** "M x y L x y …" with one M per contiguous run; "" when there is nothing to draw. */
export function sparklinePath(values: (number | null)[], box: SparklineBox): string {
  const y = scaleY(values, box);
  if (!y) return "";
  const pad = box.pad ?? 1;
  const step = values.length > 1 ? (box.width - 2 * pad) / (values.length - 1) : 0;
  const parts: string[] = [];
  let open = false;
  values.forEach((v, i) => {
    if (v == null || !(v > 0)) {
      open = false;
      return;
    }
    const x = values.length > 1 ? pad + i * step : box.width / 2;
    parts.push(`${open ? "L" : "M"}${round(x)} ${round(y(v))}`);
    open = true;
  });
  // A lone point would draw nothing; give it a tiny horizontal stroke.
  return parts.map((p, i) => (p.startsWith("M") && (parts[i + 1]?.startsWith("M") ?? true) ? `${p}h0.1` : p)).join("");
}

/** The x range [x0, x1] of the buckets covering [start, end) in a window [from, to), for shading a spike. */
export function bandX(from: number, to: number, start: number, end: number, box: SparklineBox): { x: number; width: number } | null {
  const pad = box.pad ?? 1;
  const inner = box.width - 2 * pad;
  const s = Math.max(from, start);
  const e = Math.min(to, end);
  if (e <= s) return null;
  const x = pad + ((s - from) / (to - from)) * inner;
  return { x: round(x), width: Math.max(1, round(((e - s) / (to - from)) * inner)) };
}
