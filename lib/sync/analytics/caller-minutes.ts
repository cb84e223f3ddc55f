/**
 * One endpoint-hour's requests per (minute, caller) for endpoint_caller_minutes, accumulated by
 * HourAcc beside its per-minute counts at the cost of one typed-array append per request: rows
 * arrive in time order, so the current minute's requests are just their caller ids, sorted and
 * counted when the next minute starts. The few requests that come out of order (look-back re-reads,
 * a stored row being merged, a renamed caller) go into a map keyed by (minute, caller) and are
 * folded in at the end.
 */
import { copyField } from "./transform";

/** endpoint_caller_minutes as the pg driver returns it (`hour` as epoch ms). */
export interface CallerMinuteRow {
  endpoint_id: string;
  hour: number;
  minutes: number[];
  caller_ids: number[];
  caller_counts: number[];
}

/** endpoint_caller_minutes' columns, in the order line() writes them. */
export const CALLER_MINUTE_COLUMNS = ["endpoint_id", "hour", "minutes", "caller_ids", "caller_counts"];

/** The columns the merge reads back, with `hour` as epoch ms. */
export const STORED_CALLER_MINUTE_COLUMNS = `endpoint_id, (extract(epoch FROM hour) * 1000)::float8 AS hour, minutes, caller_ids, caller_counts`;

// A (minute, caller) map key: minute × CALLER_KEYS + caller id (int4 ids, positive), so that keys
// sort by minute, then caller.
const CALLER_KEYS = 2 ** 31;

export class CallerMinutes {
  private minute = -1;
  /** The current minute's requests' caller ids (the first `used`), in arrival order. */
  private current = new Int32Array(8);
  private used = 0;
  // Finished minutes' entries, by minute then caller.
  private m: number[] = [];
  private c: number[] = [];
  private n: number[] = [];
  private late: Map<number, number> | null = null;

  add(offset: number, callerId: number, n: number): void {
    if (offset !== this.minute) {
      if (offset < this.minute || n !== 1) {
        addTo((this.late ??= new Map()), offset * CALLER_KEYS + callerId, n);
        return;
      }
      this.finishMinute();
      this.minute = offset;
    } else if (n !== 1) {
      addTo((this.late ??= new Map()), offset * CALLER_KEYS + callerId, n);
      return;
    }
    if (this.used === this.current.length) {
      const grown = new Int32Array(this.current.length * 2);
      grown.set(this.current);
      this.current = grown;
    }
    this.current[this.used++] = callerId;
  }

  private finishMinute(): void {
    if (!this.used) return;
    const ids = this.current.subarray(0, this.used).sort();
    for (let i = 0; i < ids.length; ) {
      let j = i + 1;
      while (j < ids.length && ids[j] === ids[i]) j++;
      this.m.push(this.minute);
      this.c.push(ids[i]);
      this.n.push(j - i);
      i = j;
    }
    this.used = 0;
  }

  /** Folds out-of-order requests into the entries; anything added from now on is out of order and settles again. */
  private settle(): void {
    this.finishMinute();
    this.minute = 60;
    if (!this.late) return;
    const all = this.late;
    this.late = null;
    this.m.forEach((m, i) => addTo(all, m * CALLER_KEYS + this.c[i], this.n[i]));
    this.setEntries(all);
  }

  private setEntries(all: Map<number, number>): void {
    const keys = [...all.keys()].sort((a, b) => a - b);
    this.m = keys.map((k) => Math.floor(k / CALLER_KEYS));
    this.c = keys.map((k) => k % CALLER_KEYS);
    this.n = keys.map((k) => all.get(k)!);
  }

  /** These entries plus a stored row's (none: an hour stored before this aggregate existed), as a new accumulator. */
  plus(row: CallerMinuteRow | undefined): CallerMinutes {
    this.settle();
    const out = new CallerMinutes();
    out.m = [...this.m];
    out.c = [...this.c];
    out.n = [...this.n];
    out.minute = 60;
    row?.minutes.forEach((offset, i) => out.add(offset, row.caller_ids[i], row.caller_counts[i]));
    return out;
  }

  /** Renames a caller id, adding into the target's counts. */
  rename(from: number, to: number): void {
    this.settle();
    if (!this.c.includes(from)) return;
    const all = new Map<number, number>();
    this.m.forEach((m, i) => addTo(all, m * CALLER_KEYS + (this.c[i] === from ? to : this.c[i]), this.n[i]));
    this.setEntries(all);
  }

  /** The row as COPY text (CALLER_MINUTE_COLUMNS); `hour` as timestamp text. */
  line(endpointId: string, hour: string): string {
    this.settle();
    return `${copyField(endpointId)}\t${hour}\t{${this.m}}\t{${this.c}}\t{${this.n}}\n`;
  }
}

function addTo(m: Map<number, number>, key: number, n: number): void {
  m.set(key, (m.get(key) ?? 0) + n);
}
