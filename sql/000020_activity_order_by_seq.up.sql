-- The activity log lists by `seq` alone (the order events were written), newest first, with
-- a keyset cursor on `seq`. Ordering by (created_at, seq) was not one order: created_at is
-- the writing transaction's start (now()), so an event written later by a transaction that
-- began earlier, or after the clock stepped back, had an earlier created_at and a later seq,
-- and pages could disagree with the write order. The per-user indexes follow the new order.
DROP INDEX idx_activity_events_user;
CREATE INDEX idx_activity_events_user ON activity_events (user_id, seq DESC);
DROP INDEX idx_activity_events_user_kind;
CREATE INDEX idx_activity_events_user_kind ON activity_events (user_id, kind, seq DESC);
