/**
 * One endpoint-hour of requests being summed up for endpoint_hours (see hour-aggregates.ts), built
 * to cost ingest next to nothing per request: rows arrive in time order, so the latency histogram
 * of the current minute is a dense array of counts, written out as sparse (minute, bin, count)
 * entries when the next minute starts. The few requests that come out of order (look-back
 * re-reads, a stored row being merged) go into a map and are folded in at the end.
 */
import { BIN_COUNT, roundMs, sparseQuantile } from "@/lib/analysis/histogram";
import { CallerMinutes, type CallerMinuteRow } from "./caller-minutes";
import { copyField } from "./transform";

/** endpoint_hours as the pg driver returns it (`hour` as epoch ms). */
export interface EndpointHourRow {
  endpoint_id: string;
  hour: number;
  minutes: number[];
  minute_requests: number[];
  minute_rejected: number[];
  minute_errors: number[];
  hist_minutes: number[];
  hist_bins: number[];
  hist_counts: number[];
  callers: number[];
  caller_requests: number[];
  caller_rejected: number[];
  caller_errors: number[];
}

/** endpoint_hours' columns, in the order line() writes them. */
export const HOUR_COLUMNS = [
  "endpoint_id", "hour", "minutes", "minute_requests", "minute_rejected", "minute_errors", "minute_p99",
  "hist_minutes", "hist_bins", "hist_counts", "callers", "caller_requests", "caller_rejected", "caller_errors",
];

const BIN_KEYS = 512; // a (minute, bin) map key: minute × BIN_KEYS + bin
// Scratch for one minute's histogram while its p99 is computed (line() runs one at a time).
const scratchBins = new Float64Array(BIN_COUNT);
const scratchCounts = new Float64Array(BIN_COUNT);

/**
 * What the accumulators of one batch share, so that thousands of sparse endpoint-hours cost no
 * typed array each: the per-minute counters as slots of one growing array, and per endpoint one
 * dense array for its current minute's latency bins (an endpoint's rows come in time order, so
 * one of its hours has a current minute at a time).
 */
export class AccStore {
  perMinute: Int32Array;
  private used = 0;
  private readonly currents = new Map<string, { bins: Int32Array; owner: HourAcc | null }>();

  /** Room for `hours` accumulators before the first growth. */
  constructor(hours = 256) {
    this.perMinute = new Int32Array(60 * 3 * hours);
  }

  /** A zeroed slot of 60 × [requests, rejected, errors]. */
  slot(): number {
    if (this.used + 180 > this.perMinute.length) {
      const grown = new Int32Array(this.perMinute.length * 2);
      grown.set(this.perMinute);
      this.perMinute = grown;
    }
    const at = this.used;
    this.used += 180;
    return at;
  }

  /** The endpoint's current-minute array, handed to `acc` (its previous holder finishes its minute first). */
  currentFor(acc: HourAcc): Int32Array {
    let c = this.currents.get(acc.endpointId);
    if (!c) this.currents.set(acc.endpointId, (c = { bins: new Int32Array(BIN_COUNT), owner: null }));
    if (c.owner !== acc) {
      c.owner?.release();
      c.owner = acc;
    }
    return c.bins;
  }
}

export class HourAcc {
  /** Offset of this hour's 60 × [requests, rejected, errors] in the store's perMinute. */
  private readonly at: number;
  // The current minute's served latencies: counts per bin (the store's array while this hour holds
  // it), and which bins it touched.
  private minute = -1;
  private current: Int32Array | null = null;
  private touched: number[] = [];
  // Finished minutes' histogram entries, by minute then bin.
  private hm: number[] = [];
  private hb: number[] = [];
  private hc: number[] = [];
  /** (minute × BIN_KEYS + bin) → served requests that arrived after a later minute had started. */
  private late: Map<number, number> | null = null;
  /** caller id → requests; the (few) rejected and failed requests per caller in maps of their own. */
  private readonly callerRequests = new Map<number, number>();
  private callerRejected: Map<number, number> | null = null;
  private callerErrors: Map<number, number> | null = null;
  /** The hour's requests per (minute, caller): endpoint_caller_minutes. */
  private callerMinutes = new CallerMinutes();

  constructor(readonly endpointId: string, readonly hour: number, private readonly store: AccStore) {
    this.at = store.slot();
  }

  /** `n` requests of minute `offset` (0–59): served with latency `bin` unless `rejected`. */
  add(offset: number, bin: number, rejected: boolean, error: boolean, callerId: number, n = 1): void {
    const pm = this.store.perMinute, m = this.at + offset * 3;
    pm[m] += n;
    if (rejected) {
      pm[m + 1] += n;
      addTo((this.callerRejected ??= new Map()), callerId, n);
    } else this.addServed(offset, bin, n);
    if (error) {
      pm[m + 2] += n;
      addTo((this.callerErrors ??= new Map()), callerId, n);
    }
    addTo(this.callerRequests, callerId, n);
    this.callerMinutes.add(offset, callerId, n);
  }

  private addServed(offset: number, bin: number, n: number): void {
    if (offset !== this.minute || this.current === null) {
      // Before this hour's current minute, or in it after the current array moved on: out of order.
      if (offset < this.minute || (offset === this.minute && this.current === null)) {
        addTo((this.late ??= new Map()), offset * BIN_KEYS + bin, n);
        return;
      }
      this.finishMinute();
      this.minute = offset;
      this.current = this.store.currentFor(this);
    }
    if (this.current[bin] === 0) this.touched.push(bin);
    this.current[bin] += n;
  }

