-- Every instance belongs to a connection. Instances registered before connections existed belong to the connection
-- named as their provider (the legacy hub.cloud66.* and hub.vprotect.* blocks), as the catalog already read them.
UPDATE backup_instances SET source = provider WHERE source IS NULL;
ALTER TABLE backup_instances ALTER COLUMN source SET NOT NULL;
