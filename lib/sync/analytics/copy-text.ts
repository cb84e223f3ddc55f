/**
 * PostgreSQL COPY text format, read side: one line → its fields (`\N` → null, backslash escapes
 * undone). Ingestion streams the pump table with COPY … TO STDOUT because building a JS object per
 * row through the driver cost as much as everything else ingestion does. Pure; no I/O.
 */

const ESCAPES: Record<string, string> = { b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\" };

function unescape(field: string): string {
  let out = "";
  for (let i = 0; i < field.length; i++) {
    const ch = field[i];
    if (ch !== "\\" || i === field.length - 1) {
      out += ch;
      continue;
    }
    const next = field[++i];
    if (next in ESCAPES) out += ESCAPES[next];
    else if (next >= "0" && next <= "7") {
      // \ooo: one to three octal digits
      let oct = next;
      while (oct.length < 3 && field[i + 1] >= "0" && field[i + 1] <= "7") oct += field[++i];
      out += String.fromCharCode(parseInt(oct, 8));
    } else if (next === "x" && /[0-9a-fA-F]/.test(field[i + 1] ?? "")) {
      let hex = field[++i];
      if (/[0-9a-fA-F]/.test(field[i + 1] ?? "")) hex += field[++i];
      out += String.fromCharCode(parseInt(hex, 16));
    } else out += next;
  }
  return out;
}

/** The fields of one COPY text line (without its trailing newline). */
export function parseCopyLine(line: string): (string | null)[] {
  return line.split("\t").map((f) => (f === "\\N" ? null : f.includes("\\") ? unescape(f) : f));
}

/** Splits a stream of COPY text chunks into whole lines, carrying a partial last line over. */
export class LineSplitter {
  private rest = "";

  push(chunk: string): string[] {
    const text = this.rest + chunk;
    const lines = text.split("\n");
    this.rest = lines.pop() ?? "";
    return lines;
  }

  /** What is left after the last chunk (a final line without a newline). */
  end(): string[] {
    const last = this.rest;
    this.rest = "";
    return last ? [last] : [];
  }
}
