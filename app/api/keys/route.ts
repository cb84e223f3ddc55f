import { apiRoute } from "@/lib/api/handler";
import { db } from "@/lib/db";
import { parseKeyFilters } from "@/lib/queries/key-filters";
import { listKeys } from "@/lib/queries/keys";

// Filters as on the Keys page (policy, identity, age, expiry, q, page, size). Keys are masked: we hold no raw key.
export const GET = apiRoute({ permission: "console:read" }, async ({ req }) => {
  const filters = parseKeyFilters(req.nextUrl.searchParams);
  const page = await listKeys(db, filters);
  return { ...page, page: filters.page, pageSize: filters.pageSize };
});
