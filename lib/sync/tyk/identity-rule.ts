// Which identity (person or service) stands behind a key. Tyk has no such notion; installs encode
// it in the key's alias, meta_data or tags. The rule, first match wins:
//   1. meta_data.email / meta_data.user_email (an email)            → person
//   2. meta_data.service / meta_data.service_name                    → service
//   3. a tag "service:<name>"                                         → service
//      a tag "email:<addr>" or "user:<addr>"                          → person
//   4. the alias, if it is an email                                   → person
//   5. the alias otherwise                                            → service named by the alias
// Team: meta_data.team or a tag "team:<name>". No alias, meta_data or tag → no identity.

import { createHash } from "node:crypto";

export interface KeyIdentityInput {
  alias?: string | null;
  meta_data?: Record<string, unknown> | null;
  tags?: string[] | null;
}

export interface IdentityRef {
  kind: "person" | "service";
  /** Email for people, service name for services (Identity.externalId). */
  externalId: string;
  email: string | null;
  name: string;
  team: string | null;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function str(v: unknown): string | null {
  return typeof v === "string" && v.trim() ? v.trim() : null;
}

function tagValue(tags: string[], ...prefixes: string[]): string | null {
  for (const t of tags) {
    for (const p of prefixes) if (t.toLowerCase().startsWith(`${p}:`)) return str(t.slice(p.length + 1));
  }
  return null;
}

export function identityForKey(k: KeyIdentityInput): IdentityRef | null {
  const meta = k.meta_data ?? {};
  const tags = k.tags ?? [];
  const team = str(meta.team) ?? tagValue(tags, "team");
  const person = (email: string): IdentityRef => {
    const e = email.toLowerCase();
    return { kind: "person", externalId: e, email: e, name: str(meta.name) ?? e, team };
  };
  const service = (name: string): IdentityRef => ({ kind: "service", externalId: name, email: null, name, team });

  const metaEmail = str(meta.email) ?? str(meta.user_email);
  if (metaEmail && EMAIL.test(metaEmail)) return person(metaEmail);
  const metaService = str(meta.service) ?? str(meta.service_name);
  if (metaService) return service(metaService);
  const tagService = tagValue(tags, "service");
  if (tagService) return service(tagService);
  const tagEmail = tagValue(tags, "email", "user");
  if (tagEmail && EMAIL.test(tagEmail)) return person(tagEmail);
  const alias = str(k.alias);
  if (alias && EMAIL.test(alias)) return person(alias);
  if (alias) return service(alias);
  return null;
}

/**
 * The id a new identity gets: derived from its external id, so two writers that create the same
 * identity at once (the Tyk sync from a key's alias, ingest from a Pump record's alias) agree on it.
 */
export function identityIdOf(externalId: string): string {
  return `idn_${createHash("sha256").update(externalId).digest("hex").slice(0, 24)}`;
}
