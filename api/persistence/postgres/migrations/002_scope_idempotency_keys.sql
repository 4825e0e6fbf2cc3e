-- Idempotency keys are scoped by the API key that sent them, so that one key used by two tenants
-- is two keys (issue 16): the stored key becomes `<api_key_id>:<key>`, or `:<key>` for an
-- anonymous request, the form scopedIdempotencyKey() in api/persistence/records.ts writes.
UPDATE analyses
SET idempotency_key = COALESCE(api_key_id, '') || ':' || idempotency_key
WHERE idempotency_key IS NOT NULL;
