/**
 * The investigation's latency sample, written at ingest as request_records.weight. Every request
 * stays a row (the call trail and per-request views read them all); the weight says how many
 * requests of the investigation's histograms the row stands for, and rows of weight 0 stay out of
 * its index (request_records_sample_idx), so its cost follows caller-minutes, not requests.
 *
 * On an endpoint with `rate` R ≥ 2 (its requests per second, from its last hour): a row whose
 * latency bin reaches `tailBin` (the endpoint's recent p99) keeps weight 1 — the tail p99
 * attribution rests on stays exact. The others form groups per (block of `span` minutes, caller,
 * kind: rejected by the gateway, served 5xx, served otherwise) of up to R rows: the group's first
 * row carries the group's size, the rest weight 0. So the sum of weights of any (block, caller)
 * and kind is its exact count — served, rejected and error counts stay exact per block (per minute
 * with span 1), the latencies below the tail are represented by one row in R, and a caller's
 * requests of a block count at the minutes its groups started.
 *
 * Rows arrive in timestamp order: a group's first row is held until the group is full or its
 * block has ended, and written then with its weight.
 */
import { latencyBin } from "@/lib/analysis/histogram";
import { isGatewayRejection } from "@/lib/analysis/rejections";

export interface EndpointSampling {
  /** Rows per group (≥ 2; an endpoint below 2 req/s is not sampled). */
  rate: number;
  /** Minutes a group may span: groups close at the end of each block of this many minutes (UTC-aligned). */
  span: number;
  /** Latency bins from this one up are kept whole (weight 1). */
  tailBin: number;
}

/** Endpoint id → its sampling; endpoints absent keep weight 1 on every row. */
export type SamplingPlan = Map<string, EndpointSampling>;

/** The most rows one group stands for: weight is a smallint. */
export const MAX_RATE = 10_000;

/** What to do with a row: write it now with this weight (≥ 0), or HOLD it (its weight comes later). */
export const HOLD = -1;

interface Group {
  line: Buffer | null;
  weight: number;
  /** The minute its block ends (exclusive, epoch ms). */
  ends: number;
}

const MINUTE = 60_000;

const KINDS = 3;

export class RecordSampler {
  private minute = Number.NEGATIVE_INFINITY;
  private readonly open = new Map<string, Map<number, Group>>();
  private holding: Group | null = null;
  /** Rows written with weight 0. */
  skipped = 0;

  constructor(private readonly plan: SamplingPlan) {}

  /**
   * The weight of a new row (or HOLD: pass its line, without weight and newline, to hold()).
   * `emit` receives the held lines of groups this row completes, with their weights.
   */
  weigh(endpointId: string | null, minute: number, callerId: number, status: number, upstreamMs: number | null, latencyMs: number,
    emit: (line: Buffer, weight: number) => void): number {
    if (minute > this.minute) {
      this.closeBefore(minute, emit);
      this.minute = minute;
    }
    const s = endpointId === null ? undefined : this.plan.get(endpointId);
    if (!s) return 1;
    const rejected = isGatewayRejection(status, upstreamMs);
    if (!rejected && latencyBin(latencyMs) >= s.tailBin) return 1;
    let groups = this.open.get(endpointId!);
    if (!groups) this.open.set(endpointId!, (groups = new Map()));
    const id = callerId * KINDS + (rejected ? 0 : status >= 500 ? 1 : 2);
    const g = groups.get(id);
    if (g && g.line) {
      g.weight++;
      if (g.weight >= s.rate) {
        emit(g.line, g.weight);
        groups.delete(id);
      }
      this.skipped++;
      return 0;
    }
    const block = s.span * MINUTE;
    const fresh: Group = { line: null, weight: 1, ends: minute - (minute % block) + block };
    groups.set(id, fresh);
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

  /** Writes the open groups whose block ends by `minute`. */
  private closeBefore(minute: number, emit: (line: Buffer, weight: number) => void): void {
    for (const groups of this.open.values()) {
      for (const [id, g] of groups) {
        if (g.ends > minute) continue;
        if (g.line) emit(g.line, g.weight);
        groups.delete(id);
      }
    }
  }
}
