-- Account linking is finished by the user who started it (issue 9, item 4): the
-- oauth-callback no longer links the account itself. It keeps Google's authorization code
-- (encrypted with the token keyring) on the state's row under the SHA-256 of a one-time
-- completion code, and sends the browser to the frontend with that code; the frontend
-- calls POST /v1/integrations/google/complete with its own ID token, refused unless that
-- user started the flow. A consent link sent to someone else links nothing.
ALTER TABLE oauth_states ADD COLUMN authorization_code bytea;
ALTER TABLE oauth_states ADD COLUMN completion_code_hash varchar(64);
CREATE UNIQUE INDEX oauth_states_completion_code_hash_key ON oauth_states (completion_code_hash) WHERE completion_code_hash IS NOT NULL;
