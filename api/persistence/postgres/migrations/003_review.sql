-- The review of analyses (issue 11), in PostgreSQL: the same columns, table and rules as
-- api/persistence/migrations/003_review.sql, which SQLite runs. TEXT columns use the "C"
-- collation, as in 001_initial.sql.

-- `review_state` and `version` are copied from the review document (`review`, JSON, NULL while
-- nobody reviewed the analysis). `version` is the analysis' ETag: every review write raises it
-- by one and records its changes in `review_events` under the version it produced. Once an
-- analysis is reviewed, its classification columns hold the reviewed values.
ALTER TABLE analyses ADD COLUMN review_state TEXT COLLATE "C" NOT NULL DEFAULT 'draft';
ALTER TABLE analyses ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE analyses ADD COLUMN review TEXT COLLATE "C";
-- The evaluation run that created the analysis, NULL for production analyses.
ALTER TABLE analyses ADD COLUMN evaluation_run TEXT COLLATE "C";

CREATE INDEX analyses_by_review_state ON analyses (review_state, created_at DESC, defect_id DESC);

-- A read-only key may only read; every analysis of an evaluation key is an evaluation analysis.
ALTER TABLE api_keys ADD COLUMN read_only INTEGER NOT NULL DEFAULT 0;
ALTER TABLE api_keys ADD COLUMN evaluation INTEGER NOT NULL DEFAULT 0;

-- The audit trail of reviews: one row per change, never updated or deleted (the trigger refuses).
-- A write of version N inserts its rows with `version` N; the primary key makes two writers of
-- the same version collide, which is how a stale write is refused.
CREATE TABLE review_events (
  defect_id TEXT COLLATE "C" NOT NULL REFERENCES analyses (defect_id),
  version INTEGER NOT NULL,
  position INTEGER NOT NULL,
  at TEXT COLLATE "C" NOT NULL,
  event TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (defect_id, version, position)
);

CREATE FUNCTION review_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'review_events is append-only';
END
$$;

CREATE TRIGGER review_events_append_only BEFORE UPDATE OR DELETE ON review_events
FOR EACH ROW EXECUTE FUNCTION review_events_append_only();
