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

/** The fields of one COPY text line (without its trailing newline); only the first `limit` when given. */
export function parseCopyLine(line: string, limit?: number): (string | null)[] {
  const fields: (string | null)[] = line.split("\t", limit);
  // Most lines hold no NULL and no escape: then the split is the answer.
  if (!line.includes("\\")) return fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] as string;
    fields[i] = f === "\\N" ? null : f.includes("\\") ? unescape(f) : f;
  }
  return fields;
}
