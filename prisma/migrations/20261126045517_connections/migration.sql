-- CreateTable
CREATE TABLE "connections" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "base_url" TEXT NOT NULL,
    "settings" JSONB NOT NULL DEFAULT '{}',
    "secret_sealed" TEXT NOT NULL,
    "secret_last4" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "connections_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "connections_kind_key" ON "connections"("kind");

