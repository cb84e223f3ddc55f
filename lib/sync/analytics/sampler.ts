/**
 * The investigation's latency sample, written at ingest as request_records.weight. Every request
 * stays a row (the call trail and per-request views read them all); the weight says how many
 * requests of the investigation's histograms the row stands for, and rows of weight 0 stay out of
 * its index (request_records_sample_idx), so its cost follows callers × blocks of minutes and the
 * tail, not requests.
 *
 * On an endpoint with a rate R ≥ 2 (its requests per second: over the previous minute of the rows
 * read, or before that minute ends its last aggregated hour's), rows form groups of up to R rows:
 * the group's first row carries the group's size, the rest weight 0.
 * - A row whose latency bin reaches the tail bin (the endpoint's p99 over its last aggregated day,
 *   or, without one, over the rows read so far once there are enough) groups per (minute, caller,
 *   kind, latency bin): the investigation reads exactly (minute, caller, bin) cells, so the tail p99
 *   attribution rests on stays exact, while a caller flooding slow requests — a spike's usual
 *   culprit — costs a row per bin a minute instead of a row per request.
 * - The others group per (block of `span` minutes, caller, kind: rejected by the gateway, served
 *   5xx, served otherwise): the latencies below the tail are represented by one row in R, and a
 *   caller's requests of a block count at the minutes its groups started.
 * So the sum of weights of any (block, caller) and kind is its exact count — served, rejected and
 * error counts stay exact per block (per minute with span 1).
 *
 * Rows arrive in timestamp order: a group's first row is held until the group is full or its
 * block has ended, and written then with its weight.
 */
import { BIN_COUNT, latencyBin } from "@/lib/analysis/histogram";
import { isGatewayRejection } from "@/lib/analysis/rejections";

// Another module's export is read through a getter call under tsx (which runs the sync) and the
// bundlers: the per-row code reads module-local copies.
const binOf = latencyBin, isRejection = isGatewayRejection;

/** What the stored hour aggregates say of an endpoint (sampling-plan.ts). */
export interface EndpointSampling {
  /** Requests per second over its last aggregated hour. */
  rate: number;
  /** The bin of its served requests' p99 over its last aggregated day. */
  tailBin: number;
}

/** Endpoint id → what the stored aggregates say of it; endpoints absent start unsampled. */
export type SamplingPlan = Map<string, EndpointSampling>;

/** The most rows one group stands for: weight is a smallint. */
export const MAX_RATE = 10_000;
/** Endpoints below this many requests per second keep every row at weight 1. */
export const MIN_SAMPLED_RATE = 2;
/** The tail kept at the investigation's full resolution, (minute, caller, bin): from the bin of this quantile up. */
export const TAIL_QUANTILE = 0.99;
/**
 * Minutes a group may span by default. With 1, counts stay exact per caller-minute but a caller
 * with fewer than R requests a minute still costs a row a minute: at 10 req/s over 600 callers
 * that kept 59 % of the rows, with 10 it kept 26 % and the answer stayed the same (0.1-point
 * largest share deviation; docs/performance-history.md).
 */
export const SAMPLE_SPAN_MINUTES = 10;
/** Served rows read before an endpoint without a stored day takes its tail from them. */
const STREAM_TAIL_ROWS = 2000;

/** What to do with a row: write it now with this weight (≥ 0), or HOLD it (its weight comes later). */
export const HOLD = -1;

interface Group {
  line: Buffer | null;
  weight: number;
  /** The minute its block ends (exclusive, epoch ms). */
  ends: number;
}

class EndpointState {
  /** Rows read in the current minute. */
  rows = 0;
  rate: number;
  tailBin: number | null;
  /** Served latencies read, by bin, while no stored tail is known. */
  readonly hist: Uint32Array | null;
  served = 0;
  readonly groups = new Map<number, Group>();

  constructor(hint: EndpointSampling | undefined) {
    this.rate = hint?.rate ?? 0;
    this.tailBin = hint?.tailBin ?? null;
    this.hist = hint ? null : new Uint32Array(BIN_COUNT);
  }

