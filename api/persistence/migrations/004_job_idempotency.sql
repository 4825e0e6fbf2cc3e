-- Idempotency keys on batch jobs (issue 16): a retried batch submission with the same key returns
-- the job it created. Stored scoped by the API key, as `<api_key_id>:<key>` like the analyses'
-- (see scopedIdempotencyKey in api/persistence/records.ts); NULL for a job submitted without one.
ALTER TABLE jobs ADD COLUMN idempotency_key TEXT;
ALTER TABLE jobs ADD COLUMN request_hash TEXT;
CREATE UNIQUE INDEX jobs_by_idempotency_key ON jobs (idempotency_key);
