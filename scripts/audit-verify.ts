// `npm run audit:verify` — re-computes the audit trail's chain from DATABASE_URL (HMAC with
// TOUCHLINE_AUDIT_KEY / _PREVIOUS; plain sha256 for rows from before a key was set) and compares it
// with the signed checkpoints in TOUCHLINE_AUDIT_CHECKPOINT_DIR. `--checkpoint` signs a new one after.
// Exit 0: intact. Exit 1: broken (says how: edited, removed, recomputed, deleted tail, emptied…).
// Exit 2: could not check.
import { createDb } from "@/lib/db";
import { verifyAuditChain, writeCheckpoint } from "@/lib/audit/verify";
import { configuredAuditKeys } from "@/lib/audit/record";

const HEADLINE = {
  edited: "a row was EDITED",
  removed: "a row was REMOVED from the middle",
  recomputed: "the chain was RECOMPUTED without the audit key",
  deleted_tail: "the newest rows were DELETED (deleted tail)",
  emptied: "the table was EMPTIED",
  unverifiable: "rows cannot be verified with the configured keys",
  checkpoint_forged: "the checkpoint file was ALTERED",
} as const;

async function main(): Promise<number> {
  const db = createDb();
  try {
    const { verdict, checkpoints } = await verifyAuditChain(db);
    const cps = `${checkpoints.valid} signed checkpoint(s) in ${checkpoints.where}${checkpoints.skipped ? `, ${checkpoints.skipped} signed with a retired key skipped` : ""}`;
    if (!verdict.ok) {
      const where = verdict.brokenAt ? ` at event id ${verdict.brokenAt}` : "";
      console.error(`audit chain BROKEN: ${HEADLINE[verdict.kind]}${where} (after ${Math.max(verdict.rows - 1, 0)} good event(s)): ${verdict.reason}`);
      console.error(`checked against ${cps}`);
      return 1;
    }
    const cp = verdict.checkpoint ? `; newest checkpoint ${verdict.checkpoint.at} (${verdict.checkpoint.rows} rows) matches` : "; no checkpoint to compare with";
    console.log(`audit chain OK: ${verdict.rows} event(s) verified (${verdict.keyedRows} keyed, ${verdict.plainRows} plain sha256)${cp}`);
    console.log(`checked against ${cps}`);
    if (!configuredAuditKeys()) console.warn("warning: TOUCHLINE_AUDIT_KEY is not set — anyone who can write the database could re-hash this chain");
    if (process.argv.includes("--checkpoint")) {
      const claim = await writeCheckpoint(db);
      console.log(claim ? `checkpoint signed: ${claim.rows} rows up to id ${claim.headId}` : "checkpoint: nothing new since the last one");
    }
    return 0;
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
