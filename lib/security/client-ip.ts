import { AsyncLocalStorage } from "node:async_hooks";
import { BlockList, isIP } from "node:net";

// Who is calling, for the audit trail. Route handlers never see the TCP peer, and Next fills in
// X-Forwarded-For with it only when the client sent none — so a client could name any address.
// scripts/serve.ts (what `npm start` and the stacks run) hands the peer to the request through
// `peerAddresses`; forwarded headers count only when that peer is a configured proxy.

const STORE = Symbol.for("touchline.peerAddress");
const holder = globalThis as unknown as Record<symbol, AsyncLocalStorage<string> | undefined>;

/** Shared by the server script and the app bundle (two copies of this module, one store). */
export function peerAddresses(): AsyncLocalStorage<string> {
  return (holder[STORE] ??= new AsyncLocalStorage<string>());
}

/** An IP as stored: validated, IPv4-mapped IPv6 unwrapped, brackets and a trailing port dropped. */
export function normalizeIp(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let v = raw.trim();
  if (v.length > 64) return null;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(v);
  if (bracketed) v = bracketed[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(v)) v = v.slice(0, v.lastIndexOf(":"));
  const mapped = /^::ffff:(\d{1,3}(\.\d{1,3}){3})$/i.exec(v);
  if (mapped) v = mapped[1];
  return isIP(v) ? v.toLowerCase() : null;
}

/** TRUSTED_PROXIES: a comma list of IPs and CIDRs. Throws naming the bad entry. */
export function parseTrustedProxies(spec: string | undefined): BlockList {
  const list = new BlockList();
  for (const entry of (spec ?? "").split(",").map((s) => s.trim()).filter(Boolean)) {
    const [addr, bits, extra] = entry.split("/");
    const ip = normalizeIp(addr);
    const family = ip && isIP(ip) === 6 ? "ipv6" : "ipv4";
    const prefix = bits === undefined ? null : Number(bits);
    const maxBits = family === "ipv6" ? 128 : 32;
    if (!ip || extra !== undefined || (prefix !== null && (!/^\d{1,3}$/.test(bits!) || prefix > maxBits))) {
      throw new Error(`TRUSTED_PROXIES: bad entry "${entry}" (expected an IP or CIDR, e.g. 10.0.0.0/8)`);
    }
    if (prefix === null) list.addAddress(ip, family);
    else list.addSubnet(ip, prefix, family);
  }
  return list;
}

function trusted(list: BlockList, ip: string): boolean {
  return list.check(ip, isIP(ip) === 6 ? "ipv6" : "ipv4");
}

/** At most this many forwarded hops are looked at (a 12,000-character header is not walked). */
const MAX_HOPS = 16;

/**
 * The client's address: the peer itself, unless the peer is a trusted proxy — then the nearest
 * X-Forwarded-For entry (from the right) that is not itself a trusted proxy. An entry that is not
 * a valid IP ends the walk: what lies left of it was written by the client.
 */
export function clientIp(peer: string | null | undefined, forwardedFor: string | null | undefined, proxies: BlockList): string | null {
  let ip = normalizeIp(peer);
  if (!ip || !trusted(proxies, ip) || !forwardedFor) return ip;
  const hops = forwardedFor.split(",").slice(-MAX_HOPS).reverse();
  for (const hop of hops) {
    const next = normalizeIp(hop);
    if (!next) break;
    ip = next;
    if (!trusted(proxies, ip)) break;
  }
  return ip;
}

let parsed: { spec: string; list: BlockList } | undefined;

/** The calling client's address for a request handled now (null outside scripts/serve.ts). */
export function requestClientIp(headers: Headers): string | null {
  const spec = process.env.TRUSTED_PROXIES ?? "";
  if (parsed?.spec !== spec) parsed = { spec, list: parseTrustedProxies(spec) };
  return clientIp(peerAddresses().getStore(), headers.get("x-forwarded-for"), parsed.list);
}
