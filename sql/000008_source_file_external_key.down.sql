DROP INDEX source_files_external_key;
CREATE INDEX idx_source_files_external_id ON source_files (job_id, source_type, external_id)
  WHERE external_id IS NOT NULL;
