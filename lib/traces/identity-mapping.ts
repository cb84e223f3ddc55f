/**
 * Admin rules that say which span attribute names which identity field, applied in priority order
 * (lower number first; the first rule that yields a value for a field wins). Pure. A span no rule
 * maps comes back with `mapped: false` rather than being dropped, so unattributed traffic stays visible.
 */
export const IDENTITY_FIELDS = ["key_alias", "key_hash", "person_email", "service", "team"] as const;
export type IdentityField = (typeof IDENTITY_FIELDS)[number];

export interface IdentityRule {
  attribute: string;
  field: IdentityField | string;
  priority?: number;
}

export interface MappedIdentity {
  keyHash?: string;
  keyAlias?: string;
  email?: string;
  service?: string;
  team?: string;
  mapped: boolean;
}

export const DEFAULT_IDENTITY_RULES: readonly IdentityRule[] = [
  { attribute: "tyk.api.apikey", field: "key_hash", priority: 10 },
  { attribute: "tyk.api.apikey.alias", field: "key_alias", priority: 20 },
  { attribute: "enduser.id", field: "person_email", priority: 30 },
];

const FIELD_TO_PROP: Record<IdentityField, keyof Omit<MappedIdentity, "mapped">> = {
  key_alias: "keyAlias",
  key_hash: "keyHash",
  person_email: "email",
  service: "service",
  team: "team",
};

function isField(f: string): f is IdentityField {
  return (IDENTITY_FIELDS as readonly string[]).includes(f);
}

function normalise(field: IdentityField, raw: string | number | boolean): string | undefined {
  const v = String(raw).trim();
  if (!v) return undefined;
  if (field === "person_email") return v.includes("@") ? v.toLowerCase() : undefined;
  if (field === "key_hash") return v.toLowerCase();
  return v;
}

export function mapIdentity(
  attributes: Record<string, string | number | boolean | null | undefined>,
  rules: readonly IdentityRule[] = [],
): MappedIdentity {
  const active = (rules.length ? rules : DEFAULT_IDENTITY_RULES)
    .map((r, i) => ({ ...r, order: r.priority ?? 100, i }))
    .sort((a, b) => a.order - b.order || a.i - b.i);
  const out: MappedIdentity = { mapped: false };
  for (const rule of active) {
    if (!isField(rule.field)) continue;
    const raw = attributes[rule.attribute];
    if (raw === undefined || raw === null) continue;
    const prop = FIELD_TO_PROP[rule.field];
    if (out[prop] !== undefined) continue;
    const value = normalise(rule.field, raw);
    if (value === undefined) continue;
    out[prop] = value;
    out.mapped = true;
  }
  return out;
}
