import type { AccessRequest, PrismaClient } from "@/lib/generated/prisma/client";
import { ApiError } from "@/lib/api/errors";
import { can } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/auth/session";
import { approvalRight, type AccessRuleLike } from "./rules";

/** A signed-in person as the access-request flow needs them: identity for the key, IdP groups for the rules. */
export interface Person {
  id: string;
  email: string;
  name: string | null;
  groups: string[];
  /** Holds access:approve (admins): may approve any request but their own, and revoke any key. */
  approvesAll: boolean;
}

/**
 * The person behind a route's actor. Groups come from the users table, refreshed at every sign-in
 * from the IdP's claim. Temporary keys are for people: a console API token cannot request one.
 */
export async function personOf(db: PrismaClient, actor: Actor): Promise<Person> {
  if (actor.type !== "user") throw new ApiError("forbidden", "Access requests are made and decided by signed-in people, not API tokens");
  if (!actor.email) throw new ApiError("forbidden", "Your account has no email address: a temporary key needs one to carry your identity");
  const row = await db.user.findUnique({ where: { id: actor.id }, select: { groups: true } });
  return { id: actor.id, email: actor.email, name: actor.name, groups: row?.groups ?? [], approvesAll: can(actor.role, "access:approve") };
}

export async function rulesOf(db: PrismaClient): Promise<AccessRuleLike[]> {
  return db.accessRule.findMany({ orderBy: { name: "asc" } });
}

/** Whether `person` may see a request: theirs, or one they may decide (admins see all). */
export function maySee(person: Person, req: AccessRequest, rules: AccessRuleLike[]): boolean {
  return req.requesterId === person.id || person.approvesAll || approvalRight(person, req, rules).ok;
}
