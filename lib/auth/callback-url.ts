// Browsers strip tabs and newlines from URLs and treat "\" like "/", so "/\t/evil.example" and
// "/\\evil.example" both leave the site although they start with one slash. A callback is resolved
// the way a browser will resolve it and kept only when it stays on the console's origin.
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f-\u00a0\u1680\u180e\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]/;

/**
 * Only same-origin paths may be returned to after sign-in (no open redirects): `raw` (a path, or an
 * absolute URL on `origin` as next-auth hands back) resolved against `origin`; anything with control
 * characters, whitespace or backslashes, another origin, a protocol-relative path or the sign-in
 * page itself gives `fallback`.
 */
export function safeCallbackPath(raw: string | string[] | undefined | null, origin: string, fallback = "/endpoints"): string {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value || value.length > 2048 || CONTROL_OR_SPACE.test(value) || value.includes("\\")) return fallback;
  let url: URL;
  let base: URL;
  try {
    base = new URL(origin);
    url = new URL(value, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base.origin || (url.protocol !== "http:" && url.protocol !== "https:")) return fallback;
  const path = url.pathname + url.search + url.hash;
  if (!path.startsWith("/") || path.startsWith("//") || url.pathname === "/signin" || url.pathname.startsWith("/signin/")) return fallback;
  return path;
}
