-- The tables of the AnalysisStore port, in PostgreSQL: the same tables, columns and indexes as
-- api/persistence/migrations/001_initial.sql, which SQLite runs.
--
-- Timestamps stay TEXT (ISO 8601, UTC, millisecond precision, see records.ts sortableInstant)
-- and JSON documents stay TEXT, so both adapters store and return the same strings. Every TEXT
-- column uses the "C" collation: values compare byte by byte, as SQLite's BINARY collation
-- does, whatever the database's default locale (Aurora and Debian default to en_US.UTF-8,
-- which ignores punctuation such as `_` and `-` at the first level). Keyset paging, ORDER BY
-- and GROUP BY therefore give the SQLite order, and the indexes serve the `<` comparisons of
-- the cursor. The generated keys are `BIGINT GENERATED ALWAYS AS IDENTITY`.

-- One row per analysis. `document` is the whole ConsolidatedAnalysis as JSON; the other columns
-- are copied from it for filtering, sorting and aggregation.
CREATE TABLE analyses (
  defect_id TEXT COLLATE "C" PRIMARY KEY,
  status TEXT COLLATE "C" NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  completed_at TEXT COLLATE "C",
  facility TEXT COLLATE "C",
  product_sku TEXT COLLATE "C",
  defect_type TEXT COLLATE "C",
  severity TEXT COLLATE "C",
  stage TEXT COLLATE "C",
  category_6m TEXT COLLATE "C",
  defect_detected INTEGER,
  api_key_id TEXT COLLATE "C",
  idempotency_key TEXT COLLATE "C" UNIQUE,
  request_hash TEXT COLLATE "C",
  document TEXT COLLATE "C" NOT NULL
);

CREATE INDEX analyses_by_created ON analyses (created_at DESC, defect_id DESC);
CREATE INDEX analyses_by_facility ON analyses (facility, created_at DESC, defect_id DESC);
CREATE INDEX analyses_by_defect_type ON analyses (defect_type, created_at DESC, defect_id DESC);
CREATE INDEX analyses_by_status ON analyses (status, created_at, defect_id);

-- Follow-up questions and their answers, in the order they were asked.
CREATE TABLE exchanges (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  defect_id TEXT COLLATE "C" NOT NULL REFERENCES analyses (defect_id),
  question TEXT COLLATE "C" NOT NULL,
  answer TEXT COLLATE "C" NOT NULL,
  agent TEXT COLLATE "C" NOT NULL,
  citations TEXT COLLATE "C" NOT NULL,
  asked_at TEXT COLLATE "C" NOT NULL,
  api_key_id TEXT COLLATE "C"
);

CREATE INDEX exchanges_by_defect ON exchanges (defect_id, id);

-- Batch jobs. `document` is the whole BatchJob as JSON.
CREATE TABLE jobs (
  id TEXT COLLATE "C" PRIMARY KEY,
  status TEXT COLLATE "C" NOT NULL,
  created_at TEXT COLLATE "C" NOT NULL,
  updated_at TEXT COLLATE "C" NOT NULL,
  api_key_id TEXT COLLATE "C",
  document TEXT COLLATE "C" NOT NULL
);

CREATE INDEX jobs_by_status ON jobs (status, created_at, id);

-- API keys: only the hash of each secret is stored.
CREATE TABLE api_keys (
  id TEXT COLLATE "C" PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL,
  facility TEXT COLLATE "C",
  secret_hash TEXT COLLATE "C" NOT NULL UNIQUE,
  created_at TEXT COLLATE "C" NOT NULL,
  revoked_at TEXT COLLATE "C"
);

-- Append-only audit log, newest entry first by `id`; `details` is JSON.
CREATE TABLE audit_log (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at TEXT COLLATE "C" NOT NULL,
  actor TEXT COLLATE "C" NOT NULL,
  action TEXT COLLATE "C" NOT NULL,
  target TEXT COLLATE "C",
  details TEXT COLLATE "C" NOT NULL
);
