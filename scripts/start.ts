// Production start: apply pending migrations to DATABASE_URL, then run the console's server
// (scripts/serve.ts: Next behind Node's server, with request timeouts and the client's address).
import { spawn } from "node:child_process";
import path from "node:path";
import { applyMigrations } from "./db/migrate";

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error("touchline: DATABASE_URL: required (postgres://…)");
    process.exit(1);
  }
  const { applied } = await applyMigrations(url);
  if (applied.length) console.log(`migrations applied: ${applied.join(", ")}`);
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve(import.meta.dirname, "serve.ts")], { stdio: "inherit" });
  for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => child.kill(sig));
  child.on("exit", (code) => process.exit(code ?? 0));
}

main().catch((err) => {
  console.error(`touchline: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
