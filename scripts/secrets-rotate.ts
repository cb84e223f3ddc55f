// `npm run secrets:rotate`: after a key rotation (new key in TOUCHLINE_ENCRYPTION_KEY /
// TOUCHLINE_AUDIT_KEY, the old one moved to …_PREVIOUS):
// - re-seals every stored connection secret with the new encryption key;
// - verifies the whole audit chain with both audit keys and signs a checkpoint with the new one, which
//   vouches for the rows the old key sealed (their content digest), so the old key can then go.
// Once it reports both done, the …_PREVIOUS variables can be removed.
import { createDb } from "@/lib/db";
import { configuredAuditKeys } from "@/lib/audit/record";
import { verifyAuditChain, writeCheckpoint } from "@/lib/audit/verify";
import { configuredKeys, rotateConnectionSecrets } from "@/lib/security/connections";

async function main(): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  const db = createDb(url);
  try {
    if (configuredKeys()) {
      const { resealed, total } = await rotateConnectionSecrets(db);
      console.log(`secrets:rotate: ${resealed} of ${total} stored connection secrets re-sealed with the current key`);
    } else {
      console.log("secrets:rotate: TOUCHLINE_ENCRYPTION_KEY is not set, no connection secrets to re-seal");
    }
    if (!configuredAuditKeys()) {
      console.log("secrets:rotate: TOUCHLINE_AUDIT_KEY is not set, no audit checkpoint to re-sign");
      return 0;
    }
    const { verdict } = await verifyAuditChain(db);
    if (!verdict.ok) {
      console.error(`secrets:rotate: the audit chain does not verify (${verdict.kind} at ${verdict.brokenAt ?? "the end"}: ${verdict.reason}); no checkpoint signed`);
      return 1;
    }
    const claim = await writeCheckpoint(db);
    console.log(`secrets:rotate: audit chain verified (${verdict.rows} events); ${claim ? `checkpoint signed with the current key at ${claim.rows} rows` : "the newest checkpoint already covers it"}`);
    return 0;
  } finally {
    await db.$disconnect();
  }
}

main().then(
  (code) => (process.exitCode = code),
  (err) => {
    console.error(`secrets:rotate failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
