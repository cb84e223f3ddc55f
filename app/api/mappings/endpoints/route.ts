import { apiRoute } from "@/lib/api/handler";
import { db } from "@/lib/db";
import { listEndpointMappings } from "@/lib/queries/traces-mappings";

export const GET = apiRoute({ permission: "settings:read" }, async () => ({ endpoints: await listEndpointMappings(db) }));
