-- Issue 14, citations: where each extracted value was read. Parallel to
-- extracted_data->'results': one array per row, one entry per cell, each
-- {"page": n|null, "quote": text|null, "verified": true|false|null} or null for a null
-- cell. NULL for results stored before citations existed.
ALTER TABLE extraction_results ADD COLUMN citations jsonb;
