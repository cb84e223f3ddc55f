import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { authOptions } from "./options";
import type { Role } from "./roles";
import { can, type Permission } from "./permissions";

export interface UserActor {
  type: "user";
  id: string;
  email: string | null;
  name: string | null;
  role: Role;
}

export type Actor = UserActor;

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
