import { randomBytes } from "node:crypto";

/**
 * A share link's slug: a readable stem from the title plus 128 random bits (base32, lower case),
 * so knowing an incident exists does not let anyone guess its link.
 */
export function newSlug(title: string, random: Buffer = randomBytes(16)): string {
  const stem = title
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
  return `${stem ? `${stem}-` : ""}${base32(random)}`;
}

const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

function base32(buf: Buffer): string {
  let bits = 0, value = 0, out = "";
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}
