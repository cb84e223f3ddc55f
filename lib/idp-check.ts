/**
 * Whether the IdP answers its OIDC discovery document: at start-up an unreachable IdP is logged
 * with its URL and the error (sign-in fails until it answers; the console itself starts anyway).
 */
export async function checkIdp(issuer: string, fetchImpl: typeof fetch = fetch, timeoutMs = 5000): Promise<string | null> {
  const url = `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`;
  try {
    const res = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs), redirect: "manual" });
    if (!res.ok) return `the IdP's discovery document ${url} answered HTTP ${res.status}`;
    const body = (await res.json().catch(() => null)) as { issuer?: unknown } | null;
    if (!body || typeof body.issuer !== "string") return `the IdP's discovery document ${url} is not OpenID Connect discovery JSON`;
    return null;
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return `the IdP at ${url} is unreachable: ${cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err))}`;
  }
}
