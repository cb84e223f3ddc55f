// Keys and OAuth secrets written through the simulator's API (POST/PUT/DELETE /api/keys, the OAuth
// secret rotation), layered over the world's own. Every write is stamped with the simulator clock
// and seen only from then on, like the policy overrides: a clock set back before it hides it again.
import { createHash, randomBytes } from "node:crypto";
import type { SimKey } from "../world";

type Json = Record<string, unknown>;

/** A key the Dashboard holds after a live write: created through the API, or a world key whose session was replaced. */
export interface LiveKey {
  hash: string;
  /** Known for created keys and world keys alike: the simulated gateway checks presented keys against it. */
  rawKey: string;
  /** The session as last written (Tyk replaces it whole on PUT), normalised (see normaliseSession). */
  session: Json;
  createdAt: Date;
  updatedAt: Date;
}

type KeyWrite = { at: Date; key: LiveKey | null };

/** Why the simulated gateway turns a request away, with Tyk's status and message. */
export type Refusal = { status: 401 | 403; message: string };

export const KEY_REFUSALS = {
  unknown: { status: 403, message: "Access to this API has been disallowed" },
  expired: { status: 401, message: "Key has expired, please renew" },
  inactive: { status: 403, message: "Key is inactive, please renew" },
  notGranted: { status: 403, message: "Access to this API has been disallowed" },
} as const satisfies Record<string, Refusal>;

export const sha256Hex = (s: string) => createHash("sha256").update(s).digest("hex");

/** A raw key as the Dashboard generates it: the org id followed by 32 random hex characters. */
export function generateRawKey(orgId: string): string {
  return orgId + randomBytes(16).toString("hex");
}

const isObject = (v: unknown): v is Json => Boolean(v) && typeof v === "object" && !Array.isArray(v);
const OPTIONAL_TYPES: Record<string, (v: unknown) => boolean> = {
  alias: (v) => typeof v === "string",
  apply_policies: (v) => Array.isArray(v) && v.every((x) => typeof x === "string"),
  tags: (v) => Array.isArray(v) && v.every((x) => typeof x === "string"),
  meta_data: isObject,
  access_rights: isObject,
  expires: (v) => typeof v === "number" && Number.isFinite(v),
  rate: (v) => typeof v === "number",
  per: (v) => typeof v === "number",
  quota_max: (v) => typeof v === "number",
  is_inactive: (v) => typeof v === "boolean",
  org_id: (v) => typeof v === "string",
};

/**
 * A SessionState body as Go would decode it: a field of the wrong type fails the whole body (the
 * Dashboard answers 403 "Request body malformed."). Returns null then; nulls read as absent.
 */
export function normaliseSession(body: unknown, orgId: string): Json | null {
  if (!isObject(body)) return null;
  const out: Json = {};
  for (const [k, v] of Object.entries(body)) {
    if (v === null) continue;
    const ok = OPTIONAL_TYPES[k];
    if (ok && !ok(v)) return null;
    out[k] = v;
  }
  out.org_id = (out.org_id as string) || orgId;
  out.apply_policies ??= [];
  out.tags ??= [];
  out.meta_data ??= {};
  out.expires ??= 0;
  out.is_inactive ??= false;
  out.alias ??= "";
  return out;
}

export class LiveKeys {
  private readonly writes = new Map<string, KeyWrite[]>();
  private readonly createdHashes = new Set<string>();
  private readonly hashByRaw = new Map<string, string>();
  private readonly secrets = new Map<string, { at: Date; secret: string }[]>();

