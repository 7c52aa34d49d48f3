-- A record's content when the provider sends it with the listing (vProtect's manifest: the backup's details), so a
-- copy reads it from the catalog instead of asking the provider again. Plain text: a manifest is about 2 KB of JSON.
-- Portable SQL (H2 and PostgreSQL).
ALTER TABLE records ADD COLUMN content VARCHAR(1000000);
