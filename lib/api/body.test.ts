import { describe, expect, it } from "vitest";
import { readBodyText, refuseDeclaredOversize } from "./body";
import { ApiError } from "./errors";

function streamed(chunks: string[], opts: { stallAfter?: number } = {}): Request {
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (opts.stallAfter !== undefined && i >= opts.stallAfter) return new Promise<void>(() => {}); // the client stops sending
      if (i >= chunks.length) return controller.close();
      controller.enqueue(new TextEncoder().encode(chunks[i++]));
    },
  });
  return new Request("http://x/api", { method: "POST", body, duplex: "half" } as RequestInit);
}

async function refusal(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  throw new Error("not refused");
}

describe("request body limits", () => {
  it("reads a body under the cap", async () => {
    expect(await readBodyText(streamed(["{\"a\":", "1}"]), { limit: 100, timeoutMs: 1000 })).toBe("{\"a\":1}");
  });

  it("refuses a declared length over the cap before reading, and a malformed one", () => {
    expect(() => refuseDeclaredOversize(new Headers({ "content-length": "1048577" }), 1024 * 1024)).toThrow(ApiError);
    expect(() => refuseDeclaredOversize(new Headers({ "content-length": "-1" }), 10)).toThrow(/larger than 10 bytes/);
    expect(() => refuseDeclaredOversize(new Headers({ "content-length": "10" }), 10)).not.toThrow();
    expect(() => refuseDeclaredOversize(new Headers(), 10)).not.toThrow();
  });

  it("stops a body without a declared length as soon as it passes the cap (413 naming the body)", async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(64 * 1024));
      },
    });
    const err = await refusal(readBodyText(new Request("http://x", { method: "POST", body, duplex: "half" } as RequestInit), { limit: 1024 * 1024, timeoutMs: 5000 }));
    expect([err.status, err.field]).toEqual([413, "body"]);
    expect(pulled).toBeLessThan(20); // an endless body is not read to its end
  });

  it("gives up on a body that stops arriving (408)", async () => {
    const err = await refusal(readBodyText(streamed(["{\"a\":", "1}"], { stallAfter: 1 }), { limit: 100, timeoutMs: 50 }));
    expect([err.status, err.code, err.field]).toEqual([408, "request_timeout", "body"]);
  });
});
