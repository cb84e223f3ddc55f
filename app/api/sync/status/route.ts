import { apiRoute } from "@/lib/api/handler";
import { db } from "@/lib/db";
import { syncScheduler } from "@/lib/jobs";
import { getSyncStatus } from "@/lib/queries/sync-status";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ permission: "console:read" }, async () => getSyncStatus(db, syncScheduler()?.schedule()));
