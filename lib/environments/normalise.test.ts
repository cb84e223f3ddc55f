import { describe, expect, it } from "vitest";
import { compareEnvironments, normaliseEnvironment, serviceNameEnvironment, tykEnvironment } from "./normalise";

describe("normaliseEnvironment", () => {
  it.each([
    ["prd", "production"], ["PROD", "production"], [" Production ", "production"], ["live", "production"],
    ["stg", "staging"], ["Stage", "staging"], ["pre_prod", "staging"], ["dev", "development"], ["QA", "test"], ["uat", "test"],
    ["sbx", "sandbox"], ["eu-west", "eu-west"], ["Live EU", "live-eu"],
  ])("%s → %s", (raw, canon) => expect(normaliseEnvironment(raw)).toBe(canon));

  it("applies an admin's alias before the built-in spellings", () => {
    const aliases = new Map([["live-eu", "production"], ["qa", "staging"]]);
    expect(normaliseEnvironment("Live EU", aliases)).toBe("production");
    expect(normaliseEnvironment("QA", aliases)).toBe("staging");
    expect(normaliseEnvironment("prd", aliases)).toBe("production");
  });
});

describe("tykEnvironment", () => {
  const api = (name: string, listenPath: string, tags: string[] = []) => ({ name, listenPath, tags });
  it("reads an env: tag first, then a tag that is an environment word", () => {
    expect(tykEnvironment(api("Orders", "/orders/", ["orders", "env:prd"]))).toEqual({ raw: "prd", source: "tag" });
    expect(tykEnvironment(api("Shipping API", "/shipping/", ["shipping", "prd"]))).toEqual({ raw: "prd", source: "tag" });
  });
  it("falls back to a name suffix, then a listen path segment", () => {
    expect(tykEnvironment(api("orders-staging", "/orders/"))).toEqual({ raw: "staging", source: "name" });
    expect(tykEnvironment(api("Orders API (stg)", "/orders/"))).toEqual({ raw: "stg", source: "name" });
    expect(tykEnvironment(api("Orders API", "/staging/orders/"))).toEqual({ raw: "staging", source: "listen_path" });
    expect(tykEnvironment(api("Orders API", "/orders-dev/"))).toEqual({ raw: "dev", source: "listen_path" });
  });
  it("says nothing rather than guess", () => {
    expect(tykEnvironment(api("Orders API", "/orders/", ["orders"]))).toBeNull();
    expect(tykEnvironment(api("Production", "/p/"))).toBeNull(); // a one-word name is a name, not a suffix
  });
});

describe("serviceNameEnvironment", () => {
  it("reads a suffix only", () => {
    expect(serviceNameEnvironment("orders-service-staging")).toBe("staging");
    expect(serviceNameEnvironment("orders-service")).toBeNull();
    expect(serviceNameEnvironment("prod")).toBeNull();
  });
});

describe("compareEnvironments", () => {
  it.each([
    ["prd", ["production"], "naming"],
    ["production", ["production"], "same"],
    ["production", ["staging"], "mismatch"],
    ["prd", ["production", "stg"], "mismatch"],
    [null, ["production"], "traces_only"],
    ["prd", [], "gateway_only"],
    [null, [], "undeclared"],
  ] as const)("%s vs %j → %s", (tyk, traces, status) => expect(compareEnvironments(tyk, traces)).toBe(status));
});
