-- How many times each copy has been claimed: a copy claimed again after a claim that never ended (a node killed in
-- the middle of it) looks for what that attempt left in its target.
ALTER TABLE copies ADD COLUMN claims INT DEFAULT 0 NOT NULL;
