import { describe, expect, it } from "vitest";
import { AUTO_SUBMIT_SCRIPT_HASH, contentSecurityPolicy, escapeHtml, renderLoginPage, renderLogoutPage } from "./pages";
import { SEEDED_USERS } from "./users";

const FORM = `<form id="op.logoutForm" method="post" action="http://idp/session/end/confirm"><input type="hidden" name="xsrf" value="x"/></form>`;

describe("IdP pages", () => {
  it("escapes everything interpolated into HTML", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    const html = renderLoginPage({ action: "/i/1/login", abortAction: "/i/1/abort", clientName: "<script>", demoUsers: [], email: `"><img>` });
    expect(html).not.toContain("<script>");
    expect(html).toContain('value="&quot;&gt;&lt;img&gt;"');
  });

  it("shows an alert only when there is an error, and the demo hint", () => {
    const base = { action: "/a", abortAction: "/b", clientName: "Touchline", demoUsers: SEEDED_USERS, demoPassword: "pw" };
    expect(renderLoginPage(base)).not.toContain('role="alert"');
    expect(renderLoginPage({ ...base, error: "Nope" })).toContain('<p class="error" role="alert">Nope</p>');
    expect(renderLoginPage(base)).toContain("<code>pw</code>");
    expect(renderLoginPage(base)).toContain("rui@acme.test");
  });

  it("auto-confirms logout only when asked, ending the whole IdP session", () => {
    const auto = renderLogoutPage({ form: FORM, autoConfirm: true });
    expect(auto).toContain('<input type="hidden" name="logout" value="yes"/></form>');
    expect(auto).toContain("<script>");
    const manual = renderLogoutPage({ form: FORM, autoConfirm: false, clientName: "Touchline" });
    expect(manual).not.toContain("<script>");
    expect(manual).toContain('name="logout" value="yes">Yes, sign me out</button>');
  });

  it("builds a CSP that allows form posts to the relying parties and only the hashed script", () => {
    const csp = contentSecurityPolicy(["http://localhost:3000"], [AUTO_SUBMIT_SCRIPT_HASH]);
    expect(csp).toContain("form-action 'self' http://localhost:3000;");
    expect(csp).toContain(`script-src ${AUTO_SUBMIT_SCRIPT_HASH};`);
    expect(contentSecurityPolicy([])).toContain("script-src 'none'");
    expect(contentSecurityPolicy([])).toContain("form-action 'self';");
  });
});
