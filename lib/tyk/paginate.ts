// `p=` pagination shared by every list operation. Tyk pages are 1-based, the page count comes in
// the envelope (`pages` or `Pages`), and a list can change while we walk it: an insert or delete
// shifts items across page boundaries, which would make a present item look deleted. So when the
// page count changes mid-walk we start over (a bounded number of times) and de-duplicate by id.
// An empty page before the last one is inconsistent too (its items would look deleted and the sync
// would record them as revoked): re-walk, and if it persists fail the listing rather than return it short.

export interface Page<T> {
  items: T[];
  pages: number | null | undefined;
}

export interface CollectOptions<T> {
  idOf?: (item: T) => string;
  /** Hard stop against a server that keeps reporting more pages. */
  maxPages?: number;
  maxRestarts?: number;
  signal?: AbortSignal;
  /**
   * Handed each page's items as they arrive (awaited before the next page is fetched), re-walks
   * included: the items returned at the end are the ones to trust.
   */
  onPage?: (items: T[]) => Promise<void>;
}

export async function collectPages<T>(fetchPage: (p: number) => Promise<Page<T>>, opts: CollectOptions<T> = {}): Promise<T[]> {
  const maxPages = opts.maxPages ?? 10_000;
  const maxRestarts = opts.maxRestarts ?? 2;
  for (let restart = 0; ; restart++) {
    const out = new Map<string, T>();
    const anon: T[] = [];
    let expected: number | null = null;
    let changed = false;
    let emptyPage: { p: number; total: number } | null = null;
    for (let p = 1; p <= maxPages; p++) {
      opts.signal?.throwIfAborted();
      const page = await fetchPage(p);
      // A missing page count means the server returned everything at once.
      const total = page.pages == null || page.pages < 1 ? 1 : page.pages;
      await opts.onPage?.(page.items);
      if (expected === null) expected = total;
      else if (total !== expected) changed = true;
      for (const item of page.items) {
        if (opts.idOf) out.set(opts.idOf(item), item);
        else anon.push(item);
      }
      if (page.items.length === 0 && p < total) emptyPage ??= { p, total };
      if (p >= total) break;
    }
    if (emptyPage && restart >= maxRestarts) {
      throw new Error(`inconsistent listing: page ${emptyPage.p} of ${emptyPage.total} came back empty on every walk; not treating its items as deleted`);
    }
    if ((!changed && !emptyPage) || restart >= maxRestarts) return opts.idOf ? [...out.values()] : anon;
  }
}
