// request_samples: the investigation's weighted sample (rows of weight > 0, sampler.ts) of days past
// the raw horizon — moved there by retention as a day's partition is dropped, and written there by a
// first sync's backfill of days already past it.

const SAMPLE_COLUMNS = "source_id, ts, endpoint_id, status, latency_ms, upstream_ms, caller_id, trace_id, weight";

/**
 * The statement copying the sample rows of a table shaped like request_records (`table`, an escaped
 * identifier) into request_samples; `and` narrows it further. A row already there (a re-read) is skipped.
 */
export const keepSampleSql = (table: string, and = "") =>
  `INSERT INTO request_samples (${SAMPLE_COLUMNS}) SELECT ${SAMPLE_COLUMNS} FROM ${table}
   WHERE weight > 0 AND endpoint_id IS NOT NULL ${and} ON CONFLICT DO NOTHING`;
