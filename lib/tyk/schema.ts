import { z } from "zod";

// Zod schemas for the Tyk Dashboard API responses (spec: tyk-docs swagger/dashboard-swagger.yml, 5.13).
// Liberal with fields we do not read (looseObject keeps them, so snapshots hold the whole entity),
// strict with the ones we do. Quirks seen in the spec and in the field:
// - list fields are `nullable: true` and come back as `null` for an empty set;
// - policies carry `_id` and an often-empty `id` ("" in the spec's own example);
// - `last_updated` is a string of epoch seconds ("1716980105"), sometimes a number;
// - int64 fields are serialised like 1.710302205e+09 by Go's JSON encoder (still a JSON number).

/** `null`/missing → []. */
const list = <T extends z.ZodType>(item: T) => z.array(item).nullish().transform((v): z.infer<T>[] => v ?? []);
/**
 * The list field of an envelope: may be `null` (empty), must be present. A missing list field is
 * schema drift, and reading it as "no items" would make every entity look deleted.
 */
const envelopeList = <T extends z.ZodType>(item: T) => z.array(item).nullable().transform((v): z.infer<T>[] => v ?? []);
const pages = z.number().int().nullish();
const epochish = z.union([z.string(), z.number()]).nullish();

export const accessDefinitionSchema = z.looseObject({
  api_id: z.string().optional(),
  api_name: z.string().nullish(),
  versions: list(z.string()),
  allowed_urls: list(z.looseObject({ url: z.string(), methods: list(z.string()) })),
});

// ---------- APIs ----------
const extendedPathsSchema = z.record(z.string(), z.unknown()).nullish();
export const versionInfoSchema = z.looseObject({
  name: z.string().nullish(),
  extended_paths: extendedPathsSchema,
});
export const apiDefinitionSchema = z.looseObject({
  api_id: z.string().min(1),
  id: z.string().nullish(),
  name: z.string(),
  org_id: z.string().nullish(),
  active: z.boolean().nullish(),
  is_oas: z.boolean().nullish(),
  proxy: z.looseObject({ listen_path: z.string() }),
  version_data: z
    .looseObject({
      not_versioned: z.boolean().nullish(),
      default_version: z.string().nullish(),
      versions: z.record(z.string(), versionInfoSchema).nullish(),
    })
    .nullish(),
});
export const apiDefinitionWrapperSchema = z.looseObject({
  api_definition: apiDefinitionSchema,
  // Tyk OAS APIs carry the OpenAPI document here; its `paths` are endpoints too.
  oas: z.looseObject({ paths: z.record(z.string(), z.record(z.string(), z.unknown()).nullish()).nullish() }).nullish(),
  created_at: z.string().nullish(),
});
export const apisListSchema = z.looseObject({ apis: envelopeList(apiDefinitionWrapperSchema), pages });

// ---------- policies ----------
export const policySchema = z
  .looseObject({
    _id: z.string().nullish(),
    id: z.string().nullish(),
    name: z.string(),
    org_id: z.string().nullish(),
    rate: z.number().nullish(),
    per: z.number().nullish(),
    quota_max: z.number().nullish(),
    quota_renewal_rate: z.number().nullish(),
    throttle_interval: z.number().nullish(),
    throttle_retry_limit: z.number().nullish(),
    active: z.boolean().nullish(),
    is_inactive: z.boolean().nullish(),
    access_rights: z.record(z.string(), accessDefinitionSchema).nullish(),
    tags: list(z.string()),
    date_created: z.string().nullish(),
    last_updated: epochish,
  })
  .refine((p) => Boolean(p._id || p.id), { message: "policy has neither _id nor id", path: ["_id"] });
export const policiesListSchema = z.looseObject({ Data: envelopeList(policySchema), Pages: pages });

// ---------- keys ----------
export const sessionStateSchema = z.looseObject({
  alias: z.string().nullish(),
  org_id: z.string().nullish(),
  apply_policies: list(z.string()),
  apply_policy_id: z.string().nullish(),
  access_rights: z.record(z.string(), accessDefinitionSchema).nullish(),
  rate: z.number().nullish(),
  per: z.number().nullish(),
  quota_max: z.number().nullish(),
  expires: z.number().nullish(),
  is_inactive: z.boolean().nullish(),
  tags: list(z.string()),
  meta_data: z.record(z.string(), z.unknown()).nullish(),
  oauth_client_id: z.string().nullish(),
  date_created: z.string().nullish(),
  last_updated: epochish,
});
export const keyDataSchema = z.looseObject({
  key_id: z.string().min(1),
  key_hash: z.string().nullish(),
  data: sessionStateSchema,
});
/**
 * The answer to `POST /api/keys`: a KeyData whose `key_id` is the raw key — the only time the
 * Dashboard returns it when hash_keys is on (listings show the hash there afterwards). Some versions
 * answer with the gateway's `key` field instead.
 */
