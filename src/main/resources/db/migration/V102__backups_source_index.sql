-- backups(source) duplicated the first column of the unique key (source, provider_backup_id), which serves every
-- query by connection on H2 and PostgreSQL alike: one index entry fewer to write per backup.
DROP INDEX ix_backups_source;
