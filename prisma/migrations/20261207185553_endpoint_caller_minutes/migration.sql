-- CreateTable
CREATE TABLE "endpoint_caller_minutes" (
    "endpoint_id" TEXT NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "minutes" SMALLINT[],
    "caller_ids" INTEGER[],
    "caller_counts" INTEGER[],

    CONSTRAINT "endpoint_caller_minutes_pkey" PRIMARY KEY ("endpoint_id","hour")
);

