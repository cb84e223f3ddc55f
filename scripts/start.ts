// Production start: check the configuration, apply pending migrations to DATABASE_URL, then run the
// console's server (scripts/serve.ts: Next behind Node's server, with request timeouts and the client's
// address). A bad variable stops here, named, before anything runs or "Ready" is printed.
import { spawn } from "node:child_process";
import path from "node:path";
import { parseEnv } from "@/lib/env";
import { applyMigrations } from "./db/migrate";

/** The database URL with its password hidden, for messages. */
function shown(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparsable)";
  }
}

async function main() {
  let config;
  try {
    config = parseEnv(process.env);
  } catch (err) {
    console.error(`touchline: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
  const url = config.DATABASE_URL;
  let applied: string[];
  try {
    ({ applied } = await applyMigrations(url));
  } catch (err) {
    const e = err as { code?: string; message?: string };
    console.error(`touchline: DATABASE_URL: cannot use the database at ${shown(url)}: ${e.code ? `${e.code} ` : ""}${e.message ?? String(err)}`);
    process.exit(1);
  }
  if (applied.length) console.log(`migrations applied: ${applied.join(", ")}`);
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve(import.meta.dirname, "serve.ts")], { stdio: "inherit" });
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => child.kill(sig));
  child.on("exit", (code) => process.exit(code ?? 0));
}

main().catch((err) => {
  console.error(`touchline: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
