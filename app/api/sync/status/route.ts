import { apiRoute } from "@/lib/api/handler";
import { db } from "@/lib/db";
import { getSyncStatus } from "@/lib/queries/sync-status";

export const dynamic = "force-dynamic";

export const GET = apiRoute({ permission: "console:read" }, async () => getSyncStatus(db));
