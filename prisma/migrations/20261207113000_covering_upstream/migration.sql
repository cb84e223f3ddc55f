-- The investigation tells requests Tyk rejected itself (429, or 401/403 without upstream time) from
-- served ones by status and upstream_ms (lib/analysis/rejections.ts), as ingest's hour aggregates
-- do: the covering index carries upstream_ms too, so its scan stays index-only. Declared on the
-- partitioned table, it is rebuilt on every partition. prisma/hand-tuned.sql has the same index.
DROP INDEX "request_records_endpoint_ts_covering_idx";

CREATE INDEX "request_records_endpoint_ts_covering_idx" ON "request_records"("endpoint_id", "ts")
    INCLUDE ("latency_ms", "status", "caller_id", "upstream_ms");
