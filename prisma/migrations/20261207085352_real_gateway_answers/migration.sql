-- AlterTable
ALTER TABLE "endpoints" ADD COLUMN     "source" TEXT NOT NULL DEFAULT 'definition';

-- CreateTable
CREATE TABLE "pump_keys" (
    "key_hash" TEXT NOT NULL,
    "alias" TEXT,
    "identity_id" TEXT,
    "policy_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "first_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pump_keys_pkey" PRIMARY KEY ("key_hash")
);

-- CreateTable
CREATE TABLE "endpoint_candidates" (
    "id" TEXT NOT NULL,
    "api_id" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "requests" INTEGER NOT NULL DEFAULT 0,
    "example_path" TEXT,
    "endpoint_id" TEXT,
    "decided_by" TEXT,
    "decided_at" TIMESTAMP(3),
    "first_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "endpoint_candidates_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "service_deploys" (
    "id" TEXT NOT NULL,
    "backend" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "previous_version" TEXT,
    "deployed_at" TIMESTAMP(3) NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "service_deploys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "endpoint_services" (
    "endpoint_id" TEXT NOT NULL,
    "service" TEXT NOT NULL,
    "last_seen_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "endpoint_services_pkey" PRIMARY KEY ("endpoint_id","service")
);

-- CreateIndex
CREATE INDEX "endpoint_candidates_status_idx" ON "endpoint_candidates"("status");

-- CreateIndex
CREATE UNIQUE INDEX "endpoint_candidates_api_id_method_path_key" ON "endpoint_candidates"("api_id", "method", "path");

-- CreateIndex
CREATE INDEX "service_deploys_service_deployed_at_idx" ON "service_deploys"("service", "deployed_at");

-- CreateIndex
CREATE INDEX "service_deploys_deployed_at_idx" ON "service_deploys"("deployed_at");

-- CreateIndex
CREATE INDEX "endpoint_services_service_idx" ON "endpoint_services"("service");

