// `npm run audit:verify` — re-computes the audit trail's hash chain from DATABASE_URL.
// Exit 0: intact. Exit 1: broken (names the first bad row). Exit 2: could not check.
import { createDb } from "@/lib/db";
import { verifyAuditChain } from "@/lib/audit/record";

async function main(): Promise<number> {
  const db = createDb();
  try {
    const verdict = await verifyAuditChain(db);
    if (verdict.ok) {
      console.log(`audit chain OK: ${verdict.rows} event(s) verified`);
      return 0;
    }
    console.error(`audit chain BROKEN at event id ${verdict.brokenAt} (after ${verdict.rows - 1} good event(s)): ${verdict.reason}`);
    return 1;
  } finally {
    await db.$disconnect();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (err) => {
    console.error(`audit verify failed to run: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 2;
  },
);
