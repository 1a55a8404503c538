ALTER TABLE extraction_results DROP COLUMN citations;
