import { apiRoute } from "@/lib/api/handler";
import { db } from "@/lib/db";
import { environmentsPage } from "@/lib/environments/page";

/** Each API's environment as Tyk and the traces declare it, compared; canonical environments with their spellings; the aliases. */
export const GET = apiRoute({ permission: "console:read" }, async () => environmentsPage(db));
