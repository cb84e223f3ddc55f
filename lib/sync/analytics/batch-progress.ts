/**
 * The ingest loop's guarantee that it ends: every batch must move the cursor forward, and two
 * batches in a row that read nothing mean the batch plan no longer follows the table. Either is a
 * bug (a window capped below its own first row loops forever while a pump writes); failing the run
 * with a reason beats hanging every sync behind it.
 */
export class BatchProgress {
  private emptyInARow = 0;

  /** Call before a batch runs: `advances` is whether its upper bound lies after the cursor. */
  beforeBatch(advances: boolean, cursor: string, hi: string): void {
    if (!advances) throw new IngestStalled(`a batch would not move the cursor (cursor ${cursor}, upper bound ${hi})`);
  }

  /** Call after a batch commits, with the rows it read. */
  afterBatch(read: number, cursor: string): void {
    this.emptyInARow = read > 0 ? 0 : this.emptyInARow + 1;
    if (this.emptyInARow >= 2) throw new IngestStalled(`two batches in a row read no rows (cursor ${cursor})`);
  }
}

export class IngestStalled extends Error {
  constructor(detail: string) {
    super(`analytics ingest made no progress: ${detail}`);
    this.name = "IngestStalled";
  }
}
