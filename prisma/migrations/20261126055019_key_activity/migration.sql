-- CreateTable
CREATE TABLE "key_activity" (
    "key_hash" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "hits" INTEGER NOT NULL,
    "success" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,
    "avg_request_ms" DOUBLE PRECISION,

    CONSTRAINT "key_activity_pkey" PRIMARY KEY ("key_hash","hour")
);

-- CreateIndex
CREATE INDEX "key_activity_hour_idx" ON "key_activity"("hour");

