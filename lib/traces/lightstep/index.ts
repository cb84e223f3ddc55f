import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createLightstepSource, type LightstepTraceSource } from "./adapter";
import { readLightstepConfig } from "./config";
import { prismaStreamStore } from "./stream-store";

export { LightstepTraceSource, createLightstepSource } from "./adapter";
export { readLightstepConfig, type LightstepConfig } from "./config";
export { prismaStreamStore, memoryStreamStore, type StreamStore } from "./stream-store";

/** The app's Lightstep source from LIGHTSTEP_* settings, with streams remembered in `db`. */
export function lightstepFromEnv(db: PrismaClient, env: Record<string, string | undefined> = process.env): { source: LightstepTraceSource; service: string } {
  const config = readLightstepConfig(env);
  const store = prismaStreamStore(db, `lightstep:${config.org}/${config.project}`);
  return { source: createLightstepSource(config, store), service: config.service };
}
