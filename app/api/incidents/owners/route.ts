import { apiRoute } from "@/lib/api/handler";
import { db } from "@/lib/db";
import { listOwners } from "@/lib/incidents/service";

/** The owner picker's choices: console users with a responder or admin role; `me` is the caller. */
export const GET = apiRoute({ permission: "incidents:write" }, async ({ actor }) => ({
  owners: await listOwners(db),
  me: actor.type === "user" ? actor.id : null,
}));
