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
  /** Pump's latency_upstream; absent or null: none (a 401/403 without it is the gateway's own answer). */
  upstreamMs?: number | null;
  weight?: number;
}

/**
 * Requests of one caller combination in one minute, as a sparse log-bucketed latency histogram
 * (bin = latencyBin(ms), see histogram.ts and LATENCY_BIN_SQL). This is what the SQL layer can
 * produce with one GROUP BY over millions of rows; requests can be turned into cells with
 * cellsFromRequests. Counts may be fractional (weighted samples).
 *
 * Served and rejected requests are apart: a request Tyk answered itself with 429 or 403 (rate
 * limit, quota, access denied; see isGatewayRejection) never reached the upstream, so it is neither load
 * nor latency — it is counted in `rejected` only, never in `count` or the histogram.
 */
export interface TrafficCell {
  minute: number;
  /** The SQL layer's id of the (key, identity, client, policies) tuple, when it stores one (request_callers). */
  callerId?: number;
  keyHash: string | null;
  identityId: string | null;
  oauthClientId: string | null;
  policyIds: string[];
  /** Served requests (answered by the upstream): the histogram's total. */
  count: number;
  /** Served requests answered 5xx. */
  errors: number;
  /** Requests Tyk rejected itself (429/403); 0 when absent. */
  rejected?: number;
  bins: number[];
  binCounts: number[];
}

/**
 * What a change acted on. "deploy" is not an access change but a touch all the same: a new
 * service.version of the endpoint's upstream seen in the trace backend.
 */
export type AccessChangeKind = "policy" | "key" | "api" | "oauth_client" | "deploy";

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
  /**
   * "audit": the Dashboard's audit log dated it; "trace": the trace backend's first span of a new
   * service.version (to the minute); "first_seen": changedAt is only an upper bound (when a sync noticed it).
   */
  timeSource: "audit" | "first_seen" | "trace";
  diff: { path: string; before: unknown; after: unknown }[];
  apiIds: string[];
  keyHashes: string[];
  /** Normalised limits from the version snapshots, when the SQL layer has them; else parsed from diff. */
  limitBefore?: RateLimit;
  limitAfter?: RateLimit;
}

export type GroupKind = "key" | "identity" | "policy" | "oauth_client";

/** One key carried on by another (see lineage.ts). */
export interface Rotation {
  /** The key that stopped. */
  from: string;
  /** The key that carries its traffic on. */
  to: string;
  /** The new key's first minute seen (or the rotate change's time). */
  at: number;
  source: "rotate_change" | "same_identity" | "same_policies";
  changeId?: string;
}

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
  /** Requests Tyk rejected (429/403) in B and I: attempts, not load. */
  rejectedBefore: number;
  rejectedAfter: number;
  /** Never seen in B. */
  new: boolean;
  firstSeenAfter: number | null;
}

export interface Touch {
  change: AccessChange;
  /** Made after the spike started: often the mitigation, not the cause. */
  afterSpikeStart: boolean;
  minutesBeforeStart: number;
  /** "service": a deploy of the endpoint's upstream service. */
  reachesBy: ("api" | "key" | "policy" | "service")[];
}

export interface Touches {
  changes: Touch[];
  shifts: readonly TrafficShift[];
}

/** "user_type": callers of one user type (lib/anomalies) whose anomaly overlaps the incident (type-candidates.ts). */
export type SuspectKind = "access_change" | "deploy" | GroupKind | "user_type";

/** A user type's anomaly on the endpoint in an hour overlapping the incident window (lib/anomalies). */
export interface TypeAnomaly {
  /** volume | error_rate | p99 */
  metric: string;
  /** Start of the anomalous hour. */
  hour: number;
  baseline: number;
  observed: number;
  /** observed / baseline (null when the baseline is 0). */
  factor: number | null;
}

/** A user type to test as a suspect: the keys of its callers, and the anomaly that makes it a candidate. */
export interface UserTypeInput {
  /** e.g. "policy:partner-gold", "kind:service". */
  id: string;
  label: string;
  keyHashes: string[];
  anomaly: TypeAnomaly;
}

export type Mechanism =
  | "own_latency"
  | "volume"
  | "noisy_neighbour"
  | "enabled_traffic"
  /** An API definition change or a deploy after which callers alike slowed: inherits the slowdown part of Δ. */
  | "slowdown_after_change";

/**
 * How a change relaxed access: rate/per, quota, or access to this API granted (policies and keys);
 * the API's own limit (global_rate_limit, disable_rate_limit, OAS upstream.rateLimit) or this
 * endpoint's rate limit raised or removed (API definitions).
 */
export type Relaxation = "rate" | "quota" | "access" | "api_limit" | "endpoint_limit";

