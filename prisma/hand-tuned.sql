-- Storage that schema.prisma cannot express, for a database created from the schema alone (the
-- drift test applies it after the from-empty SQL; migration 20261126072750_request_records_by_day
-- reaches the same shape from the previous one, data included). Keep the two in step.
--
-- request_records is partitioned by day on ts (lib/sync/analytics/partitions.ts creates the day
-- partitions, request_records_pYYYYMMDD; the DEFAULT partition catches rows written without one), and
-- its covering index carries the investigation's payload as INCLUDE columns.
DROP TABLE "request_records";

CREATE TABLE "request_records" (
    "source_id" TEXT NOT NULL,
    "ts" TIMESTAMP(3) NOT NULL,
    "endpoint_id" TEXT,
    "api_id" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "latency_ms" INTEGER NOT NULL,
    "upstream_ms" INTEGER,
    "key_hash" TEXT,
    "identity_id" TEXT,
    "oauth_client_id" TEXT,
    "policy_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "trace_id" TEXT,

    CONSTRAINT "request_records_pkey" PRIMARY KEY ("ts","source_id")
) PARTITION BY RANGE ("ts");

CREATE TABLE "request_records_default" PARTITION OF "request_records" DEFAULT;

CREATE INDEX "request_records_endpoint_ts_covering_idx" ON "request_records"("endpoint_id", "ts")
    INCLUDE ("latency_ms", "status", "key_hash", "identity_id", "oauth_client_id", "policy_ids");

CREATE INDEX "request_records_key_hash_ts_idx" ON "request_records"("key_hash", "ts");
