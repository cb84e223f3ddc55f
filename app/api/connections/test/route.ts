import { apiRoute } from "@/lib/api/handler";
import { db } from "@/lib/db";
import { connectionTestSchema, testConnection } from "@/lib/queries/connections";

// Read-only probe of an upstream; admins only because it reveals reachability of internal systems.
export const POST = apiRoute({ permission: "settings:read", body: connectionTestSchema }, async ({ body }) => testConnection(db, body.target));
