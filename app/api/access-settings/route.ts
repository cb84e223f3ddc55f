import { apiRoute } from "@/lib/api/handler";
import { accessSettings } from "@/lib/access/settings";
import { db } from "@/lib/db";

/** Offered policies, access rules, and the webhook's state (never its URL). */
export const GET = apiRoute({ permission: "settings:read" }, async () => accessSettings(db));
