import type { PrismaClient } from "@/lib/generated/prisma/client";

/**
 * The HTTP status a console detail page must answer with when its object is missing (404) or its
 * incident link was revoked (410); null when the page renders normally. The pages themselves stream
 * (a loading state first), so by the time they know, Next has already sent 200: the proxy asks here
 * first and sets the status, and the page still renders the console's own not-found or revoked view.
 */
export type PageStatus = 404 | 410 | null;

interface Route {
  pattern: RegExp;
  status(db: PrismaClient, id: string): Promise<PageStatus>;
}

const missing = (found: unknown): PageStatus => (found ? null : 404);

const ROUTES: Route[] = [
  { pattern: /^\/endpoints\/([^/]+)$/, status: async (db, id) => missing(await db.endpoint.findUnique({ where: { id }, select: { id: true } })) },
  { pattern: /^\/policies\/([^/]+)$/, status: async (db, id) => missing(await db.policy.findUnique({ where: { id }, select: { id: true } })) },
  { pattern: /^\/keys\/([^/]+)$/, status: async (db, id) => missing(await db.key.findUnique({ where: { keyHash: id }, select: { keyHash: true } })) },
  { pattern: /^\/incidents\/([^/]+)$/, status: incidentStatus },
];

async function incidentStatus(db: PrismaClient, slug: string): Promise<PageStatus> {
  const cur = await db.incident.findUnique({ where: { slug }, select: { revokedAt: true } });
  if (cur) return cur.revokedAt ? 410 : null;
  const old = await db.incident.findFirst({ where: { revokedSlugs: { has: slug } }, select: { id: true } });
  return old ? 410 : 404;
}

function decode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** True for paths whose status pageStatus decides — the proxy looks nothing up for other pages. */
export function hasPageStatus(pathname: string): boolean {
  return ROUTES.some((r) => r.pattern.test(pathname));
}

export async function pageStatus(db: PrismaClient, pathname: string): Promise<PageStatus> {
  for (const r of ROUTES) {
    const m = r.pattern.exec(pathname);
    if (!m) continue;
    const id = decode(m[1]);
    // Ids are short identifiers; anything unreadable or absurdly long cannot name a stored object.
    if (id === null || id.length > 200) return 404;
    return r.status(db, id);
  }
  return null;
}
