import { beforeEach, describe, expect, it, vi } from "vitest";
import type { PrismaClient } from "@/lib/generated/prisma/client";

const investigateEndpoint = vi.fn();
vi.mock("./investigate-endpoint", () => ({ investigateEndpoint: (...args: unknown[]) => investigateEndpoint(...args) }));

const { sharedInvestigation } = await import("./shared-investigation");
const db = {} as PrismaClient;

describe("sharedInvestigation", () => {
  beforeEach(() => investigateEndpoint.mockReset());

  it("joins identical concurrent requests and reuses the answer", async () => {
    let resolve!: (v: unknown) => void;
    investigateEndpoint.mockReturnValue(new Promise((r) => (resolve = r)));
    const a = sharedInvestigation(db, { endpointId: "e1", from: 1, to: 2 });
    const b = sharedInvestigation(db, { endpointId: "e1", from: 1, to: 2 });
    resolve({ answer: 42 });
    expect(await a).toEqual({ answer: 42 });
    expect(await b).toBe(await a);
    await sharedInvestigation(db, { endpointId: "e1", from: 1, to: 2 });
    expect(investigateEndpoint).toHaveBeenCalledTimes(1);
  });

  it("computes different windows separately and never caches failures", async () => {
    investigateEndpoint.mockRejectedValueOnce(new Error("db down")).mockResolvedValue({ ok: true });
    await expect(sharedInvestigation(db, { endpointId: "e2", from: 1, to: 2 })).rejects.toThrow("db down");
    expect(await sharedInvestigation(db, { endpointId: "e2", from: 1, to: 2 })).toEqual({ ok: true });
    expect(await sharedInvestigation(db, { endpointId: "e2", from: 1, to: 60_001 })).toEqual({ ok: true });
    expect(investigateEndpoint).toHaveBeenCalledTimes(3);
  });

  it("rounds windows to whole minutes, so near-identical windows share a computation", async () => {
    investigateEndpoint.mockResolvedValue({ ok: true });
    const t = Date.UTC(2026, 10, 26, 10, 0);
    await sharedInvestigation(db, { endpointId: "e3", from: t + 5_000, to: t + 3_600_000 - 1_000 });
    await sharedInvestigation(db, { endpointId: "e3", from: t + 40_000, to: t + 3_600_000 });
    expect(investigateEndpoint).toHaveBeenCalledTimes(1);
    expect(investigateEndpoint.mock.calls[0][1]).toMatchObject({ from: t, to: t + 3_600_000 });
  });

  it("takes a turn only for a computation it starts (a cached answer costs none)", async () => {
    investigateEndpoint.mockResolvedValue({ ok: true });
    const turn = vi.fn();
    await sharedInvestigation(db, { endpointId: "e4", from: 0, to: 60_000 }, turn);
    await sharedInvestigation(db, { endpointId: "e4", from: 0, to: 60_000 }, turn);
    expect(turn).toHaveBeenCalledTimes(1);
    const refuse = () => {
      throw new Error("rate limited");
    };
    expect(() => sharedInvestigation(db, { endpointId: "e4", from: 0, to: 120_000 }, refuse)).toThrow("rate limited");
    expect(investigateEndpoint).toHaveBeenCalledTimes(1);
  });
});
