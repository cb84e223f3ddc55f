// Data contract of the attribution engine. All times are epoch milliseconds; all latencies are
// milliseconds. Nothing here touches a database: the SQL layer fills these shapes.

export type PercentileName = "p50" | "p95" | "p99";

/** One minute of an endpoint's latency (from the trace backend). Missing minutes are simply absent. */
export interface LatencyPoint {
  /** Start of the minute, epoch ms. */
  ts: number;
  /** Milliseconds; null when the minute had no spans. */
  p50: number | null;
  p95: number | null;
  p99: number | null;
  count: number;
  errors: number;
}

export interface TimeWindow {
  /** inclusive */
  from: number;
  /** exclusive */
  to: number;
}

export interface SpikeFound {
  kind: "spike";
  metric: PercentileName;
  /** First bucket of the shift (CUSUM change-point estimate), not the first alarm. */
  start: number;
  /** Bucket at which the CUSUM crossed its threshold. */
  alarmAt: number;
  peak: number;
  peakValue: number;
  /** Baseline level and spread (1.4826·MAD) in ms at the start, from data before it. */
  baseline: { level: number; spread: number; seasonal: boolean };
  /** peakValue / baseline.level */
  magnitude: number;
  /** Median of the metric over the spike divided by the baseline level (robust "how much worse"). */
  sustainedRatio: number;
  /** Last bucket of the spike; absent while it is still going on at the end of the series. */
  end?: number;
}

export interface NoSpike {
  kind: "none";
  reason: string;
}

export type SpikeResult = SpikeFound | NoSpike;

/**
 * A bounded request sample (the SQL side caps each window at ~50k rows). `weight` is how many real
 * requests this row stands for (1/sampling rate); rates and shares use it, so stratified sampling
 * (e.g. keeping every request of rare callers and 1 in 20 of a flood) stays unbiased.
 */
export interface RequestSample {
  ts: number;
  latencyMs: number;
  status: number;
  keyHash: string | null;
  identityId: string | null;
  /** The key's policies as they were at request time. */
  policyIds: string[];
  oauthClientId: string | null;
  weight?: number;
}

/**
 * Requests of one caller combination in one minute, as a sparse log-bucketed latency histogram
 * (bin = latencyBin(ms), see histogram.ts and LATENCY_BIN_SQL). This is what the SQL layer can
 * produce with one GROUP BY over millions of rows; requests can be turned into cells with
 * cellsFromRequests. Counts may be fractional (weighted samples).
 */
export interface TrafficCell {
  minute: number;
  /** The SQL layer's id of the (key, identity, client, policies) tuple, when it stores one (request_callers). */
  callerId?: number;
  keyHash: string | null;
  identityId: string | null;
  oauthClientId: string | null;
  policyIds: string[];
  count: number;
  errors: number;
  bins: number[];
  binCounts: number[];
}

export type AccessChangeKind = "policy" | "key" | "api" | "oauth_client";

/** Tyk style rate limit: `rate` requests per `per` seconds. */
export interface RateLimit {
  rate: number;
  per: number;
}

export interface AccessChange {
  id: string;
  kind: AccessChangeKind;
  /** create | update | delete | rotate | revoke */
  action: string;
  targetId: string;
  label: string;
  actor: string | null;
  changedAt: number;
  /** "first_seen" means changedAt is only an upper bound (when a sync noticed it). */
  timeSource: "audit" | "first_seen";
  diff: { path: string; before: unknown; after: unknown }[];
  apiIds: string[];
  keyHashes: string[];
  /** Normalised limits from the version snapshots, when the SQL layer has them; else parsed from diff. */
  limitBefore?: RateLimit;
  limitAfter?: RateLimit;
}

export type GroupKind = "key" | "identity" | "policy" | "oauth_client";

/** How one caller group's traffic differs between the baseline B and the incident I. */
export interface TrafficShift {
  kind: GroupKind;
  id: string;
  requestsBefore: number;
  requestsAfter: number;
  ratePerMinBefore: number;
  ratePerMinAfter: number;
  p50Before: number | null;
  p50After: number | null;
  p99Before: number | null;
  p99After: number | null;
  errorsBefore: number;
  errorsAfter: number;
  /** Never seen in B. */
  new: boolean;
  firstSeenAfter: number | null;
}

