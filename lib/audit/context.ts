import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/auth/session";
import { recordAudit, type AuditActor, type AuditInput } from "./record";

/** Who asked, for an audit row: actor plus request facts. Pass `auditContextOf(ctx)` from a route handler. */
export type AuditContext = Omit<AuditInput, "action" | "target" | "details">;

/** Work done by whoever runs the server (CLI with direct database access, scheduled jobs). */
export const SYSTEM_ACTOR: AuditActor = { type: "system", id: null, email: null };

/** The audit actor for a session user or an API token (tokens by id; the audit views resolve the name). */
export function auditActorOf(actor: Actor): AuditActor {
  return actor.type === "token" ? { type: "token", id: actor.id, email: null } : { type: "user", id: actor.id, email: actor.email };
}

/** Audit context from an apiRoute handler's context. */
export function auditContextOf(ctx: { actor: Actor; ip: string | null; userAgent: string | null; requestId: string }): AuditContext {
  return { actor: auditActorOf(ctx.actor), ip: ctx.ip, userAgent: ctx.userAgent, requestId: ctx.requestId };
}

/**
 * Records that a sync was started from the console (or the CLI). Call it from the route that
 * starts the sync, after the run was accepted: `await recordSyncStart(db, auditContextOf(ctx), { runId, kinds })`.
 */
export async function recordSyncStart(db: PrismaClient, who: AuditContext, details: { runId?: string | null; kinds?: string[]; trigger?: string } = {}): Promise<void> {
  await recordAudit(db, {
    ...who,
    action: "sync.start",
    target: details.runId ? { type: "sync_run", id: details.runId } : undefined,
    details: { kinds: details.kinds ?? [], trigger: details.trigger ?? "manual" },
  });
}
