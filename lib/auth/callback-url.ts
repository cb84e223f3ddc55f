/** Only same-site paths may be returned to after sign-in (no open redirects). */
export function safeCallbackPath(raw: string | string[] | undefined | null, fallback = "/endpoints"): string {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return fallback;
  let path = value;
  // next-auth hands back absolute URLs on its own origin; keep only their path.
  if (/^https?:\/\//i.test(path)) {
    try {
      const url = new URL(path);
      path = url.pathname + url.search + url.hash;
    } catch {
      return fallback;
    }
  }
  if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\") || path.startsWith("/signin")) return fallback;
  return path;
}
