-- The investigation's latency sample (lib/sync/analytics/sampler.ts): every request stays a row
-- (call trail, per-request views), each carries how many requests of its (minute, caller, kind)
-- it stands for. Rows of weight 0 leave the investigation's index: on a busy endpoint it holds
-- about one row per caller-minute instead of one per request. The endpoint's full index keeps
-- only (endpoint_id, ts) for the call trail. prisma/hand-tuned.sql has the same indexes.
ALTER TABLE "request_records" ADD COLUMN "weight" SMALLINT NOT NULL DEFAULT 1;

DROP INDEX "request_records_endpoint_ts_covering_idx";

CREATE INDEX "request_records_endpoint_id_ts_idx" ON "request_records"("endpoint_id", "ts");

CREATE INDEX "request_records_sample_idx" ON "request_records"("endpoint_id", "ts")
    INCLUDE ("latency_ms", "status", "caller_id", "upstream_ms", "weight") WHERE "weight" > 0;

-- Days still loading (detached request_records_load_YYYYMMDD, see partitions.ts) take the column
-- too, last as in the parent: ATTACH and the DEFAULT hand-over copy whole rows.
DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT relname::text FROM pg_class WHERE relkind = 'r' AND relname ~ '^request_records_load_[0-9]{8}$'
             AND relnamespace = current_schema()::regnamespace LOOP
    EXECUTE format('ALTER TABLE %I ADD COLUMN "weight" SMALLINT NOT NULL DEFAULT 1', t);
  END LOOP;
END $$;
