// Content-Security-Policy. Pages get a fresh nonce per request (proxy.ts): Next puts it on its own
// scripts, and 'strict-dynamic' lets those load the chunks they need — no inline script runs
// without it, so no 'unsafe-inline' for scripts. Styles keep 'unsafe-inline' (React style props,
// the chart library's inline styles), which cannot run code.

const COMMON = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'self'",
  "object-src 'none'",
];

/** A nonce for one page response: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/** The policy of a page rendered with `nonce`; `dev` adds 'unsafe-eval' for the dev server's fast refresh. */
export function pageCsp(nonce: string, dev: boolean): string {
  return [...COMMON, `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`, "style-src 'self' 'unsafe-inline'"].join("; ");
}

/** For answers that are not pages (API JSON, files): nothing in them may run. */
export const STATIC_CSP = [...COMMON, "script-src 'self'", "style-src 'self'"].join("; ");