  /** A minute has ended: its rows give the rate; without a stored tail, the rows so far give it. */
  endMinute(): void {
    this.rate = Math.min(MAX_RATE, Math.floor(this.rows / 60));
    this.rows = 0;
    if (this.hist && this.served >= STREAM_TAIL_ROWS) {
      let below = 0;
      for (let b = 0; b < BIN_COUNT; b++) if ((below += this.hist[b]) >= TAIL_QUANTILE * this.served) { this.tailBin = b; break; }
    }
  }
}

const MINUTE = 60_000;
const KINDS = 3;

export class RecordSampler {
  private minute = Number.NEGATIVE_INFINITY;
  private readonly states = new Map<string, EndpointState>();
  private lastId: string | null = null;
  private last: EndpointState | null = null;
  private holding: Group | null = null;
  /** Rows written with weight 0. */
  skipped = 0;

  /** `span`: minutes a group may span (its block; UTC-aligned). */
  constructor(private readonly plan: SamplingPlan, private readonly span = SAMPLE_SPAN_MINUTES) {}

  /**
   * The weight of a new row (or HOLD: pass its line, without weight and newline, to hold()).
   * `emit` receives the held lines of groups completed meanwhile, with their weights.
   */
  weigh(endpointId: string | null, minute: number, callerId: number, status: number, upstreamMs: number | null, latencyMs: number,
    emit: (line: Buffer, weight: number) => void): number {
    if (minute > this.minute) {
      for (const st of this.states.values()) st.endMinute();
      this.closeBefore(minute, emit);
      this.minute = minute;
    }
    if (endpointId === null) return 1;
    const st = this.stateOf(endpointId);
    st.rows++;
    const rejected = isRejection(status, upstreamMs);
    const bin = rejected ? -1 : binOf(latencyMs);
    if (st.hist && !rejected) {
      st.hist[bin]++;
      st.served++;
    }
    if (st.rate < MIN_SAMPLED_RATE || st.tailBin === null) return 1;
    const kind = callerId * KINDS + (rejected ? 0 : status >= 500 ? 1 : 2);
    // Tail groups get ids below zero (one per bin), the others their (caller, kind) id.
    const tail = bin >= st.tailBin;
    const id = tail ? -(kind * BIN_COUNT + bin) - 1 : kind;
    const g = st.groups.get(id);
    if (g && g.line) {
      g.weight++;
      if (g.weight >= st.rate) {
        emit(g.line, g.weight);
        st.groups.delete(id);
      }
      this.skipped++;
      return 0;
    }
    const block = tail ? MINUTE : this.span * MINUTE;
    const fresh: Group = { line: null, weight: 1, ends: minute - (minute % block) + block };
    st.groups.set(id, fresh);
    this.holding = fresh;
    return HOLD;
  }

  /** The line of the row weigh() answered HOLD for. */
  hold(line: Buffer): void {
    if (!this.holding) throw new Error("RecordSampler.hold: no row to hold");
    this.holding.line = line;
    this.holding = null;
  }

  /** Writes every open group (end of input). */
  flush(emit: (line: Buffer, weight: number) => void): void {
    this.closeBefore(Number.POSITIVE_INFINITY, emit);
  }

  private stateOf(endpointId: string): EndpointState {
    if (this.lastId === endpointId) return this.last!;
    let st = this.states.get(endpointId);
    if (!st) this.states.set(endpointId, (st = new EndpointState(this.plan.get(endpointId))));
    this.lastId = endpointId;
    this.last = st;
    return st;
  }

  /** Writes the open groups whose block ends by `minute`. */
  private closeBefore(minute: number, emit: (line: Buffer, weight: number) => void): void {
    for (const st of this.states.values()) {
      for (const [id, g] of st.groups) {
        if (g.ends > minute) continue;
        if (g.line) emit(g.line, g.weight);
        st.groups.delete(id);
      }
    }
  }
}
