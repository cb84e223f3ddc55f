/** The environments page: both sides' names per API side by side, the mismatches first, counts per canonical environment, and the admin's aliases. */
import { z } from "zod";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import { apiEnvironments, loadAliases, type ApiEnvironment } from "./load";
import { environmentName } from "./schema";
import { CANONICAL_ENVIRONMENTS, environmentKey, type EnvironmentStatus } from "./normalise";

const STATUS_ORDER: EnvironmentStatus[] = ["mismatch", "naming", "traces_only", "gateway_only", "undeclared", "same"];


export const aliasBody = z.object({ name: environmentName, environment: environmentName });
export const aliasParams = z.object({ name: z.string().min(1).max(100) });

export async function environmentsPage(db: PrismaClient, now = Date.now()) {
  const aliases = await loadAliases(db);
  const apis = await apiEnvironments(db, now, aliases);
  const byEnvironment = new Map<string, { apis: number; spellings: Set<string> }>();
  for (const a of apis) {
    const names = [...(a.tyk ? [{ raw: a.tyk.raw, environment: a.tyk.environment }] : []), ...a.traces];
    for (const n of names) {
      const e = byEnvironment.get(n.environment) ?? { apis: 0, spellings: new Set<string>() };
      e.spellings.add(n.raw);
      byEnvironment.set(n.environment, e);
    }
    if (a.environment) {
      const e = byEnvironment.get(a.environment) ?? { apis: 0, spellings: new Set<string>() };
      e.apis++;
      byEnvironment.set(a.environment, e);
    }
  }
  const rank = (a: ApiEnvironment) => STATUS_ORDER.indexOf(a.status);
  return {
    apis: [...apis].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name)),
    environments: [...byEnvironment.entries()].map(([environment, e]) => ({ environment, apis: e.apis, spellings: [...e.spellings].sort() }))
      .sort((a, b) => b.apis - a.apis || a.environment.localeCompare(b.environment)),
    aliases: [...aliases.entries()].map(([name, environment]) => ({ name, environment })).sort((a, b) => a.name.localeCompare(b.name)),
    canonical: CANONICAL_ENVIRONMENTS,
  };
}

export type EnvironmentsPage = Awaited<ReturnType<typeof environmentsPage>>;

/** Sets (or replaces) an alias: `name` in any spelling is counted as `environment`. */
export async function setAlias(db: PrismaClient, input: z.infer<typeof aliasBody>, actor: string) {
  const name = environmentKey(input.name);
  const environment = environmentKey(input.environment);
  if (name === environment) throw new ApiError("bad_request", "An alias must name a different environment", "environment");
  return db.environmentAlias.upsert({ where: { name }, create: { name, environment, createdBy: actor }, update: { environment, createdBy: actor } });
}

export async function deleteAlias(db: PrismaClient, rawName: string) {
  const name = environmentKey(rawName);
  const { count } = await db.environmentAlias.deleteMany({ where: { name } });
  if (!count) throw new ApiError("not_found", `No alias named ${name}`);
  return { deleted: name };
}
