// Re-reading a signed-in user's groups from the IdP (userinfo), so a role taken away there is taken
// away here within SESSION_REFRESH_SECONDS. The access token from sign-in is used while it lives,
// then the refresh token (refresh_token grant, client_secret_basic like the code exchange).

export interface IdpTokens {
  accessToken: string;
  refreshToken: string | null;
  /** Epoch seconds; null when the IdP did not say. */
  expiresAt: number | null;
}

export type GroupsCheck =
  | { kind: "groups"; groups: string[]; tokens: IdpTokens }
  /** The IdP no longer honours the session's grant (user removed, consent or token revoked). */
  | { kind: "refused"; reason: string }
  /** No answer to go by (network, 5xx): the caller keeps what it had and asks again soon. */
  | { kind: "unavailable"; reason: string };

export interface IdpClient {
  userinfo: string | null;
  token: string | null;
  clientId: string;
  clientSecret: string;
  groupsOf: (claims: Record<string, unknown>) => string[];
  fetch?: typeof fetch;
}

const TIMEOUT_MS = 5000;
const form = (s: string) => new URLSearchParams({ s }).toString().slice(2);

async function refreshed(t: IdpTokens, c: IdpClient, now: number): Promise<IdpTokens | GroupsCheck> {
  if (!t.refreshToken) return { kind: "refused", reason: "the access token expired and the IdP issued no refresh token" };
  if (!c.token) return { kind: "unavailable", reason: "the IdP publishes no token endpoint" };
  const res = await (c.fetch ?? fetch)(c.token, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`${form(c.clientId)}:${form(c.clientSecret)}`).toString("base64")}`, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: t.refreshToken }),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const body = (await res.json().catch(() => ({}))) as { access_token?: unknown; refresh_token?: unknown; expires_in?: unknown; error?: unknown };
  if (res.status === 400 || res.status === 401) return { kind: "refused", reason: `the IdP refused the refresh token (${String(body.error ?? res.status)})` };
  if (!res.ok || typeof body.access_token !== "string") return { kind: "unavailable", reason: `token endpoint answered ${res.status}` };
  return {
    accessToken: body.access_token,
    refreshToken: typeof body.refresh_token === "string" ? body.refresh_token : t.refreshToken,
    expiresAt: typeof body.expires_in === "number" ? Math.floor(now / 1000) + body.expires_in : null,
  };
}

/** The user's groups as the IdP sees them now. Never throws: network trouble is "unavailable". */
export async function currentGroups(tokens: IdpTokens, c: IdpClient, now = Date.now()): Promise<GroupsCheck> {
  if (!c.userinfo) return { kind: "unavailable", reason: "the IdP publishes no userinfo endpoint" };
  try {
    let t = tokens;
    let renewed = false;
    if (t.expiresAt !== null && t.expiresAt * 1000 - 30_000 <= now) {
      const next = await refreshed(t, c, now);
      if ("kind" in next) return next;
      t = next;
      renewed = true;
    }
    for (;;) {
      const res = await (c.fetch ?? fetch)(c.userinfo, { headers: { authorization: `Bearer ${t.accessToken}` }, signal: AbortSignal.timeout(TIMEOUT_MS) });
      if (res.ok) return { kind: "groups", groups: c.groupsOf((await res.json()) as Record<string, unknown>), tokens: t };
      if (res.status !== 401 && res.status !== 403) return { kind: "unavailable", reason: `userinfo answered ${res.status}` };
      if (renewed) return { kind: "refused", reason: `userinfo refused a fresh access token (${res.status})` };
      const next = await refreshed(t, c, now);
      if ("kind" in next) return next;
      t = next;
      renewed = true;
    }
  } catch (err) {
    return { kind: "unavailable", reason: err instanceof Error ? err.message : String(err) };
  }
}
