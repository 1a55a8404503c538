DROP INDEX idx_activity_events_user_kind;
CREATE INDEX idx_activity_events_user_kind ON activity_events (user_id, kind, created_at DESC);
DROP INDEX idx_activity_events_user;
CREATE INDEX idx_activity_events_user ON activity_events (user_id, created_at DESC, seq DESC);
