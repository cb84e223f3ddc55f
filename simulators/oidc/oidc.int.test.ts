import { createHash, createPublicKey, randomBytes, verify, type JsonWebKey } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BAD_CREDENTIALS_MESSAGE, PAGE_TITLE } from "./pages";
import { startOidcProvider, type RunningOidcProvider } from "./server";
import { TestBrowser } from "./test-browser";
import { DEMO_PASSWORD } from "./users";

// The relying party is never contacted: the flow stops at the redirect to it, as a browser would hand over.
const APP = "http://localhost:3999";
const REDIRECT_URI = `${APP}/api/auth/callback/oidc`;
const POST_LOGOUT_URI = `${APP}/signin`;
const CLIENT = { clientId: "touchline-test", clientSecret: "test-secret:+/%=", clientName: "Touchline" };

type Discovery = Record<string, unknown> & { issuer: string; authorization_endpoint: string; token_endpoint: string;
  jwks_uri: string; userinfo_endpoint: string; end_session_endpoint: string };

let idp: RunningOidcProvider;
let discovery: Discovery;

const b64url = (buf: Buffer) => buf.toString("base64url");

function newPkce() {
  const verifier = b64url(randomBytes(32));
  return { verifier, challenge: b64url(createHash("sha256").update(verifier).digest()) };
}

function authorizeUrl(params: Record<string, string>): string {
  const url = new URL(discovery.authorization_endpoint);
  const defaults = { client_id: CLIENT.clientId, response_type: "code", redirect_uri: REDIRECT_URI, scope: "openid email profile groups" };
  for (const [k, v] of Object.entries({ ...defaults, ...params })) url.searchParams.set(k, v);
  return url.href;
}