  /** Gives the current-minute array back (the store hands it to another hour of the endpoint). */
  release(): void {
    this.finishMinute();
    this.current = null;
  }

  /** Moves the current minute's counts into the entries. */
  private finishMinute(): void {
    if (!this.touched.length || !this.current) return;
    this.touched.sort((a, b) => a - b);
    for (const b of this.touched) {
      this.hm.push(this.minute);
      this.hb.push(b);
      this.hc.push(this.current[b]);
      this.current[b] = 0;
    }
    this.touched = [];
  }

  /** Folds out-of-order requests into the entries (kept sorted by minute, then bin). */
  private settle(): void {
    this.release();
    // Anything added from now on is out of order, and settles again.
    this.minute = 60;
    if (!this.late) return;
    const all = this.late;
    this.hm.forEach((m, i) => addTo(all, m * BIN_KEYS + this.hb[i], this.hc[i]));
    const keys = [...all.keys()].sort((a, b) => a - b);
    this.hm = keys.map((k) => Math.floor(k / BIN_KEYS));
    this.hb = keys.map((k) => k % BIN_KEYS);
    this.hc = keys.map((k) => all.get(k)!);
    this.late = null;
  }

  /**
   * This hour plus a stored row of the same (endpoint, hour) and its caller-minute row (none for an
   * hour stored before that aggregate existed), as a new accumulator.
   */
  plus(row: EndpointHourRow, minutesRow?: CallerMinuteRow): HourAcc {
    this.settle();
    const out = new HourAcc(this.endpointId, this.hour, new AccStore(1));
    const pm = this.store.perMinute, outPm = out.store.perMinute;
    for (let i = 0; i < 180; i++) outPm[out.at + i] = pm[this.at + i];
    out.hm = [...this.hm];
    out.hb = [...this.hb];
    out.hc = [...this.hc];
    out.minute = 60;
    for (const [k, v] of this.callerRequests) out.callerRequests.set(k, v);
    if (this.callerRejected) out.callerRejected = new Map(this.callerRejected);
    if (this.callerErrors) out.callerErrors = new Map(this.callerErrors);
    out.callerMinutes = this.callerMinutes.plus(minutesRow);
    row.minutes.forEach((offset, i) => {
      outPm[out.at + offset * 3] += row.minute_requests[i];
      outPm[out.at + offset * 3 + 1] += row.minute_rejected[i];
      outPm[out.at + offset * 3 + 2] += row.minute_errors[i];
    });
    row.hist_minutes.forEach((offset, i) => out.addServed(offset, row.hist_bins[i], row.hist_counts[i]));
    row.callers.forEach((id, i) => {
      addTo(out.callerRequests, id, row.caller_requests[i]);
      if (row.caller_rejected[i]) addTo((out.callerRejected ??= new Map()), id, row.caller_rejected[i]);
      if (row.caller_errors[i]) addTo((out.callerErrors ??= new Map()), id, row.caller_errors[i]);
    });
    return out;
  }

  /** Renames a caller id, adding into the target's counts. */
  rename(from: number, to: number): void {
    for (const counts of [this.callerRequests, this.callerRejected, this.callerErrors]) {
      const n = counts?.get(from);
      if (n === undefined) continue;
      counts!.delete(from);
      addTo(counts!, to, n);
    }
    this.callerMinutes.rename(from, to);
  }

  /** The endpoint_caller_minutes row as COPY text (CALLER_MINUTE_COLUMNS). */
  callerMinutesLine(): string {
    return this.callerMinutes.line(this.endpointId, timestampText(this.hour));
  }

  /** The row as COPY text (HOUR_COLUMNS). */
  line(): string {
    this.settle();
    const minutes: number[] = [], req: number[] = [], rej: number[] = [], err: number[] = [], p99: (number | null)[] = [];
    const pm = this.store.perMinute;
    let k = 0;
    for (let offset = 0; offset < 60; offset++) {
      const n = pm[this.at + offset * 3];
      if (n === 0) continue;
      minutes.push(offset);
      req.push(n);
      rej.push(pm[this.at + offset * 3 + 1]);
      err.push(pm[this.at + offset * 3 + 2]);
      let nb = 0, served = 0;
      for (; k < this.hm.length && this.hm[k] === offset; k++, nb++) {
        scratchBins[nb] = this.hb[k];
        scratchCounts[nb] = this.hc[k];
        served += this.hc[k];
      }
      p99.push(served > 0 ? roundMs(sparseQuantile(scratchBins, scratchCounts, nb, served, 0.99)) : null);
    }
    const ids = [...this.callerRequests.keys()].sort((a, b) => a - b);
    const col = (m: Map<number, number> | null) => ids.map((id) => m?.get(id) ?? 0);
    return `${copyField(this.endpointId)}\t${timestampText(this.hour)}\t{${minutes}}\t{${req}}\t{${rej}}\t{${err}}\t{${p99.map((v) => v ?? "NULL")}}` +
      `\t{${this.hm}}\t{${this.hb}}\t{${this.hc}}\t{${ids}}\t{${col(this.callerRequests)}}\t{${col(this.callerRejected)}}\t{${col(this.callerErrors)}}\n`;
  }
}

function addTo(m: Map<number, number>, key: number, n: number): void {
  m.set(key, (m.get(key) ?? 0) + n);
}

/** "2026-12-07 08:00:00.000" (UTC, as the timestamp(3) columns hold it). */
export function timestampText(ms: number): string {
  return new Date(ms).toISOString().replace("T", " ").slice(0, 23);
}
