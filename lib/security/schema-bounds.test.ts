import path from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { discoverRoutes, isPublic } from "./routes";
import { unboundedInputs } from "./schema-bounds";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("unboundedInputs", () => {
  it("accepts numbers, dates, strings and arrays bounded on both sides, and closed sets", () => {
    const ok = z.object({
      n: z.coerce.number().int().min(1).max(500).default(100),
      d: z.coerce.date().min(new Date(0)).max(new Date(1e13)).optional(),
      s: z.string().trim().max(20),
      iso: z.iso.datetime(),
      a: z.array(z.enum(["x", "y"])).max(3),
      t: z.string().max(40).transform(Date.parse).pipe(z.number().min(0).max(1e13)),
      c: z.coerce.date().pipe(z.date().min(new Date(0)).max(new Date(1e13))),
      b: z.boolean(),
    });
    expect(unboundedInputs(ok)).toEqual([]);
  });

  it("names each unbounded input by its path", () => {
    const bad = z.object({
      from: z.coerce.number().int().min(1),
      at: z.coerce.date(),
      q: z.string(),
      ids: z.array(z.string().max(5)),
      when: z.string().max(40).transform((s) => Date.parse(s)),
      blob: z.unknown(),
      nested: z.object({ n: z.number().max(3) }),
    });
    expect(unboundedInputs(bad)).toEqual([
      "from: number without both a minimum and a maximum",
      "at: date without both a minimum and a maximum",
      "q: string without a maximum length",
      "ids: array without a maximum length",
      "when: ends in a transform (pipe its result into a bounded schema)",
      "blob: unknown (not validated)",
      "nested.n: number without both a minimum and a maximum",
    ]);
  });
});

// Every API route, found from app/ now: each params/query/body schema its apiRoute validates must
// bound every input. A route added later is checked without anyone editing this file.
describe("every API route's input schemas are bounded", async () => {
  const routes = discoverRoutes(ROOT).filter((r) => r.kind === "api" && !isPublic(r.pattern));
  const checked: string[] = [];
  for (const route of routes) {
    const mod = (await import(path.join(ROOT, route.file))) as Record<string, { options?: Record<string, unknown> } | undefined>;
    for (const { method } of route.methods) {
      const options = mod[method]?.options;
      it(`${method} ${route.pattern}`, () => {
        expect(options, `${method} ${route.pattern} is wrapped in apiRoute`).toBeDefined();
        const problems = (["params", "query", "body"] as const).flatMap((part) => (options![part] ? unboundedInputs(options![part], part) : []));
        expect(problems).toEqual([]);
      });
      checked.push(`${method} ${route.pattern}`);
    }
  }
  it("found the routes", () => expect(checked.length).toBeGreaterThan(30));
});
