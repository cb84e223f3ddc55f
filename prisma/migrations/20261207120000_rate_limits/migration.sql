-- CreateTable
CREATE TABLE "endpoint_limit_settings" (
    "endpoint_id" TEXT NOT NULL,
    "objective_ms" DOUBLE PRECISION,
    "headroom" DOUBLE PRECISION NOT NULL DEFAULT 0.8,
    "updated_by" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "endpoint_limit_settings_pkey" PRIMARY KEY ("endpoint_id")
);

-- CreateTable
CREATE TABLE "limit_changes" (
    "id" TEXT NOT NULL,
    "policy_id" TEXT NOT NULL,
    "endpoint_id" TEXT,
    "action" TEXT NOT NULL,
    "before" JSONB NOT NULL,
    "after" JSONB NOT NULL,
    "base_version" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "rolled_back_by" TEXT,
    "undoes" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "limit_changes_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "limit_changes_policy_id_created_at_idx" ON "limit_changes"("policy_id", "created_at");

-- CreateIndex
CREATE INDEX "limit_changes_endpoint_id_created_at_idx" ON "limit_changes"("endpoint_id", "created_at");

