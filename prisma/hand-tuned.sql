-- Storage that schema.prisma cannot express, for a database created from the schema alone (the
-- drift test applies it after the from-empty SQL; migrations 20261126072750_request_records_by_day,
-- 20261126100329_request_callers, 20261126131500_traced_requests_index,
-- 20261207113000_covering_upstream and 20261207113001_request_sample reach the same shape from
-- the previous ones, data included).
-- Keep them in step.
--
-- request_records is partitioned by day on ts (lib/sync/analytics/partitions.ts creates the day
-- partitions, request_records_pYYYYMMDD; the DEFAULT partition catches rows written without one), and
-- the investigation's partial covering index holds the weighted sample (weight > 0) with its payload
-- as INCLUDE columns. Who called is one
-- integer, request_callers.id, whose four columns are unique together, nulls included.
DROP TABLE "request_records";

CREATE TABLE "request_records" (
    "source_id" BIGINT NOT NULL,
    "ts" TIMESTAMP(3) NOT NULL,
    "endpoint_id" TEXT,
    "api_id" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "latency_ms" INTEGER NOT NULL,
    "upstream_ms" INTEGER,
    "caller_id" INTEGER NOT NULL,
    "trace_id" TEXT,
    "weight" SMALLINT NOT NULL DEFAULT 1,

    CONSTRAINT "request_records_pkey" PRIMARY KEY ("ts","source_id")
) PARTITION BY RANGE ("ts");

CREATE TABLE "request_records_default" PARTITION OF "request_records" DEFAULT;

CREATE INDEX "request_records_endpoint_id_ts_idx" ON "request_records"("endpoint_id", "ts");

CREATE INDEX "request_records_sample_idx" ON "request_records"("endpoint_id", "ts")
    INCLUDE ("latency_ms", "status", "caller_id", "upstream_ms", "weight") WHERE "weight" > 0;

CREATE INDEX "request_records_caller_id_ts_idx" ON "request_records"("caller_id", "ts");

-- Traced requests only (migration 20261126131500_traced_requests_index): an endpoint's slowest traced
-- requests per caller, for exemplar traces, without reading the window's other requests.
CREATE INDEX "request_records_traced_idx" ON "request_records"("endpoint_id", "ts")
    INCLUDE ("caller_id", "latency_ms", "trace_id") WHERE "trace_id" IS NOT NULL;

ALTER TABLE "request_callers" ALTER COLUMN "policy_ids" SET NOT NULL;

CREATE UNIQUE INDEX "request_callers_tuple_key" ON "request_callers"("key_hash", "identity_id", "oauth_client_id", "policy_ids")
    NULLS NOT DISTINCT;

-- audit_events is append-only (migration 20261207075812_audit_keyed_append_only): UPDATE, DELETE and
-- TRUNCATE are refused by a trigger.
CREATE FUNCTION "audit_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "audit_events_no_update_delete" BEFORE UPDATE OR DELETE ON "audit_events"
    FOR EACH ROW EXECUTE FUNCTION "audit_events_append_only"();

CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events"
    FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_append_only"();
