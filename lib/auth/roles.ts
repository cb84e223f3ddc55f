export const ROLES = ["viewer", "responder", "admin"] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 0, responder: 1, admin: 2 };

export interface RoleRule {
  role: Role;
  groups: string[]; // "*" matches any signed-in user
}

/**
 * Parses TOUCHLINE_ROLE_MAP, e.g. "admin=platform-admins;responder=oncall,sre;viewer=*".
 * Throws with a message naming the bad entry, so a typo stops the server at start-up.
 */
export function parseRoleMap(spec: string): RoleRule[] {
  return spec
    .split(";")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [role, groups] = part.split("=").map((s) => s?.trim());
      if (!role || !groups || !(ROLES as readonly string[]).includes(role)) {
        throw new Error(`TOUCHLINE_ROLE_MAP: bad entry "${part}" (expected role=group[,group] with role one of ${ROLES.join(", ")})`);
      }
      return { role: role as Role, groups: groups.split(",").map((g) => g.trim()).filter(Boolean) };
    });
}

/** The highest role any of the user's IdP groups maps to, or null when none does (sign-in refused). */
export function roleForGroups(groups: readonly string[], rules: RoleRule[]): Role | null {
  let best: Role | null = null;
  for (const rule of rules) {
    const hit = rule.groups.includes("*") || rule.groups.some((g) => groups.includes(g));
    if (hit && (best === null || RANK[rule.role] > RANK[best])) best = rule.role;
  }
  return best;
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
