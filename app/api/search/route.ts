import { z } from "zod";
import { apiRoute } from "@/lib/api/handler";
import { db } from "@/lib/db";
import { viewerOf } from "@/lib/incidents/viewer";
import { globalSearch } from "@/lib/search/global-search";

// The console's search box: endpoints, keys, identities, policies and incidents matching `q`.
const query = z.object({ q: z.string().trim().min(2).max(100) });

export const GET = apiRoute({ permission: "console:read", query }, async ({ query, actor }) => ({ hits: await globalSearch(db, query.q, viewerOf(actor)) }));
