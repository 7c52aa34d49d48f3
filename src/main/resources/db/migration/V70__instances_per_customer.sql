-- An instance belongs to the provider account that sees it, and through it to one customer: the provider's key
-- is unique per customer, not across customers, so an instance registered under another customer (before
-- registration checked ownership) cannot keep the account's own customer from getting its instance on a poll.
-- Portable SQL (H2 and PostgreSQL).

ALTER TABLE backup_instances DROP CONSTRAINT uq_instances_source;
ALTER TABLE backup_instances ADD CONSTRAINT uq_instances_customer_source UNIQUE (customer_id, provider, source_key);
