-- Export builds: a node claims an export (a queued one, or a running one whose lease ran out because its
-- node crashed) with one conditional UPDATE, so two nodes never build the same export; the lease is
-- (claimed_by, claimed_until), and a node gives back its own claims when it starts again.
ALTER TABLE exports ADD COLUMN claimed_by VARCHAR(200);
ALTER TABLE exports ADD COLUMN claimed_until TIMESTAMP WITH TIME ZONE;
CREATE INDEX ix_exports_status ON exports (status, id);
