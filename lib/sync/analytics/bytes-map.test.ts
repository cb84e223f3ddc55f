import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BytesMap } from "./bytes-map";

const bytesOf = (s: string) => Buffer.from(s, "utf8");

describe("BytesMap", () => {
  it("agrees with a Map of strings over any sequence of sets and gets, keys read from inside larger buffers", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.string({ maxLength: 12 }), fc.integer())), (ops) => {
        const map = new BytesMap<number>();
        const ref = new Map<string, number>();
        for (const [isSet, key, value] of ops) {
          const buf = Buffer.concat([bytesOf("pre"), bytesOf(key), bytesOf("post")]);
          const end = buf.length - 4;
          if (isSet) {
            map.set(buf, 3, end, value);
            ref.set(key, value);
          }
          expect(map.get(buf, 3, end)).toBe(ref.get(key));
        }
        expect(map.size).toBe(ref.size);
      }),
    );
  });

  it("keeps integers beside each key, and finds every key after growing", () => {
    const map = new BytesMap<null>(2);
    const keys = Array.from({ length: 5000 }, (_, i) => bytesOf(`key-${i}`));
    keys.forEach((k, i) => {
      const e = map.set(k, 0, k.length, null);
      map.setInt(e, 0, i);
      map.setInt(e, 1, -i - 1);
    });
    keys.forEach((k, i) => {
      const e = map.entry(k, 0, k.length);
      expect([map.int(e, 0), map.int(e, 1)]).toEqual([i, -i - 1]);
    });
    expect(map.entry(bytesOf("key-5000"), 0, 8)).toBe(-1);
    expect(map.get(bytesOf(""), 0, 0)).toBeUndefined();
  });
});
