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
    expect(await sharedInvestigation(db, { endpointId: "e2", from: 1, to: 3 })).toEqual({ ok: true });
    expect(investigateEndpoint).toHaveBeenCalledTimes(3);
  });
});
