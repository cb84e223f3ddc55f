-- AlterTable
ALTER TABLE "endpoint_limit_settings" ADD COLUMN     "auto_cooldown_minutes" INTEGER NOT NULL DEFAULT 30,
ADD COLUMN     "auto_enabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "auto_evaluated_at" TIMESTAMP(3),
ADD COLUMN     "auto_interval_minutes" INTEGER NOT NULL DEFAULT 5,
ADD COLUMN     "auto_last_decision" JSONB,
ADD COLUMN     "auto_max_per_min" DOUBLE PRECISION,
ADD COLUMN     "auto_max_step" DOUBLE PRECISION NOT NULL DEFAULT 0.25,
ADD COLUMN     "auto_min_per_min" DOUBLE PRECISION,
ADD COLUMN     "auto_rollback_minutes" INTEGER NOT NULL DEFAULT 15;

-- AlterTable
ALTER TABLE "limit_changes" ADD COLUMN     "automatic" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "evidence" JSONB,
ADD COLUMN     "kept_at" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "limit_auto_control" (
    "id" TEXT NOT NULL,
    "kill_switch" BOOLEAN NOT NULL DEFAULT false,
    "updated_by" TEXT,
    "updated_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "limit_auto_control_pkey" PRIMARY KEY ("id")
);

