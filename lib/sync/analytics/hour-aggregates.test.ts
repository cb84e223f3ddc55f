import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { latencyBin, roundMs, sparseQuantile } from "@/lib/analysis/histogram";
import { isGatewayRejection } from "@/lib/analysis/rejections";
import { HourAggregates, MinuteOfTimestamp, type CallerMinuteRow, type EndpointHourRow } from "./hour-aggregates";

const H = Date.UTC(2026, 11, 7, 8);
const MIN = 60_000;

describe("MinuteOfTimestamp", () => {
  it("reads the minute of a pump timestamp, whatever its fraction", () => {
    const m = new MinuteOfTimestamp();
    expect(m.ofText("2026-12-07 08:31:59.999999+00")).toBe(H + 31 * MIN);
    expect(m.ofText("2026-12-07 08:31:00+00")).toBe(H + 31 * MIN);
    expect(m.ofText("2026-12-07 08:32:00.1+00")).toBe(H + 32 * MIN);
    expect(m.ofText("2027-01-01 00:00:00+00")).toBe(Date.UTC(2027, 0, 1));
  });
});

/** Parses one endpoint_hours COPY line back into a row (arrays of numbers, NULL → null). */
function parseLine(line: string): EndpointHourRow & { minute_p99: (number | null)[] } {
  const f = line.trimEnd().split("\t");
  const arr = (s: string) => (s === "{}" ? [] : s.slice(1, -1).split(",").map((v) => (v === "NULL" ? null : Number(v))));
  const nums = (s: string) => arr(s) as number[];
  return {
    endpoint_id: f[0], hour: Date.parse(f[1].replace(" ", "T") + "Z"), minutes: nums(f[2]), minute_requests: nums(f[3]), minute_rejected: nums(f[4]),
    minute_errors: nums(f[5]), minute_p99: arr(f[6]), hist_minutes: nums(f[7]), hist_bins: nums(f[8]),
    hist_counts: nums(f[9]), callers: nums(f[10]), caller_requests: nums(f[11]), caller_rejected: nums(f[12]), caller_errors: nums(f[13]),
  };
}

/** Parses one endpoint_caller_minutes COPY line back into a row. */
function parseMinutesLine(line: string): CallerMinuteRow {
  const f = line.trimEnd().split("\t");
  const nums = (s: string) => (s === "{}" ? [] : s.slice(1, -1).split(",").map(Number));
  return { endpoint_id: f[0], hour: Date.parse(f[1].replace(" ", "T") + "Z"), minutes: nums(f[2]), caller_ids: nums(f[3]), caller_counts: nums(f[4]) };
}

const request = fc.record({
  endpoint: fc.constantFrom("ep-a", "ep-b"),
  offsetMs: fc.integer({ min: 0, max: 2 * 3_600_000 - 1 }),
  latency: fc.integer({ min: 0, max: 20_000 }),
  status: fc.constantFrom(200, 200, 200, 201, 429, 403, 401, 500, 503),
  upstream: fc.option(fc.integer({ min: 0, max: 50 }), { nil: null }),
  caller: fc.integer({ min: 1, max: 6 }),
});