export interface Touch {
  change: AccessChange;
  /** Made after the spike started: often the mitigation, not the cause. */
  afterSpikeStart: boolean;
  minutesBeforeStart: number;
  reachesBy: ("api" | "key" | "policy")[];
}

export interface Touches {
  changes: Touch[];
  shifts: readonly TrafficShift[];
}

export type SuspectKind = "access_change" | GroupKind;

export type Mechanism =
  | "own_latency"
  | "volume"
  | "noisy_neighbour"
  | "enabled_traffic"
  /** An API definition change after which callers alike slowed: inherits the slowdown part of Δ. */
  | "slowdown_after_change";

/** How a policy or key change relaxed access: rate/per, quota, or access to this API granted. */
export type Relaxation = "rate" | "quota" | "access";

/** What one key did after a relaxing change, the evidence that the change enabled its traffic. */
export interface EnabledKey {
  keyHash: string;
  label: string;
  /**
   * past_old_limit: its rate after the change exceeds the old limit, impossible before it (strongest);
   * started: no requests before the change, requests after it; surged: rate grew ≥ minSurge× after it.
   */
  evidence: "past_old_limit" | "started" | "surged";
  ratePerMinBefore: number;
  ratePerMinAfter: number;
  /** Minutes from the change to the key's first (or first surging) minute seen after it. */
  minutesAfterChange: number | null;
  /** e.g. "globex-batch (under partner-gold) started 5 min after the limit rose 100 → 2000/s". */
  detail: string;
}

export interface EnabledLink {
  changeId: string;
  /** The strongest evidence among the linked keys (past the old limit > started > surged). */
  reason:
    | "rate_past_old_limit"
    | "traffic_started_after_limit_raised"
    | "rate_rose_after_limit_raised"
    | "new_key"
    | "new_oauth_client"
    | "all_callers_slowed";
  keyHashes: string[];
  oldLimitPerMin?: number;
  newLimitPerMin?: number;
  /** For policy and key changes: how the change relaxed access ("limit raised" in the reasons means any of these). */
  relaxed?: Relaxation[];
  /** Per linked key, strongest evidence first (policy and key changes). */
  keys?: EnabledKey[];
  /** One readable sentence, e.g. "globex-batch (under partner-gold) started 5 min after the limit rose 100 → 2000/s". */
  detail?: string;
}

export interface SuspectEvidence {
  requestsBefore: number;
  requestsAfter: number;
  ratePerMinBefore: number;
  ratePerMinAfter: number;
  p99Before: number | null;
  p99After: number | null;
  /** The endpoint's percentile over I without this suspect's requests. */
  p99Without: number | null;
  /** Removal share split: volume part = what reverting its rate to B's would remove. */
  volumeShare?: number;
  noisyNeighbour?: { slope: number; shareOfOthersExcess: number; minutes: number };
  enabledBy?: { changeId: string; label: string; reason: EnabledLink["reason"]; detail?: string }[];
  enables?: EnabledLink;
  diff?: AccessChange["diff"];
  afterSpikeStart?: boolean;
  /** Set when this group's share was discounted as victims of that noisy neighbour. */
  victimOfNeighbour?: string;
  /** false when the point estimate was too small to be worth resampling (p-value set to 1). */
  bootstrapped: boolean;
}

export interface Suspect {
  kind: SuspectKind;
  id: string;
  label: string;
  share: { point: number; lo: number; hi: number };
  pValue: number;
  qValue: number;
  significant: boolean;
  mechanism: Mechanism;
  evidence: SuspectEvidence;
  changedAt?: number;
  actor?: string | null;
}

export type Reading = "mix" | "slowdown" | "mixed";

export interface Verdict {
  verdict: "explained" | "unexplained";
  reading: Reading;
  summary: string;
  suspects: Suspect[];
  notSignificant: Suspect[];
  stats: {
    percentile: PercentileName;
    qBaseline: number | null;
    qIncident: number | null;
    delta: number | null;
    /** I re-weighted to B's caller volume shares (shift-share). */
    qReweighted: number | null;
    /** (qReweighted − qBaseline) / Δ: ~0 → mix, ~1 → slowdown. */
    slowdownFraction: number | null;
    requestsBaseline: number;
    requestsIncident: number;
    iterations: number;
    seed: number;
  };
}

export interface InvestigationResult {
  spike: SpikeResult;
  windows: { baseline: TimeWindow; incident: TimeWindow } | null;
  touches: Touches | null;
  verdict: Verdict | null;
}
