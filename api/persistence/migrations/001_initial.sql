-- The tables of the AnalysisStore port.
-- Plain SQL shared by every adapter: TEXT timestamps (ISO 8601, UTC, millisecond precision, so
-- that they sort as text), TEXT JSON documents and INTEGER flags. The one dialect-specific line
-- per table is the generated integer key: SQLite's `INTEGER PRIMARY KEY` is PostgreSQL's
-- `BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY`.

-- One row per analysis. `document` is the whole ConsolidatedAnalysis as JSON; the other columns
-- are copied from it for filtering, sorting and aggregation.
CREATE TABLE analyses (
  defect_id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL,
  completed_at TEXT,
  facility TEXT,
  product_sku TEXT,
  defect_type TEXT,
  severity TEXT,
  stage TEXT,
  category_6m TEXT,
  defect_detected INTEGER,
  api_key_id TEXT,
  idempotency_key TEXT UNIQUE,
  request_hash TEXT,
  document TEXT NOT NULL
);

CREATE INDEX analyses_by_created ON analyses (created_at DESC, defect_id DESC);
CREATE INDEX analyses_by_facility ON analyses (facility, created_at DESC, defect_id DESC);
CREATE INDEX analyses_by_defect_type ON analyses (defect_type, created_at DESC, defect_id DESC);
CREATE INDEX analyses_by_status ON analyses (status, created_at, defect_id);

-- Follow-up questions and their answers, in the order they were asked.
CREATE TABLE exchanges (
  id INTEGER PRIMARY KEY,
  defect_id TEXT NOT NULL REFERENCES analyses (defect_id),
  question TEXT NOT NULL,
  answer TEXT NOT NULL,
  agent TEXT NOT NULL,
  citations TEXT NOT NULL,
  asked_at TEXT NOT NULL,
  api_key_id TEXT
);

CREATE INDEX exchanges_by_defect ON exchanges (defect_id, id);

-- Batch jobs. `document` is the whole BatchJob as JSON.
CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  api_key_id TEXT,
  document TEXT NOT NULL
);

CREATE INDEX jobs_by_status ON jobs (status, created_at, id);

-- API keys: only the hash of each secret is stored.
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  facility TEXT,
  secret_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  revoked_at TEXT
);

-- Append-only audit log, newest entry first by `id`; `details` is JSON.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  target TEXT,
  details TEXT NOT NULL
);
