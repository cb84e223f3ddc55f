import { describe, expect, it } from "vitest";
import { collectPages, type Page } from "./paginate";

function pager(pages: Page<string>[][]) {
  let walk = 0;
  const seen: number[] = [];
  return {
    seen,
    fetch: async (p: number) => {
      seen.push(p);
      const current = pages[Math.min(walk, pages.length - 1)];
      const page = current[p - 1] ?? { items: [], pages: current[0].pages };
      if (p === current.length || p >= (page.pages ?? 1)) walk++;
      return page;
    },
  };
}

describe("collectPages", () => {
  it("walks every page up to the reported count", async () => {
    const p = pager([[{ items: ["a"], pages: 3 }, { items: ["b"], pages: 3 }, { items: ["c"], pages: 3 }]]);
    expect(await collectPages(p.fetch)).toEqual(["a", "b", "c"]);
    expect(p.seen).toEqual([1, 2, 3]);
  });

  it("re-walks after an empty page in the middle, and returns the full list once it is consistent", async () => {
    const p = pager([
      [{ items: ["a"], pages: 3 }, { items: [], pages: 3 }, { items: ["c"], pages: 3 }],
      [{ items: ["a"], pages: 3 }, { items: ["b"], pages: 3 }, { items: ["c"], pages: 3 }],
    ]);
    expect(await collectPages(p.fetch)).toEqual(["a", "b", "c"]);
    expect(p.seen).toEqual([1, 2, 3, 1, 2, 3]);
  });

  it("fails, rather than returning a short list, when a middle page stays empty (its items would look deleted)", async () => {
    const p = pager([[{ items: ["a"], pages: 3 }, { items: [], pages: 3 }, { items: ["c"], pages: 3 }]]);
    await expect(collectPages(p.fetch)).rejects.toThrow(/page 2 of 3 came back empty/);
  });

  it("treats a missing page count as one page", async () => {
    const p = pager([[{ items: ["a", "b"], pages: null }]]);
    expect(await collectPages(p.fetch)).toEqual(["a", "b"]);
    expect(p.seen).toEqual([1]);
  });

  it("restarts when the page count changes mid-walk, de-duplicating by id", async () => {
    const p = pager([
      [{ items: ["a", "b"], pages: 2 }, { items: ["b", "c"], pages: 3 }],
      [{ items: ["x", "a"], pages: 2 }, { items: ["b", "c"], pages: 2 }],
    ]);
    expect((await collectPages(p.fetch, { idOf: (s) => s })).sort()).toEqual(["a", "b", "c", "x"]);
    expect(p.seen).toEqual([1, 2, 3, 1, 2]);
  });

  it("stops at maxPages against a server that never ends", async () => {
    let n = 0;
    const items = await collectPages(async () => ({ items: [String(n++)], pages: 1e9 }), { maxPages: 5, maxRestarts: 0 });
    expect(items).toHaveLength(5);
  });
});
