import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { authOptions } from "./options";
import { db } from "@/lib/db";
import { authenticateToken } from "@/lib/tokens/service";
import { bearerToken } from "@/lib/tokens/token";
import { ROLES, type Role } from "./roles";
import { can, permissionsOf, permissionsOfScopes, type Permission } from "./permissions";

export interface UserActor {
  type: "user";
  id: string;
  email: string | null;
  name: string | null;
  role: Role;
}

/**
 * A console API token. Its permissions come from its scopes (`actorCan`); `role` is only the
 * highest role whose permissions the token fully holds (viewer otherwise), for code that shows
 * role-dependent extras — never use it for access decisions.
 */
export interface TokenActor {
  type: "token";
  id: string; // the token's id
  email: null;
  name: string;
  role: Role;
  prefix: string;
  scopes: string[];
  permissions: Permission[];
  createdBy: string;
}

export type Actor = UserActor | TokenActor;

/** Why a bearer token was refused (the API answers 401 without saying which). */
export class TokenRefused extends Error {
  constructor(readonly reason: string) {
    super(`token refused: ${reason}`);
  }
}

export function actorPermissions(actor: Actor): Permission[] {
  return actor.type === "token" ? actor.permissions : permissionsOf(actor.role);
}

export function actorCan(actor: Actor, permission: Permission): boolean {
  return actor.type === "token" ? actor.permissions.includes(permission) : can(actor.role, permission);
}

function coveredRole(permissions: Permission[]): Role {
  let best: Role = "viewer";
  for (const role of ROLES) if (permissionsOf(role).every((p) => permissions.includes(p))) best = role;
  return best;
}

/**
 * The caller of an API request: a bearer token when the request carries `Authorization: Bearer`
 * (throws TokenRefused when it is malformed, unknown, revoked or expired — never falls back to the
 * cookie), else the signed-in user, else null.
 */
export async function currentActor(authorization: string | null): Promise<Actor | null> {
  const raw = bearerToken(authorization);
  if (raw === undefined) return currentUser();
  const auth = await authenticateToken(db, raw);
  if (!auth.ok) throw new TokenRefused(auth.reason);
  const permissions = permissionsOfScopes(auth.token.scopes);
  return {
    type: "token",
    id: auth.token.id,
    email: null,
    name: auth.token.name,
    role: coveredRole(permissions),
    prefix: auth.token.prefix,
    scopes: auth.token.scopes,
    permissions,
    createdBy: auth.token.createdBy,
  };
}

/** The signed-in user, or null. */
export async function currentUser(): Promise<UserActor | null> {
  const session = await getServerSession(authOptions());
  if (!session?.user) return null;
  return {
    type: "user",
    id: session.user.id,
    email: session.user.email ?? null,
    name: session.user.name ?? null,
    role: session.user.role,
  };
}

/** For server pages: the signed-in user, or a redirect to sign-in that returns to `returnTo`. */
export async function requireUser(returnTo: string): Promise<UserActor> {
  const user = await currentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}

/** For server pages that need a permission: signed in, and allowed, or a 403-style page is rendered by the caller. */
export async function requirePermission(returnTo: string, permission: Permission): Promise<{ user: UserActor; allowed: boolean }> {
  const user = await requireUser(returnTo);
  return { user, allowed: can(user.role, permission) };
}
