import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";
import type { Interaction } from "oidc-provider";
import { BAD_CREDENTIALS_MESSAGE, contentSecurityPolicy, renderLoginPage, renderMessagePage } from "./pages";
import type { UserDirectory } from "./users";

const ROUTE = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|abort))?$/;
const MAX_BODY_BYTES = 16 * 1024;

/** True for the paths this module serves; everything else belongs to oidc-provider. */
export function isInteractionPath(pathname: string): boolean {
  return ROUTE.test(pathname);
}

class BodyTooLarge extends Error {}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

function sendHtml(res: ServerResponse, status: number, html: string, csp: string): void {
  res.writeHead(status, {
    "Content-Type": "text/html; charset=utf-8",
    "Content-Security-Policy": csp,
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
  });
  res.end(html);
}

/**
 * Consent is granted on the user's behalf: every registered client is first-party (Touchline and its
 * tests), so a consent screen would only be an extra click. Grants exactly what the prompt reports missing.
 */
async function grantConsent(provider: Provider, details: Interaction): Promise<{ grantId: string }> {
  const { prompt, params, session } = details;
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: session?.accountId, clientId: String(params.client_id) });
  if (!grant) throw new Error("grant referenced by the interaction no longer exists");
  const missing = prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(" "));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(" "));
  }
  return { grantId: await grant.save() };
}

/**
 * Serves the login interaction: GET renders the login form (or auto-consents), POST …/login checks the
 * credentials, POST …/abort cancels. Completion is handed back to oidc-provider via interactionFinished.
 */
export function createInteractionHandler(provider: Provider, opts: { formActionOrigins: readonly string[]; users: UserDirectory }) {
  const csp = contentSecurityPolicy(opts.formActionOrigins);

  async function loginPage(res: ServerResponse, details: Interaction, status: number, form?: { email: string; error: string }) {
    const client = await provider.Client.find(String(details.params.client_id));
    const html = renderLoginPage({
      action: `/interaction/${details.uid}/login`,
      abortAction: `/interaction/${details.uid}/abort`,
      clientName: client?.clientName ?? String(details.params.client_id),
      demoUsers: opts.users.list(),
      demoPassword: opts.users.sharedPassword,
      email: form?.email,
      error: form?.error,
    });
    sendHtml(res, status, html, csp);
  }

  return async function handleInteraction(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const [, uid, action] = ROUTE.exec(pathname) ?? [];
    const expectedMethod = action ? "POST" : "GET";
    if (req.method !== expectedMethod) {
      res.writeHead(405, { Allow: expectedMethod }).end();
      return;
    }

    let details: Interaction;
    try {
      details = await provider.interactionDetails(req, res);
      if (details.uid !== uid) throw new Error("interaction cookie belongs to another request");
    } catch {
      const message = "Your sign-in request expired or was already used. Go back to the application and sign in again.";
      sendHtml(res, 400, renderMessagePage("Sign-in expired", message), csp);
      return;
    }

    if (!action) {
      if (details.prompt.name === "login") return loginPage(res, details, 200);
      if (details.prompt.name === "consent") {
        const consent = await grantConsent(provider, details);
        return provider.interactionFinished(req, res, { consent }, { mergeWithLastSubmission: true });
      }
      sendHtml(res, 501, renderMessagePage("Not supported", `Unsupported prompt: ${details.prompt.name}`), csp);
      return;
    }

    if (action === "abort") {
      const result = { error: "access_denied", error_description: "End-User aborted interaction" };
      return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
    }

    let form: URLSearchParams;
    try {
      form = await readForm(req);
    } catch (err) {
      if (!(err instanceof BodyTooLarge)) throw err;
      res.writeHead(413).end();
      return;
    }
    const email = form.get("email") ?? "";
    const user = opts.users.verify(email, form.get("password") ?? "");
    if (!user) return loginPage(res, details, 401, { email, error: BAD_CREDENTIALS_MESSAGE });
    const result = { login: { accountId: user.sub } };
    return provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
  };
}
