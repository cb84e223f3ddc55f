import { randomBytes } from "node:crypto";

/**
 * A share link's slug: a readable stem from the title plus 128 random bits (base32, lower case),
 * so knowing an incident exists does not let anyone guess its link.
 */
export function newSlug(title: string, random: Buffer = randomBytes(16)): string {
  const words = title.toLowerCase().normalize("NFKD").split(/[^a-z0-9]+/).filter(Boolean);
  // Whole words up to 40 characters (a single longer word is cut).
  let stem = "";
  for (const w of words) {
    const next = stem ? `${stem}-${w}` : w;
    if (next.length > 40) break;
    stem = next;
  }
  if (!stem && words[0]) stem = words[0].slice(0, 40);
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
