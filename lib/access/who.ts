import type { AuditContext } from "@/lib/audit/context";
import { auditContextOf, SYSTEM_ACTOR } from "@/lib/audit/context";
import { TykError, TykNotFoundError, TykTimeoutError, TykUpstreamError } from "@/lib/tyk/errors";

/** Who acts in a rotation or access-request step: the person (for access changes and timelines) and the audit context. */
export interface Who {
  email: string;
  audit: AuditContext;
}

/** The person behind a route handler's request (tokens by name: they hold none of these permissions today). */
export function whoOfRoute(ctx: Parameters<typeof auditContextOf>[0]): Who {
  return { email: ctx.actor.email ?? `token:${ctx.actor.name}`, audit: auditContextOf(ctx) };
}

/** A step the background job takes on someone's behalf: attributed to them, audited as the system. */
export function systemOnBehalfOf(email: string): Who {
  return { email, audit: { actor: SYSTEM_ACTOR } };
}

/** Label for automatic steps (expiry) that no person took. */
export const AUTOMATIC = "touchline (automatic)";

/**
 * True when a failed write may still have happened in Tyk: the answer was lost (timeout, network,
 * 5xx) rather than refused. A create that failed this way may have made a key nobody has seen.
 */
export function outcomeUnknown(err: unknown): boolean {
  if (err instanceof TykTimeoutError) return true;
  return err instanceof TykUpstreamError && (err.status === null || err.status >= 500);
}

/** A Tyk failure in one line for a timeline or an error answer (the client's messages never carry credentials). */
export function tykFailure(err: unknown): string {
  if (err instanceof TykNotFoundError) return `Tyk: not found (${err.endpoint})`;
  if (err instanceof TykError) return err.message;
  return err instanceof Error ? err.message : String(err);
}
