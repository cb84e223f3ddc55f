import { apiRoute } from "@/lib/api/handler";
import { accessConfig } from "@/lib/access/config";
import { requestOptions } from "@/lib/access/requests/options";
import { db } from "@/lib/db";

/** What may be requested: offered policies with their maximum duration, and the APIs. */
export const GET = apiRoute({ permission: "access:request" }, async () => requestOptions(db, accessConfig()));
