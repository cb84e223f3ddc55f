import { describe, expect, it } from "vitest";
import { BatchProgress, IngestStalled } from "./batch-progress";

describe("BatchProgress", () => {
  it("refuses a batch that would not move the cursor", () => {
    const p = new BatchProgress();
    expect(() => p.beforeBatch(false, "2026-12-07 10:00:00+00", "2026-12-07 09:59:00+00")).toThrow(IngestStalled);
    expect(() => p.beforeBatch(true, "2026-12-07 10:00:00+00", "2026-12-07 10:01:00+00")).not.toThrow();
  });

  it("allows one empty batch but not two in a row", () => {
    const p = new BatchProgress();
    p.afterBatch(0, "a");
    p.afterBatch(5, "b");
    p.afterBatch(0, "c");
    expect(() => p.afterBatch(0, "d")).toThrow(/two batches in a row read no rows \(cursor d\)/);
  });
});
