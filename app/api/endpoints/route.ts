import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { db } from "@/lib/db";
import { findEndpoints } from "@/lib/queries/calls";

// Resolves "GET /orders", a path prefix or an id to endpoints (the CLI and the call-trail filter use it).
const query = z.object({ q: z.string().trim().min(1).max(300), limit: z.coerce.number().int().min(1).max(200).default(50) });

export const GET = apiRoute({ permission: "console:read", query }, async ({ query }) => ({ endpoints: await findEndpoints(db, query.q, query.limit) }));
