-- CreateTable
CREATE TABLE "endpoint_caller_minutes" (
    "endpoint_id" TEXT NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "minutes" SMALLINT[],
    "callers" INTEGER[],
    "requests" INTEGER[],

    CONSTRAINT "endpoint_caller_minutes_pkey" PRIMARY KEY ("endpoint_id","hour")
);

