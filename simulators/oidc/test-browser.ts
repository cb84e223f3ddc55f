/**
 * Just enough of a browser for driving the IdP over real HTTP in tests: a cookie jar that honours
 * Path and expiry (oidc-provider scopes its interaction cookies to /interaction/:uid and /auth/:uid),
 * and requests with manual redirects so each hop can be inspected.
 */
const MAX_REDIRECTS = 10;

type StoredCookie = { name: string; value: string; path: string };

export class TestBrowser {
  private cookies = new Map<string, StoredCookie>();

  constructor(private readonly origin: string) {}

  private cookieHeader(pathname: string): string {
    return [...this.cookies.values()]
      .filter((c) => pathname === c.path || pathname.startsWith(c.path.endsWith("/") ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`)
      .join("; ");
  }

  private store(res: Response, requestPath: string): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";").map((part) => part.trim());
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = requestPath.slice(0, requestPath.lastIndexOf("/")) || "/";
      let expired = value === "";
      for (const attr of attrs) {
        const [key, attrValue = ""] = attr.split("=");
        if (key.toLowerCase() === "path") path = attrValue;
        if (key.toLowerCase() === "max-age" && Number(attrValue) <= 0) expired = true;
        if (key.toLowerCase() === "expires" && Date.parse(attrValue) <= Date.now()) expired = true;
      }
      const key = `${name};${path}`;
      if (expired) this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path });
    }
  }

  /** One request, no redirect following; `target` is absolute or relative to the IdP origin. */
  async request(target: string, init: { method?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}) {
    const url = new URL(target, this.origin);
    const headers: Record<string, string> = { ...init.headers };
    const cookie = this.cookieHeader(url.pathname);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(init.form).toString();
    }
    const res = await fetch(url, { method: init.method ?? (body ? "POST" : "GET"), headers, body, redirect: "manual" });
    this.store(res, url.pathname);
    return res;
  }

  /**
   * Follows redirects within the IdP; stops at the first response that is not a redirect, or at a
   * redirect leaving the IdP (to the relying party), which is returned without being fetched.
   */
  async follow(res: Response): Promise<{ final: Response; hops: string[]; leftTo?: URL }> {
    const hops: string[] = [];
    let current = res;
    while (current.status >= 300 && current.status < 400) {
      if (hops.length >= MAX_REDIRECTS) throw new Error(`redirect loop: ${hops.join(" → ")}`);
      const location = new URL(current.headers.get("location") ?? "", this.origin);
      hops.push(location.href);
      if (location.origin !== this.origin) return { final: current, hops, leftTo: location };
      current = await this.request(location.href);
    }
    return { final: current, hops };
  }
}
