import { describe, expect, it } from "vitest";
import { FIRST_RUN_BUDGET_MS, MAX_BUDGET_MS, MIN_BUDGET_MS, stageBudgetMs } from "./budget";

describe("stageBudgetMs", () => {
  it("takes the configured budget as it is", () => {
    expect(stageBudgetMs({ configuredSeconds: 45, recentMs: [600_000], intervalSeconds: 60 })).toBe(45_000);
  });

  it("gives a first run (no finished run yet) the backfill budget", () => {
    expect(stageBudgetMs({ recentMs: [], intervalSeconds: 60 })).toBe(FIRST_RUN_BUDGET_MS);
  });

  it("is five times the slowest recent run, within its floor and ceiling", () => {
    expect(stageBudgetMs({ recentMs: [20_000, 60_000, 30_000], intervalSeconds: 60 })).toBe(300_000);
    expect(stageBudgetMs({ recentMs: [1_000], intervalSeconds: 60 })).toBe(MIN_BUDGET_MS);
    expect(stageBudgetMs({ recentMs: [1_000], intervalSeconds: 600 })).toBe(1_200_000);
    expect(stageBudgetMs({ recentMs: [3_600_000], intervalSeconds: 60 })).toBe(MAX_BUDGET_MS);
  });
});

