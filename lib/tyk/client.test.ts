import { describe, expect, it } from "vitest";
import { z } from "zod";
import { backoffMs, createTykClient, parseRetryAfter } from "./client";
import { TykAuthError, TykNotFoundError, TykRateLimitError, TykResponseShapeError, TykTimeoutError, TykUpstreamError } from "./errors";
import { policiesListSchema } from "./schema";

const KEY = "secret-dashboard-key-1234567890";
type Reply = { status: number; body?: unknown; headers?: Record<string, string> } | Error | "hang";

function fakeFetch(replies: Reply[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fn = (async (url: URL | string, init: RequestInit = {}) => {
    calls.push({ url: String(url), init });
    const r = replies[Math.min(calls.length - 1, replies.length - 1)];
    if (r instanceof Error) throw r;
    if (r === "hang") {
      return new Promise((_, reject) => init.signal?.addEventListener("abort", () => reject(init.signal!.reason)));
    }
    const text = typeof r.body === "string" ? r.body : JSON.stringify(r.body ?? null);
    return new Response(text, { status: r.status, headers: r.headers });
  }) as typeof fetch;
  return { fn, calls };
}

function client(replies: Reply[], extra: Partial<Parameters<typeof createTykClient>[0]> = {}) {
  const f = fakeFetch(replies);
  const sleeps: number[] = [];
  const c = createTykClient({
    baseUrl: "http://dash.test/", apiKey: KEY, fetch: f.fn, retries: 3, random: () => 0.5,
    sleep: async (ms) => void sleeps.push(ms), ...extra,
  });
  return { c, calls: f.calls, sleeps };
}

const anyObj = z.looseObject({});
const err = { Status: "Error", Message: "Not authorised", Meta: null };

async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected a rejection");
}

describe("createTykClient", () => {
  it("sends the raw key in Authorization (no Bearer) and the query", async () => {
    const { c, calls } = client([{ status: 200, body: { ok: 1 } }]);
    await c.request({ path: "/api/apis", query: { p: 2, q: undefined }, schema: anyObj });
    expect(calls[0].url).toBe("http://dash.test/api/apis?p=2");
    expect((calls[0].init.headers as Record<string, string>).Authorization).toBe(KEY);
  });

  it.each([
    [401, TykAuthError],
    [403, TykAuthError],
    [404, TykNotFoundError],
    [400, TykUpstreamError],
  ])("maps %i without retrying", async (status, cls) => {
    const { c, calls } = client([{ status, body: err }]);
    const e = await failure(c.request({ path: "/api/portal/policies", query: { p: 1 }, schema: anyObj }));
    expect(e).toBeInstanceOf(cls);
    expect(e.message).toContain("/api/portal/policies");
    expect(e.message).toContain(String(status));
    expect(calls).toHaveLength(1);
  });

  it("retries 5xx with growing backoff, then throws TykUpstreamError", async () => {
    const { c, calls, sleeps } = client([{ status: 500, body: { Status: "Error", Message: "boom" } }]);
    const e = await failure(c.request({ path: "/api/apis", schema: anyObj }));
    expect(e).toBeInstanceOf(TykUpstreamError);
    expect((e as TykUpstreamError).status).toBe(500);
    expect(calls).toHaveLength(4);
    expect(sleeps).toEqual([125, 250, 500]);
  });

  it("honours Retry-After on 429 and succeeds afterwards", async () => {
    const { c, calls, sleeps } = client([{ status: 429, headers: { "Retry-After": "2" } }, { status: 200, body: { a: 1 } }]);
    await expect(c.request({ path: "/api/apis", schema: anyObj })).resolves.toEqual({ a: 1 });
    expect(calls).toHaveLength(2);
    expect(sleeps).toEqual([2000]);
  });

  it("gives up on 429 with TykRateLimitError", async () => {
    const { c } = client([{ status: 429, headers: { "Retry-After": "1" } }], { retries: 1 });
    const e = await failure(c.request({ path: "/api/apis", schema: anyObj }));
    expect(e).toBeInstanceOf(TykRateLimitError);
    expect((e as TykRateLimitError).retryAfterMs).toBe(1000);
  });

  it("retries network errors", async () => {
    const { c, calls } = client([new TypeError("fetch failed"), { status: 200, body: {} }]);
    await expect(c.request({ path: "/api/users", schema: anyObj })).resolves.toEqual({});
    expect(calls).toHaveLength(2);
  });

  it("times out each attempt and reports TykTimeoutError", async () => {
    const { c, calls } = client(["hang"], { timeoutMs: 20, retries: 1 });
    const e = await failure(c.request({ path: "/api/users", schema: anyObj }));
    expect(e).toBeInstanceOf(TykTimeoutError);
    expect(calls).toHaveLength(2);
  });

  it("names the failing path on a shape error", async () => {
    const body = { Data: [{ _id: "a", name: "p" }, { _id: "b", name: "q", rate: "fast" }], Pages: 1 };
    const { c } = client([{ status: 200, body }]);
    const e = await failure(c.request({ path: "/api/portal/policies", schema: policiesListSchema }));
    expect(e).toBeInstanceOf(TykResponseShapeError);
    expect((e as TykResponseShapeError).issuePath).toBe("Data[1].rate");
    expect(e.message).toContain("Data[1].rate");
  });

  it("never puts the key in an error, even when the server echoes it", async () => {
    const { c } = client([{ status: 401, body: { Status: "Error", Message: `bad key ${KEY}` } }]);
    const e = await failure(c.request({ path: "/api/apis", schema: anyObj }));
    expect(e.message).not.toContain(KEY);
    expect(JSON.stringify(e)).not.toContain(KEY);
  });

  it("stops retrying when the caller aborts", async () => {
    const ac = new AbortController();
    const f = fakeFetch([{ status: 503 }]);
    const c = createTykClient({ baseUrl: "http://dash.test", apiKey: KEY, fetch: f.fn, sleep: async () => void ac.abort(new Error("stop")) });
    const e = await failure(c.request({ path: "/api/apis", schema: anyObj, signal: ac.signal }));
    expect(e.message).toBe("stop");
    expect(f.calls).toHaveLength(1);
  });
});

describe("retry helpers", () => {
  it("parses Retry-After seconds and dates", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter("soon")).toBeNull();
  });
  it("caps backoff and lets Retry-After win", () => {
    expect(backoffMs(10, { baseMs: 100, maxMs: 5000, random: () => 1 })).toBe(5000);
    expect(backoffMs(0, { baseMs: 100, maxMs: 5000, random: () => 0, retryAfterMs: 1500 })).toBe(1500);
  });
});
