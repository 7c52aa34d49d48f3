-- What the provider said, kept raw next to the catalog's normalised values, so a value the hub does not know
-- (a provider added a status) is shown as status 'unknown' instead of keeping the backup out of the catalog.
-- provider_status: the provider's own status (Cloud66 backup_status "0", vProtect "SUCCESS"); null for rows
-- ingested before this column existed. unknown_values: a JSON list of the values the hub did not know
-- ("backup_status 7"), null when none; a warning is logged and an event raised when it changes.
ALTER TABLE backups ADD COLUMN provider_status VARCHAR(200);
ALTER TABLE backups ADD COLUMN unknown_values VARCHAR(2000);
