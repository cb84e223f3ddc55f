import { createHash } from "node:crypto";
import type { DemoUser } from "./users";

/** Every page's <title>; e2e tests and humans both recognise the demo IdP by it. */
export const PAGE_TITLE = "Acme SSO (local demo IdP)";

export const BAD_CREDENTIALS_MESSAGE = "Incorrect email or password. Please try again.";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ESCAPES[ch]);
}

const STYLE = `
*{box-sizing:border-box}
body{margin:0;min-height:100vh;display:flex;flex-direction:column;align-items:center;justify-content:center;
  background:#eef1f5;color:#1f2933;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
.card{width:360px;max-width:calc(100vw - 32px);background:#fff;border:1px solid #d9dee5;border-radius:6px;
  box-shadow:0 1px 3px rgba(16,24,40,.08);padding:28px 32px}
.brand{display:flex;align-items:center;gap:10px;margin-bottom:18px}
.logo{width:30px;height:30px;border-radius:6px;background:#1d4ed8;color:#fff;font-weight:700;
  display:flex;align-items:center;justify-content:center}
.brand span{font-weight:600;font-size:17px}
h1{font-size:19px;font-weight:600;margin:0 0 4px}
.sub{color:#52606d;margin:0 0 20px}
label{display:block;font-weight:500;margin:14px 0 6px}
input[type=email],input[type=password]{width:100%;padding:9px 11px;border:1px solid #b8c2cc;border-radius:4px;font:inherit}
input:focus{outline:2px solid #93b4f5;border-color:#1d4ed8}
.primary{width:100%;margin-top:22px;padding:10px;border:0;border-radius:4px;background:#1d4ed8;color:#fff;
  font:inherit;font-weight:600;cursor:pointer}
.primary:hover{background:#1e40af}
.link{background:none;border:0;padding:0;margin-top:12px;color:#52606d;font:inherit;text-decoration:underline;cursor:pointer}
.error{margin:0 0 6px;padding:10px 12px;border-radius:4px;background:#fdecec;border:1px solid #f5b5b5;color:#9b1c1c}
.hint{width:360px;max-width:calc(100vw - 32px);margin-top:14px;padding:12px 16px;border:1px dashed #b8c2cc;
  border-radius:6px;color:#52606d;font-size:13px}
.hint ul{margin:6px 0;padding-left:18px}
code{font-family:ui-monospace,Menlo,monospace;font-size:12.5px}
footer{margin-top:18px;color:#7b8794;font-size:12px}
`;

function layout(body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(PAGE_TITLE)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
<footer>Acme SSO &middot; local demonstration identity provider</footer>
</body>
</html>`;
}

const BRAND = `<div class="brand"><div class="logo" aria-hidden="true">A</div><span>Acme SSO</span></div>`;

export type LoginPageInput = {
  action: string;
  abortAction: string;
  clientName: string;
  demoUsers: readonly DemoUser[];
  demoPassword?: string;
  email?: string;
  error?: string;
};

export function renderLoginPage(input: LoginPageInput): string {
  const error = input.error ? `<p class="error" role="alert">${escapeHtml(input.error)}</p>` : "";
  const accounts = input.demoUsers
    .map((u) => `<li><code>${escapeHtml(u.email)}</code> &ndash; ${escapeHtml(u.name)} (${escapeHtml(u.groups.join(", "))})</li>`)
    .join("");
  return layout(`<main class="card">
${BRAND}
<h1>Sign in</h1>
<p class="sub">to continue to ${escapeHtml(input.clientName)}</p>
${error}
<form method="post" action="${escapeHtml(input.action)}" autocomplete="on">
<label for="email">Email</label>
<input id="email" name="email" type="email" autocomplete="username" required${input.email ? "" : " autofocus"} value="${escapeHtml(input.email ?? "")}">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${input.email ? " autofocus" : ""}>
<button class="primary" type="submit">Sign in</button>
</form>
<form method="post" action="${escapeHtml(input.abortAction)}"><button class="link" type="submit">Cancel</button></form>
</main>
<aside class="hint" aria-label="Demo accounts">
<strong>Demo accounts</strong>${input.demoPassword ? ` (password <code>${escapeHtml(input.demoPassword)}</code>)` : ""}
<ul>${accounts}</ul>
</aside>`);
}

export function renderMessagePage(heading: string, message: string): string {
  return layout(`<main class="card">${BRAND}<h1>${escapeHtml(heading)}</h1><p class="sub">${escapeHtml(message)}</p></main>`);
}

// The logout page submits oidc-provider's confirm form by itself; CSP allows exactly this script by hash.
const AUTO_SUBMIT_SCRIPT = `document.getElementById("op.logoutForm").submit();`;
export const AUTO_SUBMIT_SCRIPT_HASH = `'sha256-${createHash("sha256").update(AUTO_SUBMIT_SCRIPT).digest("base64")}'`;

/**
 * Renders the RP-initiated logout page around oidc-provider's confirm form (which carries the xsrf token).
 * With `autoConfirm` the form asks to end the whole IdP session and submits itself; a button remains for
 * browsers without JavaScript.
 */
export function renderLogoutPage(opts: { form: string; autoConfirm: boolean; clientName?: string }): string {
  const target = opts.clientName ? ` from ${escapeHtml(opts.clientName)}` : "";
  if (opts.autoConfirm) {
    const form = opts.form.replace("</form>", `<input type="hidden" name="logout" value="yes"/></form>`);
    return layout(`<main class="card">${BRAND}<h1>Signing you out&hellip;</h1>
<p class="sub">Ending your Acme SSO session${target}.</p>
${form}
<noscript><button class="primary" type="submit" form="op.logoutForm">Continue</button></noscript>
</main>
<script>${AUTO_SUBMIT_SCRIPT}</script>`);
  }
  return layout(`<main class="card">${BRAND}<h1>Sign out${target}?</h1>
<p class="sub">This ends your Acme SSO session.</p>
${opts.form}
<button class="primary" type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button>
<button class="link" type="submit" form="op.logoutForm">No, stay signed in</button>
</main>`);
}

/**
 * The IdP's Content-Security-Policy. `form-action` must list the relying parties' origins: Chromium applies
 * it to the whole redirect chain after a form post, and the login and logout posts end at the app.
 */
export function contentSecurityPolicy(formActionOrigins: readonly string[], scriptHashes: readonly string[] = []): string {
  const scripts = scriptHashes.length ? scriptHashes.join(" ") : "'none'";
  return [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    `script-src ${scripts}`,
    `form-action 'self' ${formActionOrigins.join(" ")}`.trim(),
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join("; ");
}
