-- CreateTable
CREATE TABLE "endpoint_hours" (
    "endpoint_id" TEXT NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "minutes" SMALLINT[],
    "minute_requests" INTEGER[],
    "minute_rejected" INTEGER[],
    "minute_errors" INTEGER[],
    "minute_p99" DOUBLE PRECISION[],
    "hist_minutes" SMALLINT[],
    "hist_bins" SMALLINT[],
    "hist_counts" INTEGER[],
    "callers" INTEGER[],
    "caller_requests" INTEGER[],
    "caller_rejected" INTEGER[],
    "caller_errors" INTEGER[],

    CONSTRAINT "endpoint_hours_pkey" PRIMARY KEY ("endpoint_id","hour")
);

