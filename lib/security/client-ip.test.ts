import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { clientIp, normalizeIp, parseTrustedProxies } from "./client-ip";

const none = parseTrustedProxies("");
const proxies = parseTrustedProxies("10.0.0.0/8, 192.168.1.7, fd00::/8");

describe("client IP", () => {
  it("is the peer when the peer is not a trusted proxy, whatever X-Forwarded-For says", () => {
    expect(clientIp("203.0.113.9", "1.2.3.4", none)).toBe("203.0.113.9");
    expect(clientIp("::ffff:203.0.113.9", "1.2.3.4", proxies)).toBe("203.0.113.9");
  });

  it("walks X-Forwarded-For from the right past trusted proxies only", () => {
    expect(clientIp("10.1.2.3", "6.6.6.6, 198.51.100.4, 192.168.1.7", proxies)).toBe("198.51.100.4");
    expect(clientIp("10.1.2.3", "198.51.100.4", proxies)).toBe("198.51.100.4");
    expect(clientIp("fd00::1", "2001:db8::5", proxies)).toBe("2001:db8::5");
    // A hop that is not an IP ends the walk: the last trusted hop is the best we know.
    expect(clientIp("10.1.2.3", "198.51.100.4, <script>, 10.9.9.9", proxies)).toBe("10.9.9.9");
  });

  it("never stores anything but a valid IP, however long the header", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 40 }), (xff, peer) => {
        const ip = clientIp(peer, `${xff},${"A".repeat(12_000)}`, proxies);
        expect(ip === null || normalizeIp(ip) === ip).toBe(true);
        expect((ip ?? "").length).toBeLessThanOrEqual(45);
      }),
    );
    expect(clientIp("10.0.0.1", `${"1.2.3.4,".repeat(2000)}9.9.9.9`, proxies)).toBe("9.9.9.9");
  });

  it("normalises ports, brackets and IPv4-mapped IPv6", () => {
    expect(normalizeIp("[2001:db8::1]:443")).toBe("2001:db8::1");
    expect(normalizeIp("203.0.113.9:5555")).toBe("203.0.113.9");
    expect(normalizeIp("not-an-ip")).toBeNull();
  });

  it("names a bad TRUSTED_PROXIES entry", () => {
    expect(() => parseTrustedProxies("10.0.0.0/8,10.0.0.0/33")).toThrow(/"10.0.0.0\/33"/);
    expect(() => parseTrustedProxies("proxy.internal")).toThrow(/"proxy.internal"/);
    expect(parseTrustedProxies("127.0.0.1").check("127.0.0.1")).toBe(true);
  });
});