  private latest(hash: string, at: Date): KeyWrite | undefined {
    const list = this.writes.get(hash);
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i--) if (list[i].at <= at) return list[i];
    return undefined;
  }

  private push(hash: string, write: KeyWrite): void {
    const list = this.writes.get(hash) ?? [];
    list.push(write);
    this.writes.set(hash, list);
  }

  /** The hash a presented value names: a raw key known here, or the value itself (a hash, or a raw world key's sha256). */
  hashOf(value: string): string {
    return this.hashByRaw.get(value) ?? (/^[0-9a-f]{64}$/.test(value) ? value : sha256Hex(value));
  }

  create(session: Json, at: Date, rawKey: string): LiveKey {
    const key: LiveKey = { hash: sha256Hex(rawKey), rawKey, session, createdAt: at, updatedAt: at };
    this.hashByRaw.set(rawKey, key.hash);
    this.createdHashes.add(key.hash);
    this.push(key.hash, { at, key });
    return key;
  }

  /** Replaces the whole session of a key that exists at `at` (a live one, or a world key given by its ids). */
  replace(base: Pick<LiveKey, "hash" | "rawKey" | "createdAt">, session: Json, at: Date): LiveKey {
    const key: LiveKey = { hash: base.hash, rawKey: base.rawKey, createdAt: base.createdAt, session, updatedAt: at };
    this.push(key.hash, { at, key });
    return key;
  }

  delete(hash: string, at: Date): void {
    this.push(hash, { at, key: null });
  }

  /**
   * The key behind `hash` as of `at`: a live write's version, or the world key when nothing was
   * written (null when deleted, or unknown to both).
   */
  keyAt(hash: string, at: Date, worldKey: (hash: string) => SimKey | undefined): LiveKey | SimKey | null {
    const w = this.latest(hash, at);
    if (w) return w.key;
    return worldKey(hash) ?? null;
  }

  /** Whether a live write (create, replace or delete) decides this key as of `at`. */
  touched(hash: string, at: Date): boolean {
    return this.latest(hash, at) !== undefined;
  }

  /** No live write at all: the world's own keys stand as they are. */
  get empty(): boolean {
    return this.writes.size === 0;
  }

  /** Keys created through the API that exist as of `at`, oldest first. */
  created(at: Date): LiveKey[] {
    const out: LiveKey[] = [];
    for (const hash of this.createdHashes) {
      const w = this.latest(hash, at);
      if (w?.key) out.push(w.key);
    }
    return out.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }

  rotateSecret(clientId: string, at: Date): string {
    const secret = randomBytes(36).toString("base64url");
    const list = this.secrets.get(clientId) ?? [];
    list.push({ at, secret });
    this.secrets.set(clientId, list);
    return secret;
  }

  secretAt(clientId: string, at: Date): string | undefined {
    const list = this.secrets.get(clientId);
    return list?.filter((s) => s.at <= at).at(-1)?.secret;
  }
}

export function isLiveKey(k: LiveKey | SimKey): k is LiveKey {
  return "session" in k;
}

/** What the simulated gateway needs of a key to admit a request: its policies, APIs, expiry, state. */
export interface KeyFacts {
  hash: string;
  alias: string;
  policyIds: string[];
  oauthClientId: string;
  /** Epoch seconds; 0 or below = never. */
  expires: number;
  isInactive: boolean;
  /** APIs granted by the key's own access rights (policies add theirs). */
  ownApis: string[];
}

export function factsOf(k: LiveKey | SimKey): KeyFacts {
  if (!isLiveKey(k)) {
    return { hash: k.hash, alias: k.alias, policyIds: k.policyIds, oauthClientId: k.oauthClientId, expires: k.expires, isInactive: k.isInactive, ownApis: [] };
  }
  const s = k.session;
  return {
    hash: k.hash, alias: String(s.alias ?? ""), policyIds: (s.apply_policies as string[]) ?? [], oauthClientId: String(s.oauth_client_id ?? ""),
    expires: Number(s.expires ?? 0), isInactive: Boolean(s.is_inactive), ownApis: Object.keys((s.access_rights as Json | undefined) ?? {}),
  };
}

/** The gateway's verdict on a request with key `facts` (null: unknown or deleted) to `apiId` at `atMs`. */
export function admit(facts: KeyFacts | null, apiId: string, atMs: number, policyApis: (policyId: string) => string[]): Refusal | null {
  if (!facts) return KEY_REFUSALS.unknown;
  if (facts.isInactive) return KEY_REFUSALS.inactive;
  if (facts.expires > 0 && facts.expires * 1000 <= atMs) return KEY_REFUSALS.expired;
  const granted = facts.ownApis.includes(apiId) || facts.policyIds.some((p) => policyApis(p).includes(apiId));
  return granted ? null : KEY_REFUSALS.notGranted;
}
