/**
 * CLI: `npx tsx simulators/lightstep/main.ts`. Env: LIGHTSTEP_SIM_PORT (3300), LIGHTSTEP_SIM_API_KEY,
 * LIGHTSTEP_SIM_ORG, LIGHTSTEP_SIM_PROJECT, WORLD_SEED, WORLD_ANCHOR (ISO time; default now),
 * LIGHTSTEP_SIM_TYK_URL + LIGHTSTEP_SIM_TYK_API_KEY (the Tyk simulator whose gateway limits the traffic).
 */
import { createWorld } from "../world/index";
import { startLightstepSimulator } from "./server";

const env = process.env;
const world = createWorld({
  seed: env.WORLD_SEED ? Number(env.WORLD_SEED) : undefined,
  anchor: env.WORLD_ANCHOR ? new Date(env.WORLD_ANCHOR) : undefined,
});
const sim = await startLightstepSimulator({
  port: Number(env.LIGHTSTEP_SIM_PORT ?? 3300),
  world,
  apiKey: env.LIGHTSTEP_SIM_API_KEY ?? "lightstep-dev-key",
  org: env.LIGHTSTEP_SIM_ORG ?? "acme",
  project: env.LIGHTSTEP_SIM_PROJECT ?? "production",
  rateLimitPerSec: env.LIGHTSTEP_SIM_RATE ? Number(env.LIGHTSTEP_SIM_RATE) : 2,
  gateway: env.LIGHTSTEP_SIM_TYK_URL ? { url: env.LIGHTSTEP_SIM_TYK_URL, apiKey: env.LIGHTSTEP_SIM_TYK_API_KEY ?? "" } : undefined,
});
console.log(`lightstep simulator listening on ${sim.url} (org ${env.LIGHTSTEP_SIM_ORG ?? "acme"}, project ${env.LIGHTSTEP_SIM_PROJECT ?? "production"}, seed ${world.seed}, anchor ${world.anchor.toISOString()})`);

const stop = () => void sim.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
