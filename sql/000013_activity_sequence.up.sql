-- The activity log's order was (created_at, id): events written in the same microsecond
-- (PGlite's clock is coarser still) came out in the order of their random ids, so a page
-- could swap two of them. `seq` numbers events in the order they were written and breaks
-- such ties; the list's keyset cursor is (created_at, seq).
ALTER TABLE activity_events ADD COLUMN seq bigint GENERATED ALWAYS AS IDENTITY;

DROP INDEX idx_activity_events_user;
CREATE INDEX idx_activity_events_user ON activity_events (user_id, created_at DESC, seq DESC);
