DROP INDEX idx_activity_events_user;
ALTER TABLE activity_events DROP COLUMN seq;
CREATE INDEX idx_activity_events_user ON activity_events (user_id, created_at DESC, id);