export const createdKeySchema = keyDataSchema.extend({ key_id: z.string().nullish(), key: z.string().nullish() })
  .refine((k) => Boolean(k.key || k.key_id), { message: "the created key's id is missing", path: ["key_id"] });
export const keysDetailedSchema = z.looseObject({ keys: envelopeList(keyDataSchema), pages });
export const apiKeysSchema = z.looseObject({ data: z.looseObject({ keys: envelopeList(z.string()) }), pages });

// ---------- users ----------
export const userSchema = z.looseObject({
  id: z.string(),
  email_address: z.string(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  active: z.boolean().nullish(),
  org_id: z.string().nullish(),
  group_id: z.string().nullish(),
});
export const usersListSchema = z.looseObject({ users: envelopeList(userSchema), pages });

// ---------- audit log (Dashboard 5.7+) ----------
export const auditRecordSchema = z
  .looseObject({
    _id: z.string().min(1),
    req_id: z.string().nullish(),
    org_id: z.string().nullish(),
    date: z.string().nullish(),
    timestamp: z.number().nullish(),
    ip: z.string().nullish(),
    user: z.string().nullish(),
    action: z.string().nullish(),
    method: z.string(),
    url: z.string(),
    status: z.number().int(),
  })
  .refine((r) => r.timestamp != null || (r.date != null && !Number.isNaN(parseTykDate(r.date))), {
    message: "audit record has no usable timestamp or date",
    path: ["timestamp"],
  });
export const auditLogsSchema = z.looseObject({ audit_logs: envelopeList(auditRecordSchema), pages });

// ---------- OAuth clients ----------
export const oauthAppSchema = z.looseObject({
  client_id: z.string().min(1),
  client_name: z.string().nullish(),
  description: z.string().nullish(),
  policy_id: z.string().nullish(),
  redirect_uri: z.string().nullish(),
  meta_data: z.record(z.string(), z.unknown()).nullish(),
});
/** `PUT …/rotate`: the client with its regenerated secret (shown once, never kept). */
export const rotatedOAuthAppSchema = oauthAppSchema.extend({ secret: z.string().min(1) });
export const oauthAppsSchema = z.looseObject({ apps: envelopeList(oauthAppSchema), pages });

/** The Dashboard's generic status envelope (writes, errors). */
export const apiStatusSchema = z.looseObject({
  Status: z.string().nullish(),
  Message: z.string().nullish(),
  Meta: z.unknown().optional(),
  ID: z.string().nullish(),
});

export type TykApiDefinitionWrapper = z.infer<typeof apiDefinitionWrapperSchema>;
export type TykApiDefinition = z.infer<typeof apiDefinitionSchema>;
export type TykPolicy = z.infer<typeof policySchema>;
export type TykSessionState = z.infer<typeof sessionStateSchema>;
export type TykKeyData = z.infer<typeof keyDataSchema>;
export type TykUser = z.infer<typeof userSchema>;
export type TykAuditRecord = z.infer<typeof auditRecordSchema>;
export type TykOAuthApp = z.infer<typeof oauthAppSchema>;
export type TykApiStatus = z.infer<typeof apiStatusSchema>;

/** A policy's id: `_id` in the Dashboard (the `id` field is often ""). */
export function policyId(p: Pick<TykPolicy, "_id" | "id">): string {
  return (p._id || p.id) as string;
}

/** Epoch ms of an audit record: `timestamp` (epoch s) wins; `date` ("Tue, 05 Nov 2024 17:45:22 -03") otherwise. */
export function auditRecordTime(r: Pick<TykAuditRecord, "timestamp" | "date">): Date {
  if (r.timestamp != null) return new Date(r.timestamp * 1000);
  return new Date(parseTykDate(r.date as string));
}

/** Go's RFC 1123-like dates end in a bare hour offset ("-03"), which Date.parse rejects: widen it to "-0300". */
export function parseTykDate(value: string): number {
  return Date.parse(value.replace(/ ([+-]\d{2})$/, " $100"));
}
