import { apiRoute } from "@/lib/api/handler";
import { listLiveSessions } from "@/lib/auth/server-session";
import { db } from "@/lib/db";

/** Signed-in browser sessions that are still alive (admins: who is signed in, since when, from where). */
export const GET = apiRoute({ permission: "sessions:manage" }, async () => ({ sessions: await listLiveSessions(db) }));
