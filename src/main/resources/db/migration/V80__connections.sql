-- Connections: a provider can have several accounts (connections), each owned by one customer. Instances and
-- backups keep the connection they come from in "source"; rows from before keep their provider's name, which is
-- the name of the connection of the legacy hub.<provider>.* block.
-- an instance without a source (written by an older hub) is of the connection named like its provider
ALTER TABLE backup_instances ADD COLUMN source VARCHAR(100);
UPDATE backup_instances SET source = provider;
ALTER TABLE backup_instances DROP CONSTRAINT uq_instances_customer_source;
ALTER TABLE backup_instances ADD CONSTRAINT uq_instances_customer_connection UNIQUE (customer_id, source, source_key);

ALTER TABLE backups ADD COLUMN source VARCHAR(100);
UPDATE backups SET source = provider;
ALTER TABLE backups ALTER COLUMN source SET NOT NULL;
ALTER TABLE backups DROP CONSTRAINT uq_backups_provider_id;
ALTER TABLE backups ADD CONSTRAINT uq_backups_source_id UNIQUE (source, provider_backup_id);
CREATE INDEX ix_backups_source ON backups (source);

-- Which records of each provider the hub can copy and export: written at start from the providers' contracts.
CREATE TABLE copyable_endpoints (
    provider      VARCHAR(40)  NOT NULL,
    endpoint_name VARCHAR(100) NOT NULL,
    CONSTRAINT pk_copyable_endpoints PRIMARY KEY (provider, endpoint_name)
);
