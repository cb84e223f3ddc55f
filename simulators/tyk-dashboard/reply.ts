import type http from "node:http";

export interface Reply { status: number; body: unknown; headers?: Record<string, string> }

/** The Dashboard's error envelope. */
export const err = (status: number, Message: string): Reply => ({ status, body: { Status: "Error", Message, Meta: null } });

export async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** A JSON body, or undefined when it does not parse (callers answer with the route's own error). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
