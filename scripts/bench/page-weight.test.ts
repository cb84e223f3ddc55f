import { describe, expect, it } from "vitest";
import { entryFilesOf, firstLoadFiles } from "./page-weight";

const manifest = `globalThis.__RSC_MANIFEST["/(console)/endpoints/[id]/page"] = {"clientModules":{},"entryJSFiles":{"[project]/app/layout":["a.js"],"[project]/app/(console)/layout":["a.js","b.js"],"[project]/app/(console)/endpoints/[id]/page":["a.js","b.js","p.js"],"[project]/app/(console)/endpoints/[id]/error":["e.js"],"[project]/app/(console)/keys/page":["k.js"]}};`;

describe("route first-load files", () => {
  it("reads the entry map of a client reference manifest", () => {
    expect(entryFilesOf(manifest)["[project]/app/(console)/layout"]).toEqual(["a.js", "b.js"]);
  });
  it("counts root files, the layouts on the way down and the route's own segment, once each", () => {
    const files = firstLoadFiles(["main.js", "a.js"], entryFilesOf(manifest), "/(console)/endpoints/[id]");
    expect(files.sort()).toEqual(["a.js", "b.js", "e.js", "main.js", "p.js"]);
  });
});
