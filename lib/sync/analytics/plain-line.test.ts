import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCopyLine } from "./copy-text";
import { PlainTags, plainInt, scanPlainLine } from "./plain-line";
import { clampedInt, PARSED_COLUMNS, parseAnalyticsTags } from "./transform";

const bytesOf = (s: string) => Buffer.from(s, "utf8");

describe("scanPlainLine", () => {
  const fields = Array.from({ length: 18 }, (_, i) => `f${i}`);
  const bounds = new Int32Array(2 * PARSED_COLUMNS);
  const read = (line: Buffer) => Array.from({ length: PARSED_COLUMNS }, (_, i) => line.toString("latin1", bounds[2 * i], bounds[2 * i + 1]));

  it("finds the parsed fields as the text path splits them, a NULL field empty", () => {
    const line = bytesOf([...fields.slice(0, 3), "\\N", "", ...fields.slice(5)].join("\t"));
    expect(scanPlainLine(line, 0, line.length, bounds)).toBe(true);
    expect(read(line)).toEqual(parseCopyLine(line.toString(), PARSED_COLUMNS).map((f) => f ?? ""));
    // The NULL field's empty range sits at its tab: the field before it still ends where it did.
    expect(bounds[7]).toBe(line.indexOf("\t", bounds[5] + 1));
  });

  it("reads the parsed fields only: escapes and UTF-8 after them are the hash's business", () => {
    const line = bytesOf([...fields.slice(0, PARSED_COLUMNS), "a\\tb", "é"].join("\t"));
    expect(scanPlainLine(line, 0, line.length, bounds)).toBe(true);
    expect(read(line)).toEqual(fields.slice(0, PARSED_COLUMNS));
  });

  it("refuses escapes, non-ASCII bytes and short lines in the parsed fields", () => {
    for (const bad of ["a\\tb", "\\\\", "\\Nx", "é"]) {
      const line = bytesOf([...fields.slice(0, 4), bad, ...fields.slice(5)].join("\t"));
      expect(scanPlainLine(line, 0, line.length, bounds)).toBe(false);
    }
    const short = bytesOf(fields.slice(0, PARSED_COLUMNS - 1).join("\t"));
    expect(scanPlainLine(short, 0, short.length, bounds)).toBe(false);
    const exact = bytesOf([...fields.slice(0, PARSED_COLUMNS - 1), "\\N"].join("\t"));
    expect(scanPlainLine(exact, 0, exact.length, bounds)).toBe(true);
  });
});

describe("plainInt", () => {
  it("reads what clampedInt reads", () => {
    const text = fc.oneof(
      fc.integer().map(String),
      fc.constantFrom("", "-", "007", "-0", "1e3", "12.5", " 12", "0x10", "99999999999", "-99999999999", "abc", "١٢"),
      fc.stringMatching(/^-?[0-9]{0,11}$/),
    );
    fc.assert(fc.property(text, (t) => {
      const b = Buffer.from(`x${t}y`, "latin1");
      expect(plainInt(b, 1, b.length - 1, clampedInt)).toBe(clampedInt(t === "" ? null : t));
    }), { numRuns: 3000 });
  });
});

describe("PlainTags", () => {
  const tag = fc.oneof(
    fc.constantFrom("pol-gold", "pol-silver", "pol-", "key-abc", "key-def", "trace-id-0AF7", "trace-id-", "env", "", "a,b", "pol-a b"),
    fc.string({ maxLength: 6 }).map((s) => s.replace(/[^\x20-\x7e]/g, "").replace(/\\/g, "")),
  );
  const field = fc.oneof(
    fc.array(tag, { maxLength: 6 }).map((t) => JSON.stringify(t)),
    fc.array(tag, { maxLength: 4 }).map((t) => JSON.stringify(t, null, 1).replace(/\n/g, "")),
    fc.constantFrom("", "null", "[]", '["]', '[""]', '["a"b"]', '["a","]', "{pol-a,pol-b}", "[not json", ' ["pol-a"]'),
  );

  it("reads what parseAnalyticsTags reads, or declines the field", () => {
    const tags = new PlainTags();
    let read = 0;
    fc.assert(fc.property(field, (t) => {
      const b = Buffer.from(`\t${t}\t`, "latin1");
      if (!tags.scan(b, 1, b.length - 1)) return;
      read++;
      const want = parseAnalyticsTags(t);
      expect(tags.policyIds(b)).toEqual(want.policyIds);
      expect(tags.keyStart === -1 ? null : b.toString("latin1", tags.keyStart, tags.keyEnd)).toBe(want.keyHash);
      expect(tags.traceStart === -1 ? null : b.toString("latin1", tags.traceStart, tags.traceEnd).toLowerCase()).toBe(want.traceId);
    }), { numRuns: 3000 });
    // The property must hold on fields the plain path takes, not only on ones it declines.
    expect(read).toBeGreaterThan(1000);
  });
});