// client_secret_basic: id and secret are form-urlencoded before base64 (RFC 6749 §2.3.1).
function basicAuth(id: string, secret: string): string {
  const enc = (s: string) => new URLSearchParams({ s }).toString().slice(2);
  return `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`).toString("base64")}`;
}

async function redeemCode(code: string, verifier: string, secret = CLIENT.clientSecret) {
  const res = await fetch(discovery.token_endpoint, {
    method: "POST",
    headers: { authorization: basicAuth(CLIENT.clientId, secret), "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

/** Verifies the RS256 signature against the IdP's published JWKS and returns the payload. */
async function verifiedIdToken(idToken: string): Promise<Record<string, unknown>> {
  const [headerB64, payloadB64, signatureB64] = idToken.split(".");
  const header = JSON.parse(Buffer.from(headerB64, "base64url").toString()) as { alg: string; kid: string };
  expect(header.alg).toBe("RS256");
  const { keys } = (await (await fetch(discovery.jwks_uri)).json()) as { keys: (JsonWebKey & { kid: string })[] };
  const jwk = keys.find((k) => k.kid === header.kid);
  expect(jwk, "signing key published in jwks").toBeDefined();
  expect(jwk).not.toHaveProperty("d");
  const key = createPublicKey({ key: jwk!, format: "jwk" });
  const valid = verify("RSA-SHA256", Buffer.from(`${headerB64}.${payloadB64}`), key, Buffer.from(signatureB64, "base64url"));
  expect(valid, "ID token signature").toBe(true);
  return JSON.parse(Buffer.from(payloadB64, "base64url").toString()) as Record<string, unknown>;
}

/** Drives /auth → login page → credentials → (auto-consent) → redirect back, returning the callback URL. */
async function signIn(browser: TestBrowser, email: string, pkce = newPkce()) {
  const state = b64url(randomBytes(16));
  const nonce = b64url(randomBytes(16));
  const start = await browser.request(authorizeUrl({ code_challenge: pkce.challenge, code_challenge_method: "S256", state, nonce }));
  const { final: loginPage } = await browser.follow(start);
  expect(loginPage.status).toBe(200);
  const action = /<form method="post" action="([^"]+\/login)"/.exec(await loginPage.text())?.[1];
  expect(action).toBeDefined();
  const submitted = await browser.request(action!, { form: { email, password: DEMO_PASSWORD } });
  const { leftTo, hops } = await browser.follow(submitted);
  expect(leftTo, `flow should end at the app, hops: ${hops.join(" → ")}`).toBeDefined();
  return { callback: leftTo!, state, nonce, pkce };
}

beforeAll(async () => {
  idp = await startOidcProvider({
    port: 0,
    clients: [{ ...CLIENT, redirectUris: [REDIRECT_URI], postLogoutRedirectUris: [POST_LOGOUT_URI] }],
  });
  discovery = (await (await fetch(`${idp.url}/.well-known/openid-configuration`)).json()) as Discovery;
});

afterAll(async () => {
  await idp?.close();
});

describe("local OIDC provider", () => {
  it("publishes discovery for the code flow with PKCE S256, RS256 and the groups scope", () => {
    expect(discovery.issuer).toBe(idp.issuer);
    expect(idp.issuer).toBe(idp.url);
    expect(discovery.code_challenge_methods_supported).toEqual(["S256"]);
    expect(discovery.id_token_signing_alg_values_supported).toContain("RS256");
    expect(discovery.scopes_supported).toEqual(expect.arrayContaining(["openid", "email", "profile", "groups"]));
    expect(discovery.claims_supported).toEqual(expect.arrayContaining(["email", "email_verified", "name", "groups"]));
    expect(discovery.end_session_endpoint).toBe(`${idp.issuer}/session/end`);
  });

  it("runs the whole authorization-code flow and issues an ID token with email, name and groups", async () => {
    const browser = new TestBrowser(idp.url);
    const { callback, state, nonce, pkce } = await signIn(browser, "Ada@Acme.test");
    expect(callback.origin + callback.pathname).toBe(REDIRECT_URI);
    expect(callback.searchParams.get("state")).toBe(state);
    expect(callback.searchParams.get("iss")).toBe(idp.issuer);
    const code = callback.searchParams.get("code");
    expect(code).toBeTruthy();

    const wrongSecret = await redeemCode(code!, pkce.verifier, "not-the-secret");
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body.error).toBe("invalid_client");

    const tokens = await redeemCode(code!, pkce.verifier);
    expect(tokens.status).toBe(200);
    expect(tokens.body.token_type).toBe("Bearer");
    const claims = await verifiedIdToken(tokens.body.id_token);
    expect(claims).toMatchObject({
      iss: idp.issuer, aud: CLIENT.clientId, nonce, sub: "acme-ada",
      email: "ada@acme.test", email_verified: true, name: "Ada Admin", groups: ["platform-admins", "engineering"],
    });
    expect((claims.exp as number) - (claims.iat as number)).toBe(3600);

    const userinfo = await fetch(discovery.userinfo_endpoint, { headers: { authorization: `Bearer ${tokens.body.access_token}` } });
    expect(await userinfo.json()).toMatchObject({ sub: "acme-ada", email: "ada@acme.test", groups: ["platform-admins", "engineering"] });

    const replay = await redeemCode(code!, pkce.verifier);
    expect(replay.body.error).toBe("invalid_grant");
  });

  it("refuses a code redeemed with the wrong PKCE verifier", async () => {
    const { callback } = await signIn(new TestBrowser(idp.url), "rui@acme.test");
    const res = await redeemCode(callback.searchParams.get("code")!, newPkce().verifier);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe("invalid_grant");
  });

  it("serves a labelled login page whose CSP lets the form post continue to the app", async () => {
    const browser = new TestBrowser(idp.url);
    const start = await browser.request(authorizeUrl({ ...pkceParams(), state: "s" }));
    const { final, hops } = await browser.follow(start);
    expect(hops).toHaveLength(1);
    expect(new URL(hops[0]).pathname).toMatch(/^\/interaction\/[\w-]+$/);
    const html = await final.text();
    expect(html).toContain(`<title>${PAGE_TITLE}</title>`);
    expect(html).toMatch(/<label for="email">Email<\/label>\s*<input id="email"/);
    expect(html).toMatch(/<label for="password">Password<\/label>\s*<input id="password"[^>]*type="password"/);
    expect(html).toContain(">Sign in</button>");
    expect(html).toContain("vera@acme.test");
    expect(final.headers.get("content-security-policy")).toMatch(new RegExp(`form-action 'self' ${APP}(;|$)`));
  });

  it("re-renders the login page with one message for a wrong password and an unknown account", async () => {
    const browser = new TestBrowser(idp.url);
    const { final } = await browser.follow(await browser.request(authorizeUrl({ ...pkceParams(), state: "s" })));
    const action = /action="([^"]+\/login)"/.exec(await final.text())![1];

    const wrongPassword = await browser.request(action, { form: { email: "ada@acme.test", password: "nope" } });
    expect(wrongPassword.status).toBe(401);
    expect(wrongPassword.headers.get("location")).toBeNull();
    const wrongHtml = await wrongPassword.text();
    expect(wrongHtml).toContain(BAD_CREDENTIALS_MESSAGE);
    expect(wrongHtml).toContain('value="ada@acme.test"');

    const unknown = await browser.request(action, { form: { email: "<b>mallory@acme.test", password: DEMO_PASSWORD } });
    expect(unknown.status).toBe(401);
    const unknownHtml = await unknown.text();
    expect(unknownHtml).toContain(BAD_CREDENTIALS_MESSAGE);
    expect(unknownHtml).toContain('value="&lt;b&gt;mallory@acme.test"');

    // The interaction survives failed attempts: the right password still completes the flow.
    const ok = await browser.follow(await browser.request(action, { form: { email: "vera@acme.test", password: DEMO_PASSWORD } }));
    expect(ok.leftTo?.searchParams.get("code")).toBeTruthy();
  });

  it("returns access_denied to the app when the user cancels, and refuses an unknown interaction", async () => {
    const browser = new TestBrowser(idp.url);
    const { final } = await browser.follow(await browser.request(authorizeUrl({ ...pkceParams(), state: "s" })));
    const abort = /action="([^"]+\/abort)"/.exec(await final.text())![1];
    const { leftTo } = await browser.follow(await browser.request(abort, { method: "POST", form: {} }));
    expect(leftTo?.searchParams.get("error")).toBe("access_denied");
    expect(leftTo?.searchParams.get("state")).toBe("s");

    const stale = await new TestBrowser(idp.url).request(new URL(abort, idp.url).pathname.replace(/\/abort$/, ""));
    expect(stale.status).toBe(400);
    expect(await stale.text()).toContain("Sign-in expired");
  });

  it("rejects an authorization request without PKCE before any login", async () => {
    const browser = new TestBrowser(idp.url);
    const res = await browser.request(authorizeUrl({ state: "s" }));
    const { leftTo, hops } = await browser.follow(res);
    expect(hops).toHaveLength(1);
    expect(leftTo?.origin + leftTo!.pathname).toBe(REDIRECT_URI);
    expect(leftTo?.searchParams.get("error")).toBe("invalid_request");
    expect(leftTo?.searchParams.get("error_description")).toMatch(/PKCE/);
    expect(leftTo?.searchParams.get("code")).toBeNull();
  });

  it("ends the IdP session on RP-initiated logout, confirming by itself for a registered post-logout URI", async () => {
    const browser = new TestBrowser(idp.url);
    const { callback, pkce } = await signIn(browser, "rui@acme.test");
    const { body } = await redeemCode(callback.searchParams.get("code")!, pkce.verifier);

    const end = new URL(discovery.end_session_endpoint);
    end.searchParams.set("id_token_hint", body.id_token);
    end.searchParams.set("post_logout_redirect_uri", POST_LOGOUT_URI);
    end.searchParams.set("state", "bye");
    const page = await browser.request(end.href);
    expect(page.status).toBe(200);
    const html = await page.text();
    const form = /<form id="op.logoutForm" method="post" action="([^"]+)"><input type="hidden" name="xsrf" value="([^"]+)"\/><input type="hidden" name="logout" value="yes"\/><\/form>/.exec(html);
    expect(form, "auto-confirming logout form").not.toBeNull();
    const script = /<script>([^<]+)<\/script>/.exec(html)![1];
    const hash = `'sha256-${createHash("sha256").update(script).digest("base64")}'`;
    expect(page.headers.get("content-security-policy")).toContain(`script-src ${hash}`);

    const confirmed = await browser.follow(await browser.request(form![1], { form: { xsrf: form![2], logout: "yes" } }));
    expect(confirmed.leftTo?.href).toBe(`${POST_LOGOUT_URI}?state=bye`);

    // The session is gone: a new authorization request asks for credentials again instead of issuing a code.
    const again = await browser.follow(await browser.request(authorizeUrl({ ...pkceParams(), state: "s" })));
    expect(again.leftTo).toBeUndefined();
    expect(await again.final.text()).toContain('<label for="password">');
  });
});

describe("groups that change while the IdP runs", () => {
  const admin = (email: string, body: unknown, auth = basicAuth(CLIENT.clientId, CLIENT.clientSecret)) =>
    fetch(`${idp.url}/_sim/users/${encodeURIComponent(email)}/groups`, { method: "PUT", headers: { authorization: auth, "content-type": "application/json" }, body: JSON.stringify(body) });

  it("listens on the loopback interface only", async () => {
    const res = await fetch(`${idp.url}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    expect(idp.boundAddress).toBe("127.0.0.1");
  });

  it("issues a refresh token; userinfo and a refreshed token carry groups changed by the admin switch", async () => {
    const browser = new TestBrowser(idp.url);
    const { callback, pkce } = await signIn(browser, "rui@acme.test");
    const tokens = (await redeemCode(callback.searchParams.get("code")!, pkce.verifier)).body;
    expect(tokens.refresh_token).toBeTruthy();
    const userinfo = async (access: string) => (await (await fetch(discovery.userinfo_endpoint, { headers: { authorization: `Bearer ${access}` } })).json()) as { groups: string[] };
    expect((await userinfo(tokens.access_token)).groups).toEqual(["oncall", "engineering"]);

    try {
      expect((await admin("Rui@Acme.test", { groups: ["engineering"] })).status).toBe(200);
      expect((await userinfo(tokens.access_token)).groups).toEqual(["engineering"]);
      const refreshed = await fetch(discovery.token_endpoint, {
        method: "POST",
        headers: { authorization: basicAuth(CLIENT.clientId, CLIENT.clientSecret), "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: tokens.refresh_token }),
      });
      expect(refreshed.status).toBe(200);
      const fresh = (await refreshed.json()) as Record<string, string>;
      expect((await userinfo(fresh.access_token)).groups).toEqual(["engineering"]);
    } finally {
      await admin("rui@acme.test", { groups: ["oncall", "engineering"] });
    }
  });

  it("guards the admin switch with a registered client's credentials and checks its body", async () => {
    expect((await admin("rui@acme.test", { groups: [] }, basicAuth(CLIENT.clientId, "wrong"))).status).toBe(401);
    expect((await admin("rui@acme.test", { groups: [] }, "")).status).toBe(401);
    expect((await admin("nobody@acme.test", { groups: [] })).status).toBe(404);
    expect((await admin("rui@acme.test", { groups: "oncall" })).status).toBe(400);
    expect((await fetch(`${idp.url}/_sim/users/rui%40acme.test/groups`)).status).toBe(405);
  });
});

function pkceParams() {
  return { code_challenge: newPkce().challenge, code_challenge_method: "S256" };
}