describe("HourAggregates", () => {
  it("holds, per endpoint-hour, exactly what its requests add up to", () => {
    fc.assert(fc.property(fc.array(request, { maxLength: 300 }), (reqs) => {
      const agg = new HourAggregates();
      for (const r of reqs) {
        const minute = Math.floor((H + r.offsetMs) / MIN) * MIN;
        agg.add(r.endpoint, minute, r.latency, r.status, r.upstream, r.caller);
      }
      const lines = [...agg.lines().values()].map(parseLine);
      // Brute force per (endpoint, hour).
      const groups = new Map<string, typeof reqs>();
      for (const r of reqs) {
        const key = `${r.endpoint} ${Math.floor((H + r.offsetMs) / 3_600_000)}`;
        groups.set(key, [...(groups.get(key) ?? []), r]);
      }
      expect(lines).toHaveLength(groups.size);
      for (const row of lines) {
        const rs = groups.get(`${row.endpoint_id} ${row.hour / 3_600_000}`)!;
        const minuteOf = (r: (typeof reqs)[number]) => Math.floor(((H + r.offsetMs) % 3_600_000) / MIN);
        expect(row.minutes).toEqual([...new Set(rs.map(minuteOf))].sort((a, b) => a - b));
        row.minutes.forEach((m, i) => {
          const inMinute = rs.filter((r) => minuteOf(r) === m);
          const served = inMinute.filter((r) => !isGatewayRejection(r.status, r.upstream));
          expect(row.minute_requests[i]).toBe(inMinute.length);
          expect(row.minute_rejected[i]).toBe(inMinute.length - served.length);
          expect(row.minute_errors[i]).toBe(inMinute.filter((r) => r.status >= 500).length);
          const bins = [...new Set(served.map((r) => latencyBin(r.latency)))].sort((a, b) => a - b);
          const counts = bins.map((b) => served.filter((r) => latencyBin(r.latency) === b).length);
          const at = row.hist_minutes.map((hm, j) => [hm, j] as const).filter(([hm]) => hm === m).map(([, j]) => j);
          expect(at.map((j) => row.hist_bins[j])).toEqual(bins);
          expect(at.map((j) => row.hist_counts[j])).toEqual(counts);
          expect(row.minute_p99[i]).toBe(served.length ? roundMs(sparseQuantile(bins, counts, bins.length, served.length, 0.99)) : null);
        });
        expect(row.callers).toEqual([...new Set(rs.map((r) => r.caller))].sort((a, b) => a - b));
        row.callers.forEach((id, i) => expect(row.caller_requests[i]).toBe(rs.filter((r) => r.caller === id).length));
      }
      // Per (minute, caller), by minute then caller, whatever order the requests came in.
      for (const row of [...agg.callerMinuteLines().values()].map(parseMinutesLine)) {
        const rs = groups.get(`${row.endpoint_id} ${row.hour / 3_600_000}`)!;
        const cells = new Map<number, number>();
        for (const r of rs) {
          const k = Math.floor(((H + r.offsetMs) % 3_600_000) / MIN) * 100 + r.caller;
          cells.set(k, (cells.get(k) ?? 0) + 1);
        }
        const keys = [...cells.keys()].sort((x, y) => x - y);
        expect(row).toMatchObject({ minutes: keys.map((k) => Math.floor(k / 100)), caller_ids: keys.map((k) => k % 100), caller_counts: keys.map((k) => cells.get(k)) });
      }
    }), { numRuns: 200 });
  });

  it("merges a stored row into the same sums as one accumulation of both", () => {
    fc.assert(fc.property(fc.array(request, { maxLength: 120 }), fc.array(request, { maxLength: 120 }), (a, b) => {
      const fill = (agg: HourAggregates, rs: typeof a) => {
        for (const r of rs) agg.add(r.endpoint, Math.floor((H + r.offsetMs) / MIN) * MIN, r.latency, r.status, r.upstream, r.caller);
      };
      const both = new HourAggregates();
      fill(both, [...a, ...b]);
      const first = new HourAggregates();
      fill(first, a);
      const second = new HourAggregates();
      fill(second, b);
      const stored = new Map([...first.lines()].map(([k, line]) => [k, parseLine(line)]));
      const storedMinutes = new Map([...first.callerMinuteLines()].map(([k, line]) => [k, parseMinutesLine(line)]));
      const merged = new Map(first.lines()), mergedMinutes = new Map(first.callerMinuteLines());
      for (const acc of second.accs()) {
        const key = [...second.lines().entries()].find(([, l]) => l === acc.line())![0];
        const row = stored.get(key);
        const out = row ? acc.plus(row, storedMinutes.get(key)) : acc;
        merged.set(key, out.line());
        mergedMinutes.set(key, out.callerMinutesLine());
      }
      expect(merged).toEqual(both.lines());
      expect(mergedMinutes).toEqual(both.callerMinuteLines());
    }), { numRuns: 150 });
  });

  it("renames callers another writer stored first, adding into an existing one", () => {
    const agg = new HourAggregates();
    agg.add("ep", H, 10, 200, 5, 7);
    agg.add("ep", H, 10, 500, 5, 9);
    agg.renameCallers(new Map([[9, 7]]));
    const row = parseLine([...agg.lines().values()][0]);
    expect(row).toMatchObject({ callers: [7], caller_requests: [2], caller_rejected: [0], caller_errors: [1] });
    expect(parseMinutesLine([...agg.callerMinuteLines().values()][0])).toMatchObject({ minutes: [0], caller_ids: [7], caller_counts: [2] });
  });
});
