// `npm run secrets:rotate`: after setting a new TOUCHLINE_ENCRYPTION_KEY and moving the old one to
// TOUCHLINE_ENCRYPTION_KEY_PREVIOUS, re-seals every stored connection secret with the new key.
// Once it reports all current, TOUCHLINE_ENCRYPTION_KEY_PREVIOUS can be removed.
import { createDb } from "@/lib/db";
import { rotateConnectionSecrets } from "@/lib/security/connections";

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  const db = createDb(url);
  try {
    const { resealed, total } = await rotateConnectionSecrets(db);
    console.log(`secrets:rotate: ${resealed} of ${total} stored connection secrets re-sealed with the current key`);
  } finally {
    await db.$disconnect();
  }
}

main().catch((err) => {
  console.error(`secrets:rotate failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
