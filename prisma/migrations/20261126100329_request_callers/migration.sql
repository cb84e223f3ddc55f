-- A caller dictionary for request_records, written by hand: the rows carry data to convert, and the
-- partitioned table, its INCLUDE columns and the NULLS NOT DISTINCT unique index are beyond Prisma's
-- schema language. The result is exactly prisma/hand-tuned.sql (the drift test checks it).
--
-- Why: every row carried a 64-character key hash, identity id, OAuth client id and a text[] of
-- policy ids, the covering index INCLUDEd all four and a second index sorted the key hash, while a
-- busy day has only a few thousand distinct combinations. Each combination is now one
-- request_callers row and each request carries its int4 id; source_id becomes the int8 it always
-- was (a 64-bit hash, lib/sync/analytics/source-id.ts) instead of 16 hex digits.
--
-- Existing rows keep their partition (day or DEFAULT); a day still loading (a detached
-- request_records_load_YYYYMMDD, see partitions.ts) is converted in place and stays detached.

CREATE TABLE "request_callers" (
    "id" SERIAL NOT NULL,
    "key_hash" TEXT,
    "identity_id" TEXT,
    "oauth_client_id" TEXT,
    "policy_ids" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],

    CONSTRAINT "request_callers_pkey" PRIMARY KEY ("id")
);

-- Source ids: 16 hex digits (the current hash), 32 (the SHA-256 prefix ingest used before the
-- by-day migration: its first 64 bits) or anything a hand-made row holds (a hash of it).
CREATE FUNCTION pg_temp.tl_source_id(s text) RETURNS bigint LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN s ~* '^[0-9a-f]{16}$' THEN ('x' || s)::bit(64)::bigint
              WHEN s ~* '^[0-9a-f]{32}$' THEN ('x' || left(s, 16))::bit(64)::bigint
              ELSE ('x' || left(md5(s), 16))::bit(64)::bigint END $$;
-- One text per caller tuple, nulls told apart from values: a hash-joinable stand-in for
-- IS NOT DISTINCT FROM on four columns.
CREATE FUNCTION pg_temp.tl_sig(k text, i text, o text, p text[]) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT quote_nullable(k) || ',' || quote_nullable(i) || ',' || quote_nullable(o) || ',' || quote_nullable(p::text) $$;

-- Every distinct tuple, from the partitioned table (its days and DEFAULT) and the loading tables.
CREATE TEMP TABLE tl_tuples (key_hash text, identity_id text, oauth_client_id text, policy_ids text[], sig text, caller_id int);
DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT 'request_records' UNION ALL
           SELECT relname::text FROM pg_class WHERE relkind = 'r' AND relname ~ '^request_records_load_[0-9]{8}$'
             AND relnamespace = current_schema()::regnamespace LOOP
    EXECUTE format('INSERT INTO tl_tuples (key_hash, identity_id, oauth_client_id, policy_ids)
                    SELECT DISTINCT key_hash, identity_id, oauth_client_id, policy_ids FROM %I', t);
  END LOOP;
END $$;
CREATE TEMP TABLE tl_raw AS SELECT DISTINCT key_hash, identity_id, oauth_client_id, policy_ids FROM tl_tuples;
TRUNCATE tl_tuples;
INSERT INTO tl_tuples (key_hash, identity_id, oauth_client_id, policy_ids, sig)
  SELECT key_hash, identity_id, oauth_client_id, policy_ids, pg_temp.tl_sig(key_hash, identity_id, oauth_client_id, policy_ids)
  FROM tl_raw;
DROP TABLE tl_raw;

-- Policies sorted (byte order, as ingest sorts them) and deduplicated; none is '{}'.
INSERT INTO "request_callers" ("key_hash", "identity_id", "oauth_client_id", "policy_ids")
SELECT DISTINCT key_hash, identity_id, oauth_client_id,
       ARRAY(SELECT DISTINCT p COLLATE "C" FROM unnest(policy_ids) p WHERE p IS NOT NULL ORDER BY 1)
  FROM tl_tuples
 ORDER BY 1, 2, 3, 4;
UPDATE tl_tuples t SET caller_id = c.id
  FROM "request_callers" c
 WHERE pg_temp.tl_sig(c.key_hash, c.identity_id, c.oauth_client_id, c.policy_ids)
     = pg_temp.tl_sig(t.key_hash, t.identity_id, t.oauth_client_id,
                      ARRAY(SELECT DISTINCT p COLLATE "C" FROM unnest(t.policy_ids) p WHERE p IS NOT NULL ORDER BY 1));
CREATE UNIQUE INDEX ON tl_tuples (sig);
ANALYZE tl_tuples;

-- The old table, its days and DEFAULT step aside under other names; their constraint and index
-- names are freed for the new ones (PostgreSQL 18 names NOT NULL constraints after the table).
ALTER TABLE "request_records" DROP CONSTRAINT "request_records_pkey";
DROP INDEX "request_records_endpoint_ts_covering_idx";
DROP INDEX "request_records_key_hash_ts_idx";
ALTER TABLE "request_records" ALTER COLUMN "source_id" DROP NOT NULL, ALTER COLUMN "ts" DROP NOT NULL,
  ALTER COLUMN "api_id" DROP NOT NULL, ALTER COLUMN "method" DROP NOT NULL, ALTER COLUMN "path" DROP NOT NULL,
  ALTER COLUMN "status" DROP NOT NULL, ALTER COLUMN "latency_ms" DROP NOT NULL;
CREATE TEMP TABLE tl_days AS
  SELECT c.relname::text AS part, substr(c.relname, 18, 8) AS day
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
   WHERE i.inhparent = '"request_records"'::regclass AND c.relname ~ '^request_records_p[0-9]{8}$';
DO $$
DECLARE p text;
BEGIN
  FOR p IN SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = '"request_records"'::regclass LOOP
    EXECUTE format('ALTER TABLE %I RENAME TO %I', p, p || '_old');
  END LOOP;
END $$;
ALTER TABLE "request_records" RENAME TO "request_records_old";

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

    CONSTRAINT "request_records_pkey" PRIMARY KEY ("ts","source_id")
) PARTITION BY RANGE ("ts");

