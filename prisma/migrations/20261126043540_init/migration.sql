-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "users" (
    "id" TEXT NOT NULL,
    "name" TEXT,
    "email" TEXT,
    "email_verified" TIMESTAMP(3),
    "image" TEXT,
    "role" TEXT NOT NULL DEFAULT 'viewer',
    "groups" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "last_login_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "accounts" (
    "id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "provider_account_id" TEXT NOT NULL,
    "refresh_token" TEXT,
    "access_token" TEXT,
    "expires_at" INTEGER,
    "token_type" TEXT,
    "scope" TEXT,
    "id_token" TEXT,
    "session_state" TEXT,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sessions" (
    "id" TEXT NOT NULL,
    "session_token" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "expires" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "sessions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "verification_tokens" (
    "identifier" TEXT NOT NULL,
    "token" TEXT NOT NULL,
    "expires" TIMESTAMP(3) NOT NULL
);

-- CreateTable
CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "actor_type" TEXT NOT NULL,
    "actor_id" TEXT,
    "actor_email" TEXT,
    "action" TEXT NOT NULL,
    "target_type" TEXT,
    "target_id" TEXT,
    "ip" TEXT,
    "user_agent" TEXT,
    "request_id" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "apis" (
    "id" TEXT NOT NULL,
    "db_id" TEXT,
    "name" TEXT NOT NULL,
    "listen_path" TEXT NOT NULL,
    "org_id" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "definition" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "deleted_at" TIMESTAMP(3),
    "first_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "synced_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "apis_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_versions" (
    "id" TEXT NOT NULL,
    "api_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "snapshot" JSONB NOT NULL,
    "diff" JSONB NOT NULL DEFAULT '[]',
    "observed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "api_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "endpoints" (
    "id" TEXT NOT NULL,
    "api_id" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "operation" TEXT,
    "mapping_source" TEXT NOT NULL DEFAULT 'auto',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "endpoints_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policies" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "rate" DOUBLE PRECISION,
    "per" DOUBLE PRECISION,
    "quota_max" BIGINT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "api_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "snapshot" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "last_updated" TIMESTAMP(3),
    "deleted_at" TIMESTAMP(3),
    "first_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "synced_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policies_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy_versions" (
    "id" TEXT NOT NULL,
    "policy_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "snapshot" JSONB NOT NULL,
    "diff" JSONB NOT NULL DEFAULT '[]',
    "observed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policy_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "identities" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "external_id" TEXT NOT NULL,
    "email" TEXT,
    "name" TEXT NOT NULL,
    "team" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "identities_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "keys" (
    "key_hash" TEXT NOT NULL,
    "last4" TEXT,
    "alias" TEXT,
    "identity_id" TEXT,
    "policy_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "api_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "oauth_client_id" TEXT,
    "rate" DOUBLE PRECISION,
    "per" DOUBLE PRECISION,
    "quota_max" BIGINT,
    "expires_at" TIMESTAMP(3),
    "is_inactive" BOOLEAN NOT NULL DEFAULT false,
    "tyk_created_at" TIMESTAMP(3),
    "last_updated" TIMESTAMP(3),
    "snapshot" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "deleted_at" TIMESTAMP(3),
    "first_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "synced_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "keys_pkey" PRIMARY KEY ("key_hash")
);

-- CreateTable
CREATE TABLE "key_versions" (
    "id" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "snapshot" JSONB NOT NULL,
    "diff" JSONB NOT NULL DEFAULT '[]',
    "observed_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "key_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "oauth_clients" (
    "id" TEXT NOT NULL,
    "api_id" TEXT,
    "policy_id" TEXT,
    "name" TEXT,
    "identity_id" TEXT,
    "snapshot" JSONB NOT NULL,
    "deleted_at" TIMESTAMP(3),
    "first_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "oauth_clients_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "access_changes" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target_id" TEXT NOT NULL,
    "target_label" TEXT NOT NULL,
    "version" INTEGER,
    "actor" TEXT,
    "changed_at" TIMESTAMP(3) NOT NULL,
    "time_source" TEXT NOT NULL,
    "diff" JSONB NOT NULL DEFAULT '[]',
    "audit_entries" JSONB NOT NULL DEFAULT '[]',
    "api_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "key_hashes" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "access_changes_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tyk_audit_entries" (
    "id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "user" TEXT,
    "action" TEXT,
    "method" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "ip" TEXT,
    "target_kind" TEXT,
    "target_id" TEXT,

    CONSTRAINT "tyk_audit_entries_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "request_records" (
    "id" BIGSERIAL NOT NULL,
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

    CONSTRAINT "request_records_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "trace_streams" (
    "id" TEXT NOT NULL,
    "backend" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "stream_id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "trace_streams_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "latency_points" (
    "endpoint_id" TEXT NOT NULL,
    "ts" TIMESTAMP(3) NOT NULL,
    "p50" DOUBLE PRECISION,
    "p95" DOUBLE PRECISION,
    "p99" DOUBLE PRECISION,
    "count" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,

    CONSTRAINT "latency_points_pkey" PRIMARY KEY ("endpoint_id","ts")
);

-- CreateTable
CREATE TABLE "exemplars" (
    "span_id" TEXT NOT NULL,
    "trace_id" TEXT NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "ts" TIMESTAMP(3) NOT NULL,
    "duration_ms" DOUBLE PRECISION NOT NULL,
    "is_error" BOOLEAN NOT NULL,
    "key_hash" TEXT,
    "key_alias" TEXT,
    "identity_id" TEXT,
    "attributes" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "exemplars_pkey" PRIMARY KEY ("span_id")
);

-- CreateTable
CREATE TABLE "identity_mappings" (
    "id" TEXT NOT NULL,
    "attribute" TEXT NOT NULL,
    "field" TEXT NOT NULL,
    "priority" INTEGER NOT NULL DEFAULT 100,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "identity_mappings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sync_runs" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "trigger" TEXT NOT NULL DEFAULT 'schedule',
    "status" TEXT NOT NULL DEFAULT 'running',
    "started_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMP(3),
    "progress" JSONB NOT NULL DEFAULT '{}',
    "counts" JSONB NOT NULL DEFAULT '{}',
    "errors" JSONB NOT NULL DEFAULT '[]',
    "actor" TEXT,

    CONSTRAINT "sync_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sync_state" (
    "name" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "sync_state_pkey" PRIMARY KEY ("name")
);

-- CreateIndex
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");

-- CreateIndex
CREATE UNIQUE INDEX "accounts_provider_provider_account_id_key" ON "accounts"("provider", "provider_account_id");

-- CreateIndex
CREATE UNIQUE INDEX "sessions_session_token_key" ON "sessions"("session_token");

-- CreateIndex
CREATE UNIQUE INDEX "verification_tokens_token_key" ON "verification_tokens"("token");

-- CreateIndex
CREATE UNIQUE INDEX "verification_tokens_identifier_token_key" ON "verification_tokens"("identifier", "token");

-- CreateIndex
CREATE UNIQUE INDEX "audit_events_hash_key" ON "audit_events"("hash");

-- CreateIndex
CREATE INDEX "audit_events_at_idx" ON "audit_events"("at");

-- CreateIndex
CREATE INDEX "audit_events_actor_email_at_idx" ON "audit_events"("actor_email", "at");

-- CreateIndex
CREATE INDEX "audit_events_action_at_idx" ON "audit_events"("action", "at");

-- CreateIndex
CREATE INDEX "audit_events_target_type_target_id_idx" ON "audit_events"("target_type", "target_id");

-- CreateIndex
CREATE UNIQUE INDEX "api_versions_api_id_version_key" ON "api_versions"("api_id", "version");

-- CreateIndex
CREATE UNIQUE INDEX "endpoints_api_id_method_path_key" ON "endpoints"("api_id", "method", "path");

-- CreateIndex
CREATE UNIQUE INDEX "policy_versions_policy_id_version_key" ON "policy_versions"("policy_id", "version");

-- CreateIndex
CREATE UNIQUE INDEX "identities_external_id_key" ON "identities"("external_id");

-- CreateIndex
CREATE INDEX "keys_identity_id_idx" ON "keys"("identity_id");

-- CreateIndex
CREATE INDEX "keys_alias_idx" ON "keys"("alias");

-- CreateIndex
CREATE UNIQUE INDEX "key_versions_key_hash_version_key" ON "key_versions"("key_hash", "version");

-- CreateIndex
CREATE INDEX "access_changes_changed_at_idx" ON "access_changes"("changed_at");

-- CreateIndex
CREATE INDEX "access_changes_api_ids_idx" ON "access_changes" USING GIN ("api_ids");

-- CreateIndex
CREATE UNIQUE INDEX "access_changes_kind_target_id_version_key" ON "access_changes"("kind", "target_id", "version");

-- CreateIndex
CREATE INDEX "tyk_audit_entries_target_kind_target_id_at_idx" ON "tyk_audit_entries"("target_kind", "target_id", "at");

-- CreateIndex
CREATE INDEX "tyk_audit_entries_at_idx" ON "tyk_audit_entries"("at");

-- CreateIndex
CREATE UNIQUE INDEX "request_records_source_id_key" ON "request_records"("source_id");

-- CreateIndex
CREATE INDEX "request_records_endpoint_id_ts_idx" ON "request_records"("endpoint_id", "ts");

-- CreateIndex
CREATE INDEX "request_records_key_hash_ts_idx" ON "request_records"("key_hash", "ts");

-- CreateIndex
CREATE INDEX "request_records_identity_id_ts_idx" ON "request_records"("identity_id", "ts");

-- CreateIndex
CREATE INDEX "request_records_ts_idx" ON "request_records"("ts");

-- CreateIndex
CREATE UNIQUE INDEX "trace_streams_backend_service_operation_key" ON "trace_streams"("backend", "service", "operation");

-- CreateIndex
CREATE INDEX "exemplars_endpoint_id_ts_idx" ON "exemplars"("endpoint_id", "ts");

-- CreateIndex
CREATE INDEX "exemplars_trace_id_idx" ON "exemplars"("trace_id");

-- CreateIndex
CREATE UNIQUE INDEX "identity_mappings_attribute_field_key" ON "identity_mappings"("attribute", "field");

-- CreateIndex
CREATE INDEX "sync_runs_kind_started_at_idx" ON "sync_runs"("kind", "started_at");

-- AddForeignKey
ALTER TABLE "accounts" ADD CONSTRAINT "accounts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "api_versions" ADD CONSTRAINT "api_versions_api_id_fkey" FOREIGN KEY ("api_id") REFERENCES "apis"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "endpoints" ADD CONSTRAINT "endpoints_api_id_fkey" FOREIGN KEY ("api_id") REFERENCES "apis"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "policy_versions" ADD CONSTRAINT "policy_versions_policy_id_fkey" FOREIGN KEY ("policy_id") REFERENCES "policies"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "keys" ADD CONSTRAINT "keys_identity_id_fkey" FOREIGN KEY ("identity_id") REFERENCES "identities"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "key_versions" ADD CONSTRAINT "key_versions_key_hash_fkey" FOREIGN KEY ("key_hash") REFERENCES "keys"("key_hash") ON DELETE CASCADE ON UPDATE CASCADE;

