/**
 * User types: the groups a caller belongs to, so that "partners on Gold got slower" is seen even
 * when no single key stands out. A caller (request_callers row) is in one type per policy it has
 * (`policy:<id>`), one for what stands behind it (`kind:person|service|none`), one for its OAuth
 * client (`oauth:<id>`) and one per IdP group of the person (`group:<name>`, from the users who
 * signed in to the console).
 */
import type { PrismaClient } from "@/lib/generated/prisma/client";

export interface CallerRow {
  id: number;
  identityId: string | null;
  oauthClientId: string | null;
  policyIds: string[];
}

export interface TypeDirectory {
  /** Identity id → person | service | unknown. */
  kinds: Map<string, string>;
  /** Identity id → the IdP groups of the console user with its email. */
  groups: Map<string, string[]>;
}

/** The user types a caller belongs to. Pure. */
export function typesOfCaller(c: CallerRow, dir: TypeDirectory): string[] {
  const out = c.policyIds.map((p) => `policy:${p}`);
  const kind = c.identityId ? dir.kinds.get(c.identityId) : undefined;
  out.push(`kind:${kind === "person" || kind === "service" ? kind : "none"}`);
  if (c.oauthClientId) out.push(`oauth:${c.oauthClientId}`);
  for (const g of (c.identityId && dir.groups.get(c.identityId)) || []) out.push(`group:${g}`);
  return out;
}

const KIND_LABELS: Record<string, string> = { person: "People", service: "Services", none: "No identity" };

/** What the page calls a user type, e.g. "Policy partner-gold", "No identity", "IdP group partners". */
export function typeLabel(type: string, names: { policies: Map<string, string>; oauthClients: Map<string, string> }): string {
  const [prefix, ...rest] = type.split(":");
  const id = rest.join(":");
  if (prefix === "policy") return `Policy ${names.policies.get(id) ?? id}`;
  if (prefix === "kind") return KIND_LABELS[id] ?? id;
  if (prefix === "oauth") return `OAuth client ${names.oauthClients.get(id) ?? id}`;
  if (prefix === "group") return `IdP group ${id}`;
  return type;
}

export async function loadTypeDirectory(db: PrismaClient, identityIds: string[]): Promise<TypeDirectory> {
  const identities = identityIds.length
    ? await db.identity.findMany({ where: { id: { in: identityIds } }, select: { id: true, kind: true, email: true } })
    : [];
  const emails = identities.map((i) => i.email).filter((e): e is string => !!e);
  const users = emails.length ? await db.user.findMany({ where: { email: { in: emails } }, select: { email: true, groups: true } }) : [];
  const groupsByEmail = new Map(users.map((u) => [u.email!.toLowerCase(), u.groups]));
  const groups = new Map<string, string[]>();
  for (const i of identities) {
    const g = i.email ? groupsByEmail.get(i.email.toLowerCase()) : undefined;
    if (g?.length) groups.set(i.id, g);
  }
  return { kinds: new Map(identities.map((i) => [i.id, i.kind])), groups };
}

/** The user types of each of the callers (request_callers ids); an unknown id gets none. */
export async function typesOfCallerIds(db: PrismaClient, ids: number[]): Promise<Map<number, string[]>> {
  if (!ids.length) return new Map();
  const callers: CallerRow[] = await db.requestCaller.findMany({ where: { id: { in: ids } }, select: { id: true, identityId: true, oauthClientId: true, policyIds: true } });
  const dir = await loadTypeDirectory(db, [...new Set(callers.map((c) => c.identityId).filter((i): i is string => i !== null))]);
  return new Map(callers.map((c) => [c.id, typesOfCaller(c, dir)]));
}

export async function loadTypeNames(db: PrismaClient) {
  const [policies, clients] = await Promise.all([
    db.policy.findMany({ select: { id: true, name: true } }),
    db.oAuthClient.findMany({ select: { id: true, name: true } }),
  ]);
  return {
    policies: new Map(policies.map((p) => [p.id, p.name])),
    oauthClients: new Map(clients.filter((c) => c.name).map((c) => [c.id, c.name!])),
  };
}
