-- The requests that carry a trace id, by endpoint and time, with what picking an endpoint's slowest
-- traced requests per caller needs (index-only). Partial: only traced requests are in it, so a
-- window's traces are found without reading every request of the window from the heap, and the
-- ingest maintains it only for traced rows. Declared on the partitioned table, it is built on
-- every partition (and by ATTACH for each new day). prisma/hand-tuned.sql has the same index.
CREATE INDEX "request_records_traced_idx" ON "request_records"("endpoint_id", "ts")
    INCLUDE ("caller_id", "latency_ms", "trace_id") WHERE "trace_id" IS NOT NULL;
