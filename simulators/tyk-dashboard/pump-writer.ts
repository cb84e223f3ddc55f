// Plays Tyk Pump's SQL pump: fills `tyk_analytics` with the world's requests, backfilling the last
// day with one COPY and then, like the pump's purge loop, appending every few seconds the requests
// served since the last write (current timestamps, partial minutes included).
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import type { SimRequest, World } from "../world";
import { PUMP_COLUMNS, PUMP_TABLE, pumpIndexDdl, pumpTableDdl } from "./pump-schema";

const MINUTE = 60_000;
const HUNDRED_YEARS_MS = 100 * 365 * 86_400_000; // the pump's SetExpiry(0)

export interface PumpWriterOptions {
  world: World;
  databaseUrl: string;
  /** hash_keys on: `apikey` holds the key hash; off: the raw key. */
  hashKeys?: boolean;
  /** How far back the first run backfills (default 24 h). */
  backfillMs?: number;
  /** How often the requests served since the last write are appended (default 10 s, Tyk Pump's purge_delay). */
  intervalMs?: number;
  table?: string;
  onError?: (err: unknown) => void;
  /**
   * The gateway's verdict on each world request as it is written: the request unchanged, or a
   * refusal (a key deleted or expired through the API is turned away with 401/403).
   */
  admit?: (r: SimRequest) => SimRequest;
}

export interface PumpWriter {
  /** Writes every request served before now that is not in the table yet; returns the number of rows written. */
  flush(): Promise<number>;
  /** Writes requests served outside the world's own traffic (POST /_sim/requests) in the next write. */
  append(requests: SimRequest[]): Promise<number>;
  rowsWritten(): number;
  /** Every request before this time (epoch ms, exclusive) is in the table. */
  writtenUntil(): number;
  close(): Promise<void>;
}

function esc(value: string): string {
  return /[\\\t\n\r]/.test(value)
    ? value.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r")
    : value;
}

/** The tags a gateway attaches to a record: session tags, key, org, API, policies, trace id (5.11+). */
export function recordTags(r: SimRequest): string[] {
  return [...(r.keyHash ? [`key-${r.keyHash}`] : []), `org-${r.orgId}`, `api-${r.apiId}`, ...r.policyIds.map((p) => `pol-${p}`), ...(r.traceId ? [`trace-id-${r.traceId}`] : [])];
}

/** One COPY text-format line, columns in PUMP_COLUMNS order. */
export function toCopyLine(r: SimRequest, hashKeys: boolean, host: string): string {
  const t = new Date(r.ts);
  const bytesIn = r.method === "GET" ? 0 : 180 + (r.latencyMs % 600);
  const values: (string | number | boolean)[] = [
    r.method, host, r.path, r.path, bytesIn, esc(r.userAgent),
    t.getUTCDate(), t.getUTCMonth() + 1, t.getUTCFullYear(), t.getUTCHours(),
    r.status, hashKeys ? r.keyHash : r.rawKey, t.toISOString(), "Default", esc(r.apiName),
    r.apiId, r.orgId, r.oauthClientId, r.latencyMs, "", "", r.ip,
    "", 0, "{}", 0, 0, "",
    0, 0, bytesIn, 400 + (r.latencyMs % 3000),
    r.latencyMs, r.upstreamMs, r.gatewayMs,
    esc(JSON.stringify(recordTags(r))), esc(r.keyAlias), false, new Date(r.ts + HUNDRED_YEARS_MS).toISOString(),
    r.path, r.listenPath,
  ];
  return values.join("\t") + "\n";
}

export async function ensurePumpTable(client: pg.ClientBase, table = PUMP_TABLE): Promise<void> {
  await client.query(pumpTableDdl(table));
  for (const sql of pumpIndexDdl(table)) await client.query(sql);
}

export async function startPumpWriter(opts: PumpWriterOptions): Promise<PumpWriter> {
  const { world, hashKeys = true, table = PUMP_TABLE } = opts;
  const client = new pg.Client({ connectionString: opts.databaseUrl });
  await client.connect();
  await ensurePumpTable(client, table);
  const hosts = new Map(world.stateAt(new Date()).apis.map((a) => [a.id, new URL(a.targetUrl).host]));

  // Resume after the newest row already present: each flush is one COPY of every request before
  // its time, so every request up to that row was written with it.
  const { rows } = await client.query<{ max: Date | null }>(`SELECT max("timestamp") AS max FROM ${table}`);
  const backfillFrom = Math.floor((Date.now() - (opts.backfillMs ?? 24 * 60 * MINUTE)) / MINUTE) * MINUTE;
  let next = rows[0]?.max ? Math.max(rows[0].max.getTime() + 1, backfillFrom) : backfillFrom;
  let written = 0;
  let chain: Promise<number> = Promise.resolve(0);
  let closed = false;

  const admit = opts.admit ?? ((r: SimRequest) => r);
  const line = (r: SimRequest) => toCopyLine(r, hashKeys, hosts.get(r.apiId) ?? "upstream.local");
  const copy = async (fill: (write: (chunk: string) => Promise<void>) => Promise<number>): Promise<number> => {
    const stream = client.query(copyFrom(`COPY ${table} (${PUMP_COLUMNS.map(([c]) => `"${c}"`).join(",")}) FROM STDIN`));
    const done = new Promise<void>((resolve, reject) => {
      stream.on("finish", resolve);
      stream.on("error", reject);
    });
    const count = await fill(async (chunk) => {
      if (chunk && !stream.write(chunk)) await new Promise((resolve) => stream.once("drain", resolve));
    });
    stream.end();
    await done;
    written += count;
    return count;
  };

  const writeUpTo = async (until: number): Promise<number> => {
    if (next >= until || closed) return 0;
    const count = await copy(async (write) => {
      let n = 0;
      // Minute by minute, so a day's backfill is never one string in memory.
      for (let m = Math.floor(next / MINUTE) * MINUTE; m < until; m += MINUTE) {
        let chunk = "";
        for (const r of world.requestsBetween(Math.max(m, next), Math.min(m + MINUTE, until))) {
          chunk += line(admit(r));
          n++;
        }
        await write(chunk);
      }
      return n;
    });
    next = until;
    return count;
  };

  // Serialise flushes: a timer tick and an explicit flush must not interleave COPYs on one client.
  const flush = () => (chain = chain.then(() => writeUpTo(Date.now())));
  await flush();
  const timer = setInterval(() => {
    flush().catch((err) => opts.onError?.(err));
  }, opts.intervalMs ?? 10_000);
  timer.unref();

  return {
    flush,
    append: (requests) => (chain = chain.then(() => (closed || !requests.length ? 0 : copy(async (write) => {
      await write(requests.map(line).join(""));
      return requests.length;
    })))),
    rowsWritten: () => written,
    writtenUntil: () => next,
    async close() {
      clearInterval(timer);
      await chain.catch(() => undefined);
      closed = true;
      await client.end();
    },
  };
}
