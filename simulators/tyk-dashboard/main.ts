// CLI: `npx tsx simulators/tyk-dashboard/main.ts`. Env: TYK_SIM_PORT (3200), TYK_SIM_API_KEY,
// TYK_SIM_AUDIT_LOG (on|off), TYK_SIM_ANALYTICS_DATABASE_URL, TYK_SIM_PUMP_INTERVAL_MS (how often the pump
// writes, default 10000), TYK_SIM_HASH_KEYS (on|off), WORLD_SEED,
// WORLD_ANCHOR (ISO time or epoch ms; give both simulators the same one so their worlds agree).
import { createWorld } from "../world";
import { startTykSimulator } from "./server";

function anchorFromEnv(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const d = /^\d+$/.test(value) ? new Date(Number(value)) : new Date(value);
  if (Number.isNaN(d.getTime())) throw new Error(`WORLD_ANCHOR is not a time: ${value}`);
  return d;
}

const apiKey = process.env.TYK_SIM_API_KEY;
if (!apiKey) {
  console.error("TYK_SIM_API_KEY is required");
  process.exit(1);
}
const world = createWorld({ seed: process.env.WORLD_SEED ? Number(process.env.WORLD_SEED) : undefined,
  anchor: anchorFromEnv(process.env.WORLD_ANCHOR) });
const sim = await startTykSimulator({
  world, apiKey, port: Number(process.env.TYK_SIM_PORT ?? 3200), host: process.env.TYK_SIM_HOST ?? "127.0.0.1",
  auditLog: (process.env.TYK_SIM_AUDIT_LOG ?? "on") !== "off", hashKeys: (process.env.TYK_SIM_HASH_KEYS ?? "on") !== "off",
  analyticsDatabaseUrl: process.env.TYK_SIM_ANALYTICS_DATABASE_URL || undefined,
  pumpIntervalMs: process.env.TYK_SIM_PUMP_INTERVAL_MS ? Number(process.env.TYK_SIM_PUMP_INTERVAL_MS) : undefined,
});
console.log(`tyk dashboard simulator listening on ${sim.url} (seed ${world.seed}, anchor ${world.anchor.toISOString()}` +
  `${sim.pump ? `, pump rows ${sim.pump.rowsWritten()}` : ""})`);
const stop = () => void sim.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
