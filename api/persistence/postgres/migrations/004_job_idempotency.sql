-- Idempotency keys on batch jobs, in PostgreSQL: the same as
-- api/persistence/migrations/004_job_idempotency.sql, with the "C" collation of 001_initial.sql.
ALTER TABLE jobs ADD COLUMN idempotency_key TEXT COLLATE "C";
ALTER TABLE jobs ADD COLUMN request_hash TEXT COLLATE "C";
CREATE UNIQUE INDEX jobs_by_idempotency_key ON jobs (idempotency_key);
