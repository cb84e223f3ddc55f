import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ApiError, toErrorResponse } from "./errors";

describe("toErrorResponse", () => {
  it("maps a zod error to 400 naming the field", () => {
    const parsed = z.object({ from: z.iso.datetime() }).safeParse({ from: "yesterday" });
    const { status, body } = toErrorResponse(parsed.error, "r1");
    expect(status).toBe(400);
    expect(body.error.field).toBe("from");
    expect(body.error.message).toMatch(/^from: /);
  });

  it("keeps ApiError codes and statuses", () => {
    const { status, body } = toErrorResponse(new ApiError("forbidden", "Your role may not do this"), "r2");
    expect(status).toBe(403);
    expect(body).toEqual({ error: { code: "forbidden", message: "Your role may not do this", requestId: "r2" } });
  });

  it("hides internals of unexpected errors", () => {
    const { status, body, unexpected } = toErrorResponse(new Error("connect ECONNREFUSED 10.0.0.1 password=hunter2"), "r3");
    expect(status).toBe(500);
    expect(unexpected).toBe(true);
    expect(JSON.stringify(body)).not.toMatch(/hunter2|ECONNREFUSED/);
    expect(body.error.requestId).toBe("r3");
  });
});
