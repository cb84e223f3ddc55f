import { describe, expect, it } from "vitest";
import { parseCommand, serverUrl, UsageError } from "./args";

const env = { TOUCHLINE_URL: "http://localhost:3000/", TOUCHLINE_TOKEN: "tl_env" };

describe("parseCommand", () => {
  it("no arguments or --help → help", () => {
    expect(parseCommand([])).toEqual({ cmd: "help" });
    expect(parseCommand(["tokens", "list", "--help"])).toEqual({ cmd: "help" });
  });

  it("investigate takes the server and token from the environment, trimming the URL's slash", () => {
    expect(parseCommand(["investigate", "--endpoint", "GET /orders"], env)).toEqual({
      cmd: "investigate",
      remote: { url: "http://localhost:3000", token: "tl_env" },
      endpoint: "GET /orders",
      from: undefined,
      to: undefined,
      json: false,
    });
  });

  it("--url and --token win over the environment; times are normalised to UTC", () => {
    const c = parseCommand(["investigate", "--endpoint", "ep1", "--from", "2026-11-26T10:00:00+01:00", "--to", "2026-11-26T11:00:00Z", "--url", "http://h:1", "--token", "tl_flag", "--json"], env);
    expect(c).toMatchObject({ remote: { url: "http://h:1", token: "tl_flag" }, from: "2026-11-26T09:00:00.000Z", to: "2026-11-26T11:00:00.000Z", json: true });
  });

  it("names what is missing or wrong", () => {
    expect(() => parseCommand(["investigate"], env)).toThrow(/missing --endpoint/);
    expect(() => parseCommand(["investigate", "--endpoint", "x"], {})).toThrow(/TOUCHLINE_URL/);
    expect(() => parseCommand(["investigate", "--endpoint", "x"], { TOUCHLINE_URL: "http://h" })).toThrow(/TOUCHLINE_TOKEN/);
    expect(() => parseCommand(["investigate", "--endpoint", "x", "--from", "2026-11-26T10:00:00Z"], env)).toThrow(/go together/);
    expect(() => parseCommand(["investigate", "--endpoint", "x", "--from", "yesterday", "--to", "today"], env)).toThrow(/--from: expected an ISO 8601/);
    expect(() => parseCommand(["investigate", "--bogus"], env)).toThrow(UsageError);
    expect(() => parseCommand(["frobnicate"], env)).toThrow(/unknown command "frobnicate"/);
  });

  it("incidents create validates severity and window", () => {
    const base = ["incidents", "create", "--endpoint", "GET /orders", "--from", "2026-11-26T10:00:00Z", "--to", "2026-11-26T11:00:00Z", "--title", "Orders slow"];
    expect(parseCommand(base, env)).toMatchObject({ cmd: "incidents.create", severity: "sev2", title: "Orders slow" });
    expect(() => parseCommand([...base, "--severity", "huge"], env)).toThrow(/--severity/);
    expect(() => parseCommand(["incidents", "create", "--endpoint", "e", "--from", "2026-11-26T11:00:00Z", "--to", "2026-11-26T10:00:00Z", "--title", "t"], env)).toThrow(/after --from/);
    expect(parseCommand(["incidents", "list", "--json"], env)).toMatchObject({ cmd: "incidents.list", json: true });
  });

  it("tokens commands need no server; scopes repeat or comma-separate", () => {
    expect(parseCommand(["tokens", "create", "--name", "bot", "--scope", "read", "--scope", "incidents:write,sync:run"])).toEqual({
      cmd: "tokens.create",
      name: "bot",
      scopes: ["read", "incidents:write", "sync:run"],
      expires: "30d",
      json: false,
    });
    expect(() => parseCommand(["tokens", "create", "--name", "bot"])).toThrow(/--scope/);
    expect(parseCommand(["tokens", "revoke", "abc"])).toEqual({ cmd: "tokens.revoke", id: "abc", json: false });
    expect(() => parseCommand(["tokens", "revoke"])).toThrow(/missing --id/);
  });
});

describe("serverUrl", () => {
  it("takes a URL as it is, minus a trailing slash", () => {
    expect(serverUrl("https://touchline.example.com/")).toBe("https://touchline.example.com");
    expect(serverUrl("http://h:1/console/")).toBe("http://h:1/console");
  });

  it("understands a host without a scheme: http on this machine, https elsewhere", () => {
    expect(serverUrl("localhost:3000")).toBe("http://localhost:3000");
    expect(serverUrl("127.0.0.1:4000/")).toBe("http://127.0.0.1:4000");
    expect(serverUrl("touchline.example.com")).toBe("https://touchline.example.com");
  });

  it("refuses what is not an http(s) URL, saying what was expected", () => {
    expect(() => serverUrl("ftp://files.example.com")).toThrow(/ftp:\/\/ is not http or https/);
    expect(() => serverUrl("http://")).toThrow(/--url/);
    expect(() => serverUrl("exa mple")).toThrow(/expected e\.g\. https:\/\/touchline\.example\.com or localhost:3000/);
  });
});