/** What one key did after a relaxing change, the evidence that the change enabled its traffic. */
export interface EnabledKey {
  keyHash: string;
  label: string;
  /**
   * rejections_stopped: Tyk answered most of its attempts 429/403 before the change and served them
   * after it (strongest: the gateway itself shows the change letting the traffic through, whatever
   * the diff says); past_old_limit: its rate after the change exceeds the old limit, impossible
   * before it; started: no requests before the change, requests after it; surged: rate grew ≥
   * minSurge× after it.
   */
  evidence: "rejections_stopped" | "past_old_limit" | "started" | "surged";
  /** Served requests per minute before and after the change. */
  ratePerMinBefore: number;
  ratePerMinAfter: number;
  /** Share of its attempts Tyk rejected before and after the change (rejections_stopped). */
  rejectedShareBefore?: number;
  rejectedShareAfter?: number;
  /** Minutes from the change to the key's first (or first surging) minute seen after it. */
  minutesAfterChange: number | null;
  /** e.g. "globex-batch (under partner-gold) started 5 min after the limit rose 100 → 2000/s". */
  detail: string;
}

export interface EnabledLink {
  changeId: string;
  /** The strongest evidence among the linked keys (past the old limit > started > surged). */
  reason:
    | "rejections_stopped_after_change"
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
  /** Served requests in B and I (a change: of the keys it enabled). */
  requestsBefore: number;
  requestsAfter: number;
  /** Requests Tyk rejected itself (429/403) in B and I. */
  rejectedBefore: number;
  rejectedAfter: number;
  ratePerMinBefore: number;
  ratePerMinAfter: number;
  p99Before: number | null;
  p99After: number | null;
  /**
   * The endpoint's percentile over I without this suspect, by its mechanism (`counterfactual`): its
   * requests removed, its load removed (a noisy neighbour: as the others' latency-vs-its-rate
   * regression predicts), or the slowdown undone (a change that slowed callers alike). A positive
   * share always comes with p99Without < p99With (checked on every answer).
   */
  p99Without: number | null;
  counterfactual?: "requests_removed" | "load_removed" | "slowdown_undone";
  /** A key's earlier keys (rotations): their requests are counted as this key's. */
  rotatedFrom?: { keyHash: string; at: number; source: "rotate_change" | "same_identity" | "same_policies" }[];
  /**
   * A caller group that earns its share through one member (a policy through one key): the member
   * ranks first and names the group here, with what the group's other members add.
   */
  within?: { kind: GroupKind | "user_type"; id: string; label: string; share: number; othersAdd: number; otherKeys: number };
  /** Removal share split: volume part = what reverting its rate to B's would remove. */
  volumeShare?: number;
  noisyNeighbour?: { slope: number; shareOfOthersExcess: number; minutes: number };
  enabledBy?: { changeId: string; label: string; reason: EnabledLink["reason"]; detail?: string }[];
  enables?: EnabledLink;
  diff?: AccessChange["diff"];
  afterSpikeStart?: boolean;
  /** Set when this group's share was discounted as victims of that noisy neighbour. */
  victimOfNeighbour?: string;
  /** A user type suspect: the anomaly that made it a candidate. */
  anomaly?: TypeAnomaly;
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

/** What else changed at the spike's start: the pointers of a verdict no suspect explains. */
export interface VerdictContext {
  /** Share of the volume of callers present in both windows whose own latency rose, and their typical (median) slowdown factor. */
  callersSlowed: { fraction: number; factor: number | null };
  /** Served and rejected requests per minute in B and I. */
  load: { ratePerMinBefore: number; ratePerMinAfter: number; rejectedPerMinBefore: number; rejectedPerMinAfter: number };
  /** 5xx share of served requests in B and I. */
  errorRate: { before: number; after: number };
  /** Deploys of the endpoint's upstream near the spike's start (trace backend). */
  deploys: { id: string; label: string; at: number; minutesFromStart: number }[];
  /** The upstream's own and the gateway's own p99 (Pump's latency_upstream and the rest), when the SQL layer has them. */
  latencySplit?: LatencySplit;
}

/** p99 of the upstream's own time and of the gateway's own time, in B and I (ms). */
export interface LatencySplit {
  upstreamBefore: number | null;
  upstreamAfter: number | null;
  gatewayBefore: number | null;
  gatewayAfter: number | null;
}

export interface Verdict {
  verdict: "explained" | "unexplained";
  reading: Reading;
  summary: string;
  suspects: Suspect[];
  notSignificant: Suspect[];
  /** What else changed at the spike's start (always filled; the summary uses it when nothing is significant). */
  context: VerdictContext | null;
  stats: {
    percentile: PercentileName;
    qBaseline: number | null;
    qIncident: number | null;
    delta: number | null;
    /** I re-weighted to B's caller volume shares (shift-share). */
    qReweighted: number | null;
    /** (qReweighted − qBaseline) / Δ: ~0 → mix, ~1 → slowdown. */
    slowdownFraction: number | null;
    /** Served requests; rejected ones apart. */
    requestsBaseline: number;
    requestsIncident: number;
    rejectedBaseline: number;
    rejectedIncident: number;
    iterations: number;
    seed: number;
    /** Candidates whose share contradicted their own evidence and was set to 0 (invariants.ts); 0 on a sound answer. */
    consistencyFixes: number;
  };
}

export interface InvestigationResult {
  spike: SpikeResult;
  windows: { baseline: TimeWindow; incident: TimeWindow } | null;
  touches: Touches | null;
  verdict: Verdict | null;
  /** Rotations the traffic and the changes show (rotated-away keys' requests are counted under their successors). */
  rotations: Rotation[];
}
