import { ApiError } from "./errors";

// Route handlers read request bodies lazily, so nothing caps them unless the reader does: a
// declared length over the cap is refused before a byte is read, and a body without one (chunked)
// is counted as it streams and dropped at the cap. A body that trickles in is given up on at a
// deadline instead of holding the handler until the client finishes.

/** Every API route except sign-in's; the console's largest bodies (rules, notes) are a few kB. */
export const API_BODY_LIMIT = 1024 * 1024;
/** /api/auth/*: next-auth's forms (csrf token, callback URL) are well under 1 kB. */
export const AUTH_BODY_LIMIT = 16 * 1024;
export const BODY_TIMEOUT_MS = 10_000;

export interface BodyLimits {
  limit: number;
  timeoutMs: number;
}

function tooLarge(limit: number): ApiError {
  return new ApiError("payload_too_large", `body: larger than ${limit} bytes`, "body");
}

/** Throws 413 when the request declares a body over the cap (checked before anything is read). */
export function refuseDeclaredOversize(headers: Headers, limit: number): void {
  const declared = headers.get("content-length");
  if (declared !== null && (!/^\d{1,15}$/.test(declared.trim()) || Number(declared) > limit)) throw tooLarge(limit);
}

/** The body as UTF-8 text: 413 past `limit` bytes, 408 when it has not all arrived within `timeoutMs`. */
export async function readBodyText(req: Request, { limit, timeoutMs }: BodyLimits): Promise<string> {
  refuseDeclaredOversize(req.headers, limit);
  if (!req.body) return "";
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ApiError("request_timeout", `body: not received within ${Math.round(timeoutMs / 1000)} s`, "body")), timeoutMs);
  });
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), deadline]);
      if (done) break;
      size += value.byteLength;
      if (size > limit) throw tooLarge(limit);
      chunks.push(value);
    }
  } catch (err) {
    void reader.cancel().catch(() => {});
    throw err;
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
