// A policy body as the Dashboard decodes it (Go's encoding/json into its Policy struct): a field of
// the wrong type fails the whole body, and the Dashboard answers 400 "Failed to unmarshal policy
// data" without changing anything. Unknown fields are ignored, nulls read as absent.
type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => Boolean(v) && typeof v === "object" && !Array.isArray(v);
const num = (v: unknown) => typeof v === "number" && Number.isFinite(v);
const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === "string");

const POLICY_FIELDS: Record<string, (v: unknown) => boolean> = {
  _id: (v) => typeof v === "string", id: (v) => typeof v === "string", name: (v) => typeof v === "string",
  org_id: (v) => typeof v === "string", rate: num, per: num, quota_max: num, quota_renewal_rate: num,
  throttle_interval: num, throttle_retry_limit: num, max_query_depth: num, key_expires_in: num,
  active: (v) => typeof v === "boolean", is_inactive: (v) => typeof v === "boolean", hmac_enabled: (v) => typeof v === "boolean",
  tags: strings, meta_data: isObject, partitions: isObject,
  access_rights: (v) => isObject(v) && Object.values(v).every(accessDefinition),
};

const LIMIT_FIELDS = ["rate", "per", "quota_max", "quota_renewal_rate", "throttle_interval", "throttle_retry_limit", "max_query_depth"];

function accessDefinition(v: unknown): boolean {
  if (!isObject(v)) return false;
  if (v.api_id != null && typeof v.api_id !== "string") return false;
  if (v.versions != null && !strings(v.versions)) return false;
  if (v.limit == null) return true;
  return isObject(v.limit) && LIMIT_FIELDS.every((f) => v.limit === null || (v.limit as Json)[f] == null || num((v.limit as Json)[f]));
}

/** True when the body decodes as a Policy. */
export function decodesAsPolicy(body: unknown): body is Json {
  return isObject(body) && Object.entries(POLICY_FIELDS).every(([f, ok]) => body[f] == null || ok(body[f]));
}
