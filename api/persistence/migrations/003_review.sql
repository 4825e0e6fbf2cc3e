-- The review of analyses (issue 11): the 8D lifecycle, its append-only audit trail, read-only and
-- evaluation API keys, and analyses made by evaluation runs.

-- `review_state` and `version` are copied from the review document (`review`, JSON, NULL while
-- nobody reviewed the analysis). `version` is the analysis' ETag: every review write raises it
-- by one and records its changes in `review_events` under the version it produced. Once an
-- analysis is reviewed, its classification columns hold the reviewed values.
ALTER TABLE analyses ADD COLUMN review_state TEXT NOT NULL DEFAULT 'draft';
ALTER TABLE analyses ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE analyses ADD COLUMN review TEXT;
-- The evaluation run that created the analysis (the X-Evaluation-Run header or an evaluation
-- key), NULL for production analyses. Evaluation analyses stay out of history, stats, recurrence
-- counts and the learning loop.
ALTER TABLE analyses ADD COLUMN evaluation_run TEXT;

CREATE INDEX analyses_by_review_state ON analyses (review_state, created_at DESC, defect_id DESC);

-- A read-only key may only read; every analysis of an evaluation key is an evaluation analysis.
ALTER TABLE api_keys ADD COLUMN read_only INTEGER NOT NULL DEFAULT 0;
ALTER TABLE api_keys ADD COLUMN evaluation INTEGER NOT NULL DEFAULT 0;

-- The audit trail of reviews: one row per change, never updated or deleted (the triggers refuse).
-- A write of version N inserts its rows with `version` N; the primary key makes two writers of
-- the same version collide, which is how a stale write is refused.
CREATE TABLE review_events (
  defect_id TEXT NOT NULL REFERENCES analyses (defect_id),
  version INTEGER NOT NULL,
  position INTEGER NOT NULL,
  at TEXT NOT NULL,
  event TEXT NOT NULL,
  PRIMARY KEY (defect_id, version, position)
);

CREATE TRIGGER review_events_no_update BEFORE UPDATE ON review_events
BEGIN
  SELECT RAISE(ABORT, 'review_events is append-only');
END;

CREATE TRIGGER review_events_no_delete BEFORE DELETE ON review_events
BEGIN
  SELECT RAISE(ABORT, 'review_events is append-only');
END;
