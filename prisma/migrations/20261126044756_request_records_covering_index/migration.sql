-- DropIndex
DROP INDEX "request_records_endpoint_id_ts_idx";

-- CreateIndex
CREATE INDEX "request_records_endpoint_ts_covering_idx" ON "request_records"("endpoint_id", "ts", "latency_ms", "status", "key_hash", "identity_id", "oauth_client_id", "policy_ids");