CREATE TABLE "request_records_default" PARTITION OF "request_records" DEFAULT;

DO $$
DECLARE d text;
BEGIN
  FOR d IN SELECT day FROM tl_days ORDER BY day LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF "request_records" FOR VALUES FROM (%L) TO (%L)',
                   'request_records_p' || d, to_date(d, 'YYYYMMDD')::timestamp, (to_date(d, 'YYYYMMDD') + 1)::timestamp);
  END LOOP;
END $$;

-- Before the indexes: building them once over the moved rows is cheaper than maintaining them.
-- DISTINCT ON: a source id that is not the current hash is shortened or hashed, and could collide.
INSERT INTO "request_records"
SELECT DISTINCT ON ("ts", "source_id") pg_temp.tl_source_id(r."source_id") AS "source_id", r."ts", r."endpoint_id", r."api_id",
       r."method", r."path", r."status", r."latency_ms", r."upstream_ms", t.caller_id, r."trace_id"
  FROM "request_records_old" r
  JOIN tl_tuples t ON t.sig = pg_temp.tl_sig(r."key_hash", r."identity_id", r."oauth_client_id", r."policy_ids");

DROP TABLE "request_records_old";

CREATE INDEX "request_records_endpoint_ts_covering_idx" ON "request_records"("endpoint_id", "ts")
    INCLUDE ("latency_ms", "status", "caller_id");

CREATE INDEX "request_records_caller_id_ts_idx" ON "request_records"("caller_id", "ts");

-- Days still loading: rebuilt in the new shape (column order as the parent's: ATTACH and the
-- DEFAULT hand-over copy whole rows), still unindexed and detached.
DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT relname::text FROM pg_class WHERE relkind = 'r' AND relname ~ '^request_records_load_[0-9]{8}$'
             AND relnamespace = current_schema()::regnamespace LOOP
    EXECUTE format('ALTER TABLE %I RENAME TO %I', t, t || '_old');
    EXECUTE format('ALTER TABLE %I ALTER COLUMN source_id DROP NOT NULL, ALTER COLUMN ts DROP NOT NULL,
      ALTER COLUMN api_id DROP NOT NULL, ALTER COLUMN method DROP NOT NULL, ALTER COLUMN path DROP NOT NULL,
      ALTER COLUMN status DROP NOT NULL, ALTER COLUMN latency_ms DROP NOT NULL', t || '_old');
    EXECUTE format('CREATE TABLE %I (LIKE "request_records" INCLUDING DEFAULTS)', t);
    EXECUTE format('INSERT INTO %I SELECT DISTINCT ON (ts, source_id) pg_temp.tl_source_id(r.source_id) AS source_id, r.ts,
        r.endpoint_id, r.api_id, r.method, r.path, r.status, r.latency_ms, r.upstream_ms, t.caller_id, r.trace_id
      FROM %I r JOIN tl_tuples t ON t.sig = pg_temp.tl_sig(r.key_hash, r.identity_id, r.oauth_client_id, r.policy_ids)', t, t || '_old');
    EXECUTE format('DROP TABLE %I', t || '_old');
  END LOOP;
END $$;

DROP TABLE tl_tuples;
DROP TABLE tl_days;

CREATE INDEX "request_callers_key_hash_idx" ON "request_callers"("key_hash");

CREATE INDEX "request_callers_identity_id_idx" ON "request_callers"("identity_id");

CREATE UNIQUE INDEX "request_callers_tuple_key" ON "request_callers"("key_hash", "identity_id", "oauth_client_id", "policy_ids")
    NULLS NOT DISTINCT;

DROP FUNCTION pg_temp.tl_source_id(text);
DROP FUNCTION pg_temp.tl_sig(text, text, text, text[]);
