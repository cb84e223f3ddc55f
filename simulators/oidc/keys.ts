import { generateKeyPairSync, randomBytes, randomUUID, type JsonWebKey } from "node:crypto";

export type SigningJwk = JsonWebKey & { kid: string; alg: "RS256"; use: "sig" };

/**
 * A fresh RS256 signing key for ID tokens. Generated per start on purpose: nothing signed by a previous run
 * must verify (sessions live in memory and die with the process anyway).
 */
export function generateSigningJwk(): SigningJwk {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  return { ...privateKey.export({ format: "jwk" }), kid: randomUUID(), alg: "RS256", use: "sig" };
}

/** Keys for oidc-provider's signed cookies; random per start for the same reason as the signing key. */
export function generateCookieKeys(): string[] {
  return [randomBytes(32).toString("base64url")];
}
