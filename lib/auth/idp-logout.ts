import { env } from "@/lib/env";
import { idpEndpoints } from "./idp-discovery";

/**
 * Where the browser goes after Touchline's own sign-out: the IdP's RP-initiated logout (so the
 * next sign-in asks for credentials again), or straight to the sign-in page when the IdP has none.
 */
export async function postSignOutUrl(): Promise<string> {
  const config = env();
  const back = `${config.NEXTAUTH_URL.replace(/\/$/, "")}/signin?signedOut=1`;
  const endpoint = (await idpEndpoints())?.endSession;
  if (!endpoint) return "/signin?signedOut=1";
  const url = new URL(endpoint);
  url.searchParams.set("client_id", config.OIDC_CLIENT_ID);
  url.searchParams.set("post_logout_redirect_uri", back);
  return url.toString();
}
