-- CreateTable
CREATE TABLE "rotations" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "old_key_hash" TEXT,
    "new_key_hash" TEXT,
    "new_last4" TEXT,
    "client_id" TEXT,
    "api_id" TEXT,
    "grace_seconds" INTEGER NOT NULL DEFAULT 0,
    "delete_after" TIMESTAMP(3),
    "requested_by" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "new_created_at" TIMESTAMP(3),
    "finished_at" TIMESTAMP(3),
    "finished_by" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "next_attempt_at" TIMESTAMP(3),

    CONSTRAINT "rotations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "access_offers" (
    "policy_id" TEXT NOT NULL,
    "max_minutes" INTEGER NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "access_offers_pkey" PRIMARY KEY ("policy_id")
);

-- CreateTable
CREATE TABLE "access_rules" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "policy_id" TEXT,
    "requester_groups" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "approver_groups" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "auto_approve" BOOLEAN NOT NULL DEFAULT false,
    "auto_max_minutes" INTEGER,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "access_rules_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "access_requests" (
    "id" TEXT NOT NULL,
    "requester_id" TEXT NOT NULL,
    "requester_email" TEXT NOT NULL,
    "requester_name" TEXT,
    "requester_groups" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "policy_id" TEXT,
    "api_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "target_label" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "duration_minutes" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "rule_id" TEXT,
    "decided_by" TEXT,
    "decided_at" TIMESTAMP(3),
    "decision_note" TEXT,
    "key_hash" TEXT,
    "key_last4" TEXT,
    "issued_at" TIMESTAMP(3),
    "expires_at" TIMESTAMP(3),
    "first_used_at" TIMESTAMP(3),
    "ended_at" TIMESTAMP(3),
    "verified_at" TIMESTAMP(3),
    "last_error" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "access_requests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "access_events" (
    "id" BIGSERIAL NOT NULL,
    "subject_type" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "type" TEXT NOT NULL,
    "actor" TEXT,
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "access_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "usage_days" (
    "day" DATE NOT NULL,
    "caller_id" INTEGER NOT NULL,
    "api_id" TEXT NOT NULL,
    "requests" BIGINT NOT NULL,
    "errors" BIGINT NOT NULL,
    "last_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "usage_days_pkey" PRIMARY KEY ("day","caller_id","api_id")
);

-- CreateTable
CREATE TABLE "usage_final_summaries" (
    "kind" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "last_used_at" TIMESTAMP(3),
    "requests" BIGINT NOT NULL,
    "errors" BIGINT NOT NULL,
    "api_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],

    CONSTRAINT "usage_final_summaries_pkey" PRIMARY KEY ("kind","subject_id")
);

-- CreateTable
CREATE TABLE "usage_summaries" (
    "kind" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "last_used_at" TIMESTAMP(3),
    "requests" BIGINT NOT NULL,
    "errors" BIGINT NOT NULL,
    "api_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],

    CONSTRAINT "usage_summaries_pkey" PRIMARY KEY ("kind","subject_id")
);

-- CreateIndex
CREATE INDEX "rotations_state_delete_after_idx" ON "rotations"("state", "delete_after");

-- CreateIndex
CREATE INDEX "rotations_old_key_hash_idx" ON "rotations"("old_key_hash");

-- CreateIndex
CREATE INDEX "rotations_client_id_idx" ON "rotations"("client_id");

-- CreateIndex
CREATE INDEX "access_requests_status_expires_at_idx" ON "access_requests"("status", "expires_at");

-- CreateIndex
CREATE INDEX "access_requests_requester_id_created_at_idx" ON "access_requests"("requester_id", "created_at");

-- CreateIndex
CREATE INDEX "access_requests_created_at_idx" ON "access_requests"("created_at");

-- CreateIndex
CREATE INDEX "access_events_subject_type_subject_id_at_idx" ON "access_events"("subject_type", "subject_id", "at");

-- CreateIndex
CREATE INDEX "access_events_at_idx" ON "access_events"("at");

-- CreateIndex
CREATE INDEX "usage_summaries_kind_last_used_at_idx" ON "usage_summaries"("kind", "last_used_at");

