import { createRequire } from "node:module";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";

// The session cookie's safety comes from next-auth's defaults plus what our options leave alone:
// cookies are secure (and __Secure-/__Host- prefixed) exactly when NEXTAUTH_URL is https, always
// httpOnly and sameSite=lax, and the session lives SESSION_MAX_AGE_SECONDS. This pins both halves:
// our options do not override the cookie decision, and next-auth's decision is what we rely on.

// Not in next-auth's exports map; loaded by path so the test checks the installed code, not a copy.
const { defaultCookies } = createRequire(import.meta.url)(
  path.resolve(import.meta.dirname, "../../node_modules/next-auth/core/lib/cookie.js"),
) as { defaultCookies(secure: boolean): Record<string, { name: string; options: { httpOnly?: boolean; sameSite?: string; secure?: boolean; path?: string } }> };

const BASE_ENV = {
  DATABASE_URL: "postgres://u:p@127.0.0.1:1/none",
  NEXTAUTH_SECRET: "cookie-test-secret-cookie-test-secret-00",
  OIDC_ISSUER: "https://idp.example.test",
  OIDC_CLIENT_ID: "touchline",
  OIDC_CLIENT_SECRET: "client-secret",
};

async function optionsFor(env: Record<string, string>) {
  vi.resetModules();
  vi.unstubAllEnvs();
  vi.stubEnv("SESSION_MAX_AGE_SECONDS", undefined);
  for (const [k, v] of Object.entries({ ...BASE_ENV, ...env })) vi.stubEnv(k, v);
  const { authOptions } = await import("@/lib/auth/options");
  return authOptions();
}

/** next-auth's own rule (core/init.js): the option if set, else whether the public URL is https. */
function effectiveCookies(opts: { useSecureCookies?: boolean; cookies?: object }, url: string) {
  return { ...defaultCookies(opts.useSecureCookies ?? url.startsWith("https://")), ...(opts.cookies ?? {}) };
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("session cookie options", () => {
  it("over https: every auth cookie is secure, httpOnly where it holds a secret, sameSite=lax, prefixed", async () => {
    const url = "https://touchline.example.com";
    const opts = await optionsFor({ NEXTAUTH_URL: url });
    expect(opts.useSecureCookies, "left to the URL, never forced off").toBeUndefined();
    expect(opts.cookies, "no override weakens the defaults").toBeUndefined();
    const cookies = effectiveCookies(opts, url);
    for (const [name, c] of Object.entries(cookies)) {
      expect(c.options.secure, name).toBe(true);
      expect(c.options.sameSite, name).toBe("lax");
      expect(c.name, name).toMatch(/^__(Secure|Host)-/);
    }
    for (const name of ["sessionToken", "csrfToken", "pkceCodeVerifier", "state", "nonce"]) {
      expect(cookies[name].options.httpOnly, name).toBe(true);
    }
  });

  it("over plain http (localhost): not secure (the browser would drop it) but still httpOnly and sameSite=lax", async () => {
    const url = "http://localhost:3000";
    const opts = await optionsFor({ NEXTAUTH_URL: url });
    const cookies = effectiveCookies(opts, url);
    expect(cookies.sessionToken.name).toBe("next-auth.session-token");
    expect(cookies.sessionToken.options).toMatchObject({ httpOnly: true, sameSite: "lax", secure: false, path: "/" });
  });

  it("the session expires after SESSION_MAX_AGE_SECONDS (JWT strategy: nothing server-side outlives it)", async () => {
    const opts = await optionsFor({ NEXTAUTH_URL: "https://touchline.example.com", SESSION_MAX_AGE_SECONDS: "900" });
    expect(opts.session).toMatchObject({ strategy: "jwt", maxAge: 900 });
    const dflt = await optionsFor({ NEXTAUTH_URL: "https://touchline.example.com" });
    expect(dflt.session?.maxAge).toBe(8 * 3600);
  });
});
