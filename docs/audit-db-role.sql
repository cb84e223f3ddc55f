-- Touchline's database roles: the console connects as `touchline_app`, which may only INSERT into
-- (and read) the audit trail, and owns nothing it could use to undo that (ALTER TABLE … DISABLE
-- TRIGGER and TRUNCATE need ownership). Migrations run as the role that owns the tables.
--
-- Run once per database, as the owner of the tables (the role `npm run db:migrate` used), after the
-- migrations. Replace the password; then point the console's DATABASE_URL at touchline_app and run
-- migrations with the owner's URL (DATABASE_URL=<owner url> npm run db:migrate). Re-run it after a
-- migration that adds tables if the owner changed in between (the DEFAULT PRIVILEGES below cover
-- tables the same owner creates later). tests/security/audit-db-role.int.test.ts runs this file.

CREATE ROLE touchline_app LOGIN PASSWORD 'change-me';

GRANT USAGE ON SCHEMA public TO touchline_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO touchline_app;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO touchline_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO touchline_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO touchline_app;

-- The audit trail: read and append, nothing else (the append-only trigger refuses the rest for
-- everyone; this makes the refusal a permission the app role cannot switch off).
REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON audit_events FROM touchline_app;

-- The request-record ingest creates and attaches one partition per day (DDL needs ownership of the
-- partitioned table), so the app owns request_records and its partitions — and nothing else. The
-- owner stays able to migrate them through membership.
GRANT CREATE ON SCHEMA public TO touchline_app;
GRANT touchline_app TO CURRENT_USER;
DO $$
DECLARE t record;
BEGIN
  FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
             AND (c.relname = 'request_records' OR c.relname LIKE 'request\_records\_%')
  LOOP
    EXECUTE format('ALTER TABLE public.%I OWNER TO touchline_app', t.relname);
  END LOOP;
END $$;
