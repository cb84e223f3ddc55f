-- AlterTable
ALTER TABLE "sync_runs" ADD COLUMN     "budget_ms" INTEGER;

