DROP INDEX IF EXISTS oauth_states_completion_code_hash_key;
ALTER TABLE oauth_states DROP COLUMN IF EXISTS completion_code_hash;
ALTER TABLE oauth_states DROP COLUMN IF EXISTS authorization_code;
