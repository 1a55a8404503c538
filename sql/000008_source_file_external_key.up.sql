-- One source file per external item per job: a Drive file id or a Gmail
-- "<msgId>:<attId>[/<member>]" is imported once, whatever redelivery does. Legacy rows and
-- uploads have no external id and are not constrained.
DROP INDEX idx_source_files_external_id;
CREATE UNIQUE INDEX source_files_external_key ON source_files (job_id, source_type, external_id)
  WHERE external_id IS NOT NULL;
