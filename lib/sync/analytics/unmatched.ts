/**
 * Rows that land without an endpoint (their API declares no path that matches them) are kept as
 * they are, and counted per derived template (derive-template.ts) into endpoint_candidates with the
 * batch, for an admin to review: accepted, a template becomes an endpoint and the rows get it
 * (rematch.ts). The sync run reports how many rows landed unmatched.
 */
import type pg from "pg";
import { deriveTemplate } from "./derive-template";
import { withListenPath } from "./match-endpoint";

type Sql = Pick<pg.Client, "query">;

interface Candidate {
  apiId: string;
  method: string;
  path: string;
  requests: number;
  example: string;
}

export class UnmatchedPaths {
  private batch = new Map<string, Candidate>();
  /** Unmatched rows in committed batches of this run. */
  total = 0;

  add(apiId: string, method: string, path: string, listenPath: string | null): void {
    const full = withListenPath(path.split("?")[0] || "/", listenPath);
    const template = deriveTemplate(full);
    const key = `${apiId}\u0000${method}\u0000${template}`;
    const c = this.batch.get(key);
    if (c) c.requests++;
    else this.batch.set(key, { apiId, method, path: template, requests: 1, example: full });
  }

  /** Inside the batch's transaction: adds the batch's counts to the candidates (new ones pending review). */
  async writePending(sql: Sql): Promise<void> {
    if (!this.batch.size) return;
    const c = [...this.batch.values()];
    await sql.query(
      `INSERT INTO endpoint_candidates (id, api_id, method, path, source, requests, example_path, first_seen_at, last_seen_at)
       SELECT gen_random_uuid()::text, a, m, p, 'observed', n, e, now(), now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[]) AS t(a, m, p, n, e)
       ON CONFLICT (api_id, method, path) DO UPDATE
         SET requests = endpoint_candidates.requests + EXCLUDED.requests, last_seen_at = now()`,
      [c.map((x) => x.apiId), c.map((x) => x.method), c.map((x) => x.path), c.map((x) => x.requests), c.map((x) => x.example)],
    );
  }

  commit(): void {
    for (const c of this.batch.values()) this.total += c.requests;
    this.batch.clear();
  }

  rollback(): void {
    this.batch.clear();
  }
}
