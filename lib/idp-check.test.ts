import { describe, expect, it } from "vitest";
import { checkIdp } from "./idp-check";

const answer = (status: number, body: unknown) => async () => new Response(JSON.stringify(body), { status });

describe("checkIdp", () => {
  it("is satisfied by a discovery document", async () => {
    expect(await checkIdp("https://idp.example/", answer(200, { issuer: "https://idp.example" }) as typeof fetch)).toBeNull();
  });

  it("names the URL and what went wrong", async () => {
    expect(await checkIdp("https://idp.example", answer(404, {}) as typeof fetch))
      .toBe("the IdP's discovery document https://idp.example/.well-known/openid-configuration answered HTTP 404");
    expect(await checkIdp("https://idp.example", answer(200, { hello: 1 }) as typeof fetch)).toMatch(/is not OpenID Connect discovery JSON/);
    const refused = (async () => { throw Object.assign(new TypeError("fetch failed"), { cause: { code: "ECONNREFUSED" } }); }) as unknown as typeof fetch;
    expect(await checkIdp("http://localhost:1", refused)).toBe("the IdP at http://localhost:1/.well-known/openid-configuration is unreachable: ECONNREFUSED");
  });
});
