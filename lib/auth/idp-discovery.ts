import { env } from "@/lib/env";
import { log } from "@/lib/log";

/** The endpoints of the IdP's discovery document that the console calls itself. */
export interface IdpEndpoints {
  token: string | null;
  userinfo: string | null;
  endSession: string | null;
}

let discovered: Promise<IdpEndpoints | null> | undefined;

async function discover(issuer: string): Promise<IdpEndpoints | null> {
  try {
    const res = await fetch(`${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(3000) });
    if (!res.ok) throw new Error(`discovery answered ${res.status}`);
    const doc = (await res.json()) as Record<string, unknown>;
    const url = (k: string) => (typeof doc[k] === "string" ? (doc[k] as string) : null);
    return { token: url("token_endpoint"), userinfo: url("userinfo_endpoint"), endSession: url("end_session_endpoint") };
  } catch (err) {
    log.warn({ err: err instanceof Error ? err.message : String(err) }, "OIDC discovery failed");
    discovered = undefined; // retry on the next call
    return null;
  }
}

/** The IdP's endpoints (discovered once per process), or null while its discovery cannot be read. */
export function idpEndpoints(): Promise<IdpEndpoints | null> {
  discovered ??= discover(env().OIDC_ISSUER);
  return discovered;
}
