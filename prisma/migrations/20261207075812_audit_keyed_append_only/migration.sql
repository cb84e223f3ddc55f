-- AlterTable
ALTER TABLE "audit_events" ADD COLUMN     "alg" TEXT NOT NULL DEFAULT 'sha256',
ADD COLUMN     "key_id" TEXT;


-- Rows written before this migration were hashed with plain sha256: they keep alg 'sha256' and
-- still verify. From here on the app HMACs rows with TOUCHLINE_AUDIT_KEY (alg 'hmac-sha256').

-- The audit trail is append-only: refuse UPDATE, DELETE and TRUNCATE for every role the trigger
-- binds (the table owner can still disable it: give the app a role that only INSERTs, see
-- docs/audit-db-role.sql, and keep signed checkpoints outside the database). prisma/hand-tuned.sql
-- has the same function and triggers.
CREATE FUNCTION "audit_events_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "audit_events_no_update_delete" BEFORE UPDATE OR DELETE ON "audit_events"
    FOR EACH ROW EXECUTE FUNCTION "audit_events_append_only"();

CREATE TRIGGER "audit_events_no_truncate" BEFORE TRUNCATE ON "audit_events"
    FOR EACH STATEMENT EXECUTE FUNCTION "audit_events_append_only"();
