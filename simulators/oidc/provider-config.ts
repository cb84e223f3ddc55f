import type { ClientMetadata, Configuration, KoaContextWithOIDC } from "oidc-provider";
import type { SigningJwk } from "./keys";
import { AUTO_SUBMIT_SCRIPT_HASH, contentSecurityPolicy, renderLogoutPage, renderMessagePage } from "./pages";
import type { UserDirectory } from "./users";

/** A relying party registered with the demo IdP (Touchline itself, or a test client). */
export type OidcClientRegistration = {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  /** Shown on the login page ("to continue to …"); defaults to the client id. */
  clientName?: string;
};

const HOUR = 60 * 60;

/** Origins the IdP's pages may send a browser to after a form post (see contentSecurityPolicy). */
export function relyingPartyOrigins(clients: readonly OidcClientRegistration[]): string[] {
  const uris = clients.flatMap((c) => [...c.redirectUris, ...(c.postLogoutRedirectUris ?? [])]);
  return [...new Set(uris.map((uri) => new URL(uri).origin))];
}

export function toClientMetadata(client: OidcClientRegistration): ClientMetadata {
  return {
    client_id: client.clientId,
    client_secret: client.clientSecret,
    client_name: client.clientName ?? client.clientId,
    redirect_uris: client.redirectUris,
    post_logout_redirect_uris: client.postLogoutRedirectUris ?? [],
    token_endpoint_auth_method: "client_secret_basic",
    grant_types: ["authorization_code", "refresh_token"],
    response_types: ["code"],
    id_token_signed_response_alg: "RS256",
  };
}

function clientNameOf(ctx: KoaContextWithOIDC): string | undefined {
  return ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId;
}

/**
 * oidc-provider configuration for the demo IdP. Interactions (login, auto-consent) are served by
 * interactions.ts at /interaction/:uid; everything else is oidc-provider's own routes.
 */
export function buildProviderConfiguration(opts: {
  clients: readonly OidcClientRegistration[];
  signingKey: SigningJwk;
  cookieKeys: string[];
  users: UserDirectory;
}): Configuration {
  const formActionOrigins = relyingPartyOrigins(opts.clients);
  return {
    clients: opts.clients.map(toClientMetadata),
    jwks: { keys: [opts.signingKey] },
    cookies: {
      keys: opts.cookieKeys,
      // Distinct names: browsers share cookies across ports, and the app runs on the same host name.
      names: { session: "acme_sso_session", interaction: "acme_sso_interaction", resume: "acme_sso_resume" },
    },
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name"],
      groups: ["groups"],
    },
    // By default the code flow puts only `sub` in the ID token; next-auth reads the profile from the ID token.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    // Like Keycloak, a first-party client gets a refresh token without asking for offline_access:
    // the app re-reads the user's groups through it (Okta and Entra ID want offline_access asked for).
    async issueRefreshToken(_ctx, client) {
      return client.grantTypeAllowed("refresh_token");
    },
    async findAccount(_ctx, sub) {
      const user = opts.users.findBySub(sub);
      if (!user) return undefined;
      return {
        accountId: user.sub,
        // oidc-provider filters these by the granted scopes (email, profile, groups).
        claims: () => ({ sub: user.sub, email: user.email, email_verified: true, name: user.name, groups: [...user.groups] }),
      };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource(ctx, form) {
          // endSessionChecks has already dropped a post_logout_redirect_uri the client did not register.
          const autoConfirm = ctx.oidc.client !== undefined && ctx.oidc.params?.post_logout_redirect_uri !== undefined;
          ctx.set("Content-Security-Policy", contentSecurityPolicy(formActionOrigins, [AUTO_SUBMIT_SCRIPT_HASH]));
          ctx.type = "html";
          ctx.body = renderLogoutPage({ form, autoConfirm, clientName: clientNameOf(ctx) });
        },
        postLogoutSuccessSource(ctx) {
          ctx.set("Content-Security-Policy", contentSecurityPolicy([]));
          ctx.type = "html";
          ctx.body = renderMessagePage("You are signed out", "Your Acme SSO session has ended. You can close this window.");
        },
      },
    },
    renderError(ctx, out) {
      // `out` holds only the protocol error and its public description, never internals.
      ctx.set("Content-Security-Policy", contentSecurityPolicy([]));
      ctx.type = "html";
      const description = typeof out.error_description === "string" ? out.error_description : "";
      ctx.body = renderMessagePage("Sign-in could not continue", `${out.error}${description ? `: ${description}` : ""}`);
    },
    ttl: {
      AccessToken: HOUR,
      AuthorizationCode: 60,
      IdToken: HOUR,
      Interaction: HOUR,
      Session: 8 * HOUR,
      Grant: 24 * HOUR,
      RefreshToken: 24 * HOUR,
    },
  };
}
