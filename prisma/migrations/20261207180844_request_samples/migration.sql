-- CreateTable
CREATE TABLE "request_samples" (
    "source_id" BIGINT NOT NULL,
    "ts" TIMESTAMP(3) NOT NULL,
    "endpoint_id" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "latency_ms" INTEGER NOT NULL,
    "upstream_ms" INTEGER,
    "caller_id" INTEGER NOT NULL,
    "trace_id" TEXT,
    "weight" SMALLINT NOT NULL,

    CONSTRAINT "request_samples_pkey" PRIMARY KEY ("ts","source_id")
);

-- CreateIndex
CREATE INDEX "request_samples_endpoint_id_ts_idx" ON "request_samples"("endpoint_id", "ts");

