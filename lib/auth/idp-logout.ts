import { env } from "@/lib/env";
import { log } from "@/lib/log";

let endSessionEndpoint: Promise<string | null> | undefined;

async function discoverEndSession(issuer: string): Promise<string | null> {
  try {
    const res = await fetch(`${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(3000) });
    if (!res.ok) return null;
    const doc = (await res.json()) as { end_session_endpoint?: unknown };
    return typeof doc.end_session_endpoint === "string" ? doc.end_session_endpoint : null;
  } catch (err) {
    log.warn({ err: err instanceof Error ? err.message : String(err) }, "OIDC discovery for logout failed");
    endSessionEndpoint = undefined; // retry on the next sign-out
    return null;
  }
}

/**
 * Where the browser goes after Touchline's own sign-out: the IdP's RP-initiated logout (so the
 * next sign-in asks for credentials again), or straight to the sign-in page when the IdP has none.
 */
export async function postSignOutUrl(): Promise<string> {
  const config = env();
  const back = `${config.NEXTAUTH_URL.replace(/\/$/, "")}/signin?signedOut=1`;
  endSessionEndpoint ??= discoverEndSession(config.OIDC_ISSUER);
  const endpoint = await endSessionEndpoint;
  if (!endpoint) return "/signin?signedOut=1";
  const url = new URL(endpoint);
  url.searchParams.set("client_id", config.OIDC_CLIENT_ID);
  url.searchParams.set("post_logout_redirect_uri", back);
  return url.toString();
}
