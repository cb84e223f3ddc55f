import { createHash } from "node:crypto";

// Which Touchline entity an audited Dashboard write touched, read from its URL. Creates hit the
// collection (POST /api/portal/policies) and carry no id: they come back with id null.

export type AuditTargetKind = "policy" | "key" | "api" | "oauth_client";

export interface AuditTarget {
  kind: AuditTargetKind;
  id: string | null;
}

const API_RESERVED = new Set(["keys", "oas", "oauth", "search", "categories", "groups", "streams", "migrate", "policies"]);

export function parseAuditTarget(url: string): AuditTarget | null {
  const path = url.split("?")[0].replace(/\/+$/, "");
  const seg = path.split("/").filter(Boolean).map((s) => decodeURIComponent(s));
  if (seg[0] !== "api") return null;
  const [, a, b, c, d] = seg;
  if (a === "portal" && b === "policies") return c === "search" ? null : { kind: "policy", id: c ?? null };
  if (a === "keys") return b === "detailed" || b === "preview" ? null : { kind: "key", id: b ?? null };
  if (a !== "apis") return null;
  if (b === undefined) return { kind: "api", id: null };
  if (b === "keys") return { kind: "key", id: null }; // POST /api/apis/keys creates a key for several APIs
  if (b === "oauth") return c ? { kind: "oauth_client", id: d ?? null } : null;
  if (b === "oas") {
    if (c === undefined || c === "import") return { kind: "api", id: null };
    return c === "dry-run" ? null : { kind: "api", id: c };
  }
  if (API_RESERVED.has(b)) return null;
  if (c === "keys") return d === "search" ? null : { kind: "key", id: d ?? null };
  // /api/apis/{id} and its sub-resources (/url, /access, ...) all change that API.
  return { kind: "api", id: b };
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/**
 * Key URLs may hold a raw key (installs without hash_keys). Unless the segment is a key hash we
 * already know, store its sha256 instead (= Tyk's sha256 key hash) and rewrite the URL the same way.
 */
export function redactKeyTarget(url: string, rawId: string, knownHashes: ReadonlySet<string>): { url: string; id: string } {
  // A 64-hex segment is a sha256 key hash already (raw Tyk keys are org id + 32 hex = 56 chars).
  if (knownHashes.has(rawId) || /^[0-9a-f]{64}$/.test(rawId)) return { url: url.split("?")[0], id: rawId };
  const id = sha256Hex(rawId);
  const path = url.split("?")[0].split("/").map((s) => (s === rawId || safeDecode(s) === rawId ? id : s)).join("/");
  return { url: path, id };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function isWriteMethod(method: string): boolean {
  return ["POST", "PUT", "PATCH", "DELETE"].includes(method.toUpperCase());
}
