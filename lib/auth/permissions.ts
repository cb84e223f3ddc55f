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
  "settings:read": ["admin"],
  "settings:write": ["admin"],
  "policies:write": ["admin"],
  "tokens:manage": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export function permissionsOf(role: Role): Permission[] {
  return (Object.keys(PERMISSIONS) as Permission[]).filter((p) => can(role, p));
}
