import { log } from "@/lib/log";

/** RFC 4180 CSV cells, plus a guard against spreadsheet formula injection (cells starting = + - @ are prefixed with '). */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  let s = value instanceof Date ? value.toISOString() : typeof value === "object" ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}

/**
 * A streamed download: `pages` yields batches of rows (keyset pages), each turned into CSV lines or
 * JSON array items, so an export of a million rows never sits in memory at once.
 */
export function exportResponse<T>(opts: {
  format: "csv" | "json";
  filename: string;
  columns: readonly { header: string; value: (row: T) => unknown }[];
  pages: AsyncIterable<T[]>;
}): Response {
  const enc = new TextEncoder();
  const { format, columns, pages } = opts;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      try {
        let first = true;
        controller.enqueue(enc.encode(format === "csv" ? csvLine(columns.map((c) => c.header)) : "["));
        for await (const rows of pages) {
          let chunk = "";
          for (const row of rows) {
            if (format === "csv") chunk += csvLine(columns.map((c) => c.value(row)));
            else {
              chunk += `${first ? "" : ","}\n${JSON.stringify(Object.fromEntries(columns.map((c) => [c.header, c.value(row) ?? null])))}`;
              first = false;
            }
          }
          if (chunk) controller.enqueue(enc.encode(chunk));
        }
        if (format === "json") controller.enqueue(enc.encode("\n]\n"));
        controller.close();
      } catch (err) {
        // The client sees the download break off; the reason belongs in the log.
        log.error({ export: opts.filename, err: err instanceof Error ? err.message : String(err) }, "export failed mid-stream");
        controller.error(err);
      }
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="${opts.filename}.${format}"`,
      "cache-control": "no-store",
    },
  });
}
