import { describe, expect, it } from "vitest";
import { ApiError } from "@/lib/api/errors";
import type { Actor } from "@/lib/auth/session";
import { RateLimiter } from "@/lib/queries/rate-limit";
import { takeInvestigationTurn } from "./investigation-limit";

const user = (id: string) => ({ type: "user", id, email: null, name: null, role: "viewer" }) as Actor;

describe("investigation turns", () => {
  it("lets each caller start a few computations a minute, then answers 429 with Retry-After", () => {
    let t = 0;
    const limiter = new RateLimiter(2, 60_000, () => t);
    takeInvestigationTurn(user("a"), limiter);
    t = 15_000;
    takeInvestigationTurn(user("a"), limiter);
    let refused: unknown;
    try {
      takeInvestigationTurn(user("a"), limiter);
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(429);
    expect((refused as ApiError).retryAfterSeconds).toBe(45);
    // Another caller has turns of their own.
    expect(() => takeInvestigationTurn(user("b"), limiter)).not.toThrow();
  });
});
