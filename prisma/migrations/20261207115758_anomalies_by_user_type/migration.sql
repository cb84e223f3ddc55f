-- CreateTable
CREATE TABLE "type_hours" (
    "user_type" TEXT NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "requests" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,
    "minutes" INTEGER NOT NULL,
    "p99" DOUBLE PRECISION,

    CONSTRAINT "type_hours_pkey" PRIMARY KEY ("user_type","endpoint_id","hour")
);

-- CreateTable
CREATE TABLE "anomalies" (
    "id" TEXT NOT NULL,
    "user_type" TEXT NOT NULL,
    "type_label" TEXT NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "metric" TEXT NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "baseline" DOUBLE PRECISION NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "impact" DOUBLE PRECISION NOT NULL,
    "baseline_kind" TEXT NOT NULL,
    "requests" INTEGER NOT NULL,
    "partial" BOOLEAN NOT NULL DEFAULT false,
    "detected_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "anomalies_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "type_hours_hour_idx" ON "type_hours"("hour");

-- CreateIndex
CREATE INDEX "anomalies_hour_idx" ON "anomalies"("hour");

-- CreateIndex
CREATE UNIQUE INDEX "anomalies_user_type_endpoint_id_hour_metric_key" ON "anomalies"("user_type", "endpoint_id", "hour", "metric");

