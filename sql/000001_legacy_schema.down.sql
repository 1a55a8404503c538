DROP TABLE extraction_results;
DROP TABLE extraction_tasks;
DROP TABLE source_files;
DROP TABLE job_fields;
DROP TABLE extraction_jobs;
DROP TABLE templates;
DROP TABLE data_types;
DROP TABLE users;
