import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface StackSecrets {
  nextAuthSecret: string;
  oidcClientSecret: string;
  tykApiKey: string;
  lightstepApiKey: string;
  /** TOUCHLINE_AUDIT_KEY: 32 random bytes, base64. */
  auditKey: string;
  /** TOUCHLINE_ENCRYPTION_KEY: seals connection secrets stored in the console (the access webhook). */
  encryptionKey: string;
}

function fresh(): StackSecrets {
  const r = (n: number) => randomBytes(n).toString("base64url");
  return { nextAuthSecret: r(32), oidcClientSecret: r(24), tykApiKey: r(24), lightstepApiKey: r(24), auditKey: randomBytes(32).toString("base64"), encryptionKey: randomBytes(32).toString("base64") };
}

/**
 * Secrets for the local stack: random per machine, kept in a gitignored file so demo sessions
 * survive a restart. `persist: false` (tests) makes new ones every run.
 */
export function stackSecrets(file: string | null): StackSecrets {
  if (!file) return fresh();
  const kept = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Partial<StackSecrets>) : {};
  // A file from before a secret was added gets the new one, the others stay.
  const secrets = { ...fresh(), ...kept };
  if (Object.keys(kept).length === Object.keys(secrets).length) return secrets;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
