-- Work that runs exactly once on one process or many (issue 16): a pending analysis is run by the
-- process that holds its lease. `lease_owner` names that process, `lease_expires_at` (an instant
-- as sortable text, see records.ts sortableInstant) is when the lease lapses unless the owner
-- renews it, and `attempts` counts the claims. A pending analysis with no lease, or with a lease
-- that lapsed, is free to claim; a finished one has none.
ALTER TABLE analyses ADD COLUMN lease_owner TEXT;
ALTER TABLE analyses ADD COLUMN lease_expires_at TEXT;
ALTER TABLE analyses ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;

CREATE INDEX analyses_by_lease ON analyses (status, lease_expires_at, created_at, defect_id);

-- Rate-limit counters shared by every process on one database: the hits of a key in its current
-- window, and when that window ends.
CREATE TABLE rate_limits (
  key TEXT PRIMARY KEY,
  hits INTEGER NOT NULL,
  reset_at TEXT NOT NULL
);
