import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { likeLiteral } from "./like";

const ROOT = path.resolve(import.meta.dirname, "../..");

function sources(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (name === "generated" || name === "node_modules") continue;
    if (statSync(full).isDirectory()) sources(full, out);
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(full);
  }
  return out;
}

/** A LIKE matcher as PostgreSQL reads a pattern with the default escape character. */
function likeMatches(pattern: string, text: string): boolean {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") re += (pattern[++i] ?? "").replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    else if (c === "%") re += "[\\s\\S]*";
    else if (c === "_") re += "[\\s\\S]";
    else re += c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`).test(text);
}

describe("likeLiteral", () => {
  it("makes a LIKE pattern match its value literally and nothing else", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom("a", "%", "_", "\\", "b") }), fc.string({ unit: fc.constantFrom("a", "%", "_", "\\", "b") }), (value, other) => {
        const contains = `%${likeLiteral(value)}%`;
        expect(likeMatches(contains, `x${value}y`)).toBe(true);
        expect(likeMatches(likeLiteral(value), other)).toBe(other === value);
      }),
    );
  });

  it("wraps every contains / startsWith / endsWith filter in lib/ and app/", () => {
    const raw: string[] = [];
    for (const file of [...sources(path.join(ROOT, "lib")), ...sources(path.join(ROOT, "app"))]) {
      const src = readFileSync(file, "utf8");
      for (const m of src.matchAll(/\b(contains|startsWith|endsWith)\s*:\s*(?!\s)(?!likeLiteral\()([^,}\n]+)/g)) raw.push(`${path.relative(ROOT, file)}: ${m[0].trim()}`);
    }
    expect(raw).toEqual([]);
  });
});
