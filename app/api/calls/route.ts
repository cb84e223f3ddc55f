import { apiRoute } from "@/lib/api/handler";
import { db } from "@/lib/db";
import { callPageSchema, listCalls } from "@/lib/queries/calls";

// Filters: identity, key (alias or hash), endpoint (id, "GET /orders" or a path prefix), status (503 or 5xx), from/to; keyset cursor.
export const GET = apiRoute({ permission: "calls:read", query: callPageSchema }, async ({ query }) => listCalls(db, query));
