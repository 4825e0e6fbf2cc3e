-- Leases on pending analyses and shared rate-limit counters: the same columns, index and table as
-- api/persistence/migrations/005_leases.sql, which SQLite runs, with the "C" collation of
-- 001_initial.sql.
ALTER TABLE analyses ADD COLUMN lease_owner TEXT COLLATE "C";
ALTER TABLE analyses ADD COLUMN lease_expires_at TEXT COLLATE "C";
ALTER TABLE analyses ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;

CREATE INDEX analyses_by_lease ON analyses (status, lease_expires_at, created_at, defect_id);

CREATE TABLE rate_limits (
  key TEXT COLLATE "C" PRIMARY KEY,
  hits INTEGER NOT NULL,
  reset_at TEXT COLLATE "C" NOT NULL
);
