-- CreateTable
CREATE TABLE "environment_aliases" (
    "name" TEXT NOT NULL,
    "environment" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "environment_aliases_pkey" PRIMARY KEY ("name")
);

