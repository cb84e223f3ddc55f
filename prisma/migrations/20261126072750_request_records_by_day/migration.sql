-- request_records partitioned by day, written by hand: Prisma's schema language has no partitions or
-- INCLUDE columns. The result is exactly prisma/hand-tuned.sql (the drift test checks it); the rows
-- move into one partition per day they cover.
--
-- Why: ingest was bound by index maintenance. Per-day partitions keep each index small, let a
-- first import load a day unindexed and index it once (lib/sync/analytics/partitions.ts), and let
-- every time-ranged query prune to its days. The id column goes (nothing needs it: (ts, source_id)
-- is unique and pages the call trail), and so do the (identity_id, ts) index (identity is derived
-- from the key, whose index finds a person's calls) and the (ts) index (the primary key leads with ts).

ALTER TABLE "request_records" RENAME TO "request_records_unpartitioned";
ALTER TABLE "request_records_unpartitioned" DROP CONSTRAINT "request_records_pkey";
DROP INDEX "request_records_endpoint_ts_covering_idx";
DROP INDEX "request_records_key_hash_ts_idx";
DROP INDEX "request_records_identity_id_ts_idx";
DROP INDEX "request_records_ts_idx";
-- PostgreSQL 18 names NOT NULL constraints after the table; free the names for the new table.
ALTER TABLE "request_records_unpartitioned" ALTER COLUMN "source_id" DROP NOT NULL, ALTER COLUMN "ts" DROP NOT NULL,
  ALTER COLUMN "api_id" DROP NOT NULL, ALTER COLUMN "method" DROP NOT NULL, ALTER COLUMN "path" DROP NOT NULL,
  ALTER COLUMN "status" DROP NOT NULL, ALTER COLUMN "latency_ms" DROP NOT NULL;

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

DO $$
DECLARE d date;
BEGIN
  FOR d IN SELECT DISTINCT ts::date FROM "request_records_unpartitioned" LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF "request_records" FOR VALUES FROM (%L) TO (%L)',
                   'request_records_p' || to_char(d, 'YYYYMMDD'), d::timestamp, (d + 1)::timestamp);
  END LOOP;
END $$;

-- Before the indexes: building them once over the moved rows is cheaper than maintaining them.
-- DISTINCT ON: the old table did not enforce (ts, source_id) uniqueness.
INSERT INTO "request_records"
SELECT DISTINCT ON ("ts", "source_id") "source_id", "ts", "endpoint_id", "api_id", "method", "path", "status", "latency_ms",
       "upstream_ms", "key_hash", "identity_id", "oauth_client_id", "policy_ids", "trace_id"
  FROM "request_records_unpartitioned";

DROP TABLE "request_records_unpartitioned";

CREATE INDEX "request_records_endpoint_ts_covering_idx" ON "request_records"("endpoint_id", "ts")
    INCLUDE ("latency_ms", "status", "key_hash", "identity_id", "oauth_client_id", "policy_ids");

CREATE INDEX "request_records_key_hash_ts_idx" ON "request_records"("key_hash", "ts");
