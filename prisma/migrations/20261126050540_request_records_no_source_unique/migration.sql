-- DropIndex
DROP INDEX "request_records_source_id_key";

