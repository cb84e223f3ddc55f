import type { Role } from "./roles";

/**
 * The one permission map. Route handlers name the permission they need; pages use `can()` to
 * decide what to show. Console API tokens carry scopes that map onto the same permissions.
 */
export const PERMISSIONS = {
  "console:read": ["viewer", "responder", "admin"],
  "investigations:read": ["viewer", "responder", "admin"],
  "incidents:read": ["viewer", "responder", "admin"],
  "incidents:write": ["responder", "admin"],
  "sync:run": ["responder", "admin"],
  "audit:read": ["admin"],
  "calls:read": ["responder", "admin"],
  "settings:read": ["admin"],
  "settings:write": ["admin"],
  "policies:write": ["admin"],
  "tokens:manage": ["admin"],
  "sessions:manage": ["admin"],
  // Access hygiene: rotate Tyk keys and OAuth secrets; ask for temporary access; approve anyone's
  // (approvers named by IdP group in an access rule may approve the requests it covers, too).
  "keys:rotate": ["admin"],
  "access:request": ["viewer", "responder", "admin"],
  "access:approve": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export function permissionsOf(role: Role): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => can(role, p));
}

/**
 * What a console API token may be granted. Tokens never get `tokens:manage` or settings writes:
 * a leaked bot token must not be able to mint more tokens.
 */
export const TOKEN_SCOPES = {
  read: ["console:read", "investigations:read", "incidents:read"],
  "incidents:write": ["incidents:read", "incidents:write"],
  "sync:run": ["sync:run"],
  "calls:read": ["calls:read"],
  "audit:read": ["audit:read"],
} as const satisfies Record<string, readonly Permission[]>;

export type TokenScope = keyof typeof TOKEN_SCOPES;

export function isTokenScope(value: string): value is TokenScope {
  return Object.hasOwn(TOKEN_SCOPES, value);
}

/** The union of permissions the scopes grant; unknown scopes grant nothing. */
export function permissionsOfScopes(scopes: readonly string[]): Permission[] {
  const out = new Set<Permission>();
  for (const s of scopes) if (isTokenScope(s)) for (const p of TOKEN_SCOPES[s]) out.add(p);
  return [...out];
}
