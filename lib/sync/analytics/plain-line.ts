/**
 * Reading a "plain" pump line straight from the bytes COPY sent: ASCII, no escapes but whole-field
 * NULLs (`\N`) in the fields ingest parses, and tags in the pump's own `["a","b"]` form. Nearly every
 * line is plain; ingest reads those without decoding them to strings (see PumpToRecords) and gives
 * any other line to the string path (copy-text.ts, transform.ts), whose rules these functions
 * reproduce exactly — a property test holds the two paths to the same output.
 */
import { sameBytes } from "./bytes-map";
import { PARSED_COLUMNS } from "./transform";

// Another module's export is read through a getter call under tsx (which runs the sync) and the
// bundlers: the per-row code reads module-local copies.
const FIELDS = PARSED_COLUMNS;

const TAB = 9;
const BACKSLASH = 92;
const N = 78;
const QUOTE = 34;
const COMMA = 44;

/**
 * Fills `bounds` with [start, end) of the first PARSED_COLUMNS fields of `bytes[start, end)` (a NULL
 * field gets an empty range at its end: the string path reads NULL and "" alike in every parsed
 * field). False when the line is not plain or has fewer fields.
 */
export function scanPlainLine(bytes: Uint8Array, start: number, end: number, bounds: Int32Array): boolean {
  let from = start;
  for (let field = 0; field < FIELDS; field++) {
    if (from > end) return false;
    let i = from;
    if (i < end && bytes[i] === BACKSLASH) {
      if (i + 1 >= end || bytes[i + 1] !== N || (i + 2 !== end && bytes[i + 2] !== TAB)) return false;
      // Empty, and placed where the field's tab is: the field's end still finds the next field.
      bounds[2 * field] = bounds[2 * field + 1] = i + 2;
      from = i + 3;
      continue;
    }
    for (; i < end; i++) {
      const c = bytes[i];
      if (c === TAB) break;
      if (c >= 0x80 || c === BACKSLASH) return false;
    }
    bounds[2 * field] = from;
    bounds[2 * field + 1] = i;
    from = i + 1;
  }
  return true;
}

/** Whether `bytes[start, end)` spells `text` (ASCII). */
function sameText(bytes: Uint8Array, start: number, end: number, text: string): boolean {
  if (end - start !== text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[start + i] !== text.charCodeAt(i)) return false;
  return true;
}

/**
 * The integer a plain field holds, as transform.ts's `clampedInt` reads it: null when empty; plain
 * decimal up to nine digits here, anything else (signs, exponents, fractions, huge values) through
 * `slow` on the field's text.
 */
export function plainInt(bytes: Buffer, start: number, end: number, slow: (text: string) => number | null): number | null {
  if (start === end) return null;
  const neg = bytes[start] === 45; // "-"
  const from = neg ? start + 1 : start;
  if (end - from < 1 || end - from > 9) return slow(bytes.toString("latin1", start, end));
  let v = 0;
  for (let i = from; i < end; i++) {
    const d = bytes[i] - 48;
    if (d < 0 || d > 9) return slow(bytes.toString("latin1", start, end));
    v = v * 10 + d;
  }
  return neg ? -v : v;
}

/** What a plain tags field says, as [start, end) ranges into the line's bytes. */
export class PlainTags {
  /** Distinct `pol-` ids in order of appearance: start, end pairs. */
  readonly policies = new Int32Array(64);
  policyCount = 0;
  keyStart = -1;
  keyEnd = -1;
  traceStart = -1;
  traceEnd = -1;

  private reset(): void {
    this.policyCount = 0;
    this.keyStart = this.keyEnd = this.traceStart = this.traceEnd = -1;
  }

  /**
   * Reads the tags field `bytes[start, end)` (transform.ts's parseAnalyticsTags on the pump's form):
   * empty, `null`, `[]`, or `["tag","tag",…]` with no other quote. False for any other form.
   */
  scan(bytes: Uint8Array, start: number, end: number): boolean {
    this.reset();
    const len = end - start;
    if (len === 0) return true;
    if (len === 2 && bytes[start] === 91 && bytes[start + 1] === 93) return true; // []
    if (len === 4 && sameText(bytes, start, end, "null")) return true;
    if (len < 4 || bytes[start] !== 91 || bytes[start + 1] !== QUOTE || bytes[end - 2] !== QUOTE || bytes[end - 1] !== 93) return false;
    const last = end - 2;
    let from = start + 2;
    for (let i = from; i <= last; i++) {
      if (i < last && bytes[i] !== QUOTE) continue;
      if (i < last && !(bytes[i + 1] === COMMA && bytes[i + 2] === QUOTE && i + 2 < last)) return false;
      if (!this.tag(bytes, from, i)) return false;
      from = i + 3;
      i += 2;
    }
    return true;
  }

  private tag(bytes: Uint8Array, start: number, end: number): boolean {
    const len = end - start;
    if (len > 4 && sameText(bytes, start, start + 4, "pol-")) {
      const s = start + 4;
      for (let p = 0; p < this.policyCount; p++) if (sameBytes(bytes, this.policies[2 * p], this.policies[2 * p + 1], bytes, s, end)) return true;
      if (this.policyCount * 2 === this.policies.length) return false;
      this.policies[2 * this.policyCount] = s;
      this.policies[2 * this.policyCount + 1] = end;
      this.policyCount++;
    } else if (len > 9 && sameText(bytes, start, start + 9, "trace-id-")) {
      if (this.traceStart === -1) {
        this.traceStart = start + 9;
        this.traceEnd = end;
      }
    } else if (len > 4 && sameText(bytes, start, start + 4, "key-") && this.keyStart === -1) {
      this.keyStart = start + 4;
      this.keyEnd = end;
    }
    return true;
  }

  /** The policies read, as strings. */
  policyIds(bytes: Buffer): string[] {
    const out: string[] = [];
    for (let p = 0; p < this.policyCount; p++) out.push(bytes.toString("latin1", this.policies[2 * p], this.policies[2 * p + 1]));
    return out;
  }
}
