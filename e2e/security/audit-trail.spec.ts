import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test } from "@playwright/test";
import { dbQuery, e2eEnv, REPO_ROOT } from "./support";

// The running stack's audit trail: keyed with the stack's TOUCHLINE_AUDIT_KEY, checkpointed by the
// server outside the database, append-only in the database, and `npm run audit:verify` says so.
const run = promisify(execFile);

test("the stack's audit chain is keyed, checkpointed by the server and verifies with audit:verify", async () => {
  const env = e2eEnv();
  const { stdout } = await run(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/audit-verify.ts", "--checkpoint"], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: env.databaseUrl, TOUCHLINE_AUDIT_KEY: env.secrets.TOUCHLINE_AUDIT_KEY, TOUCHLINE_AUDIT_CHECKPOINT_DIR: env.auditCheckpointDir },
  });
  expect(stdout).toMatch(/audit chain OK: (\d+) event\(s\) verified \(\1 keyed, 0 plain sha256\); newest checkpoint/);
  expect(stdout).toMatch(/checkpoint( signed|: nothing new since the last one)/);
  const [{ n }] = await dbQuery<{ n: number }>("SELECT count(*)::int AS n FROM audit_events WHERE alg <> 'hmac-sha256'");
  expect(n).toBe(0);
});

test("the database refuses to change or delete audit rows", async () => {
  for (const statement of ["UPDATE audit_events SET ip = '6.6.6.6'", "DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events)", "TRUNCATE audit_events"]) {
    await expect(dbQuery(statement), statement).rejects.toThrow(/append-only/);
  }
});
