-- Twin of postgres/0013 (issue 12, items 4 and 5). On SQLite one process is
-- the truth: the claims and leases work the same (and cost nothing), rate
-- limits stay in memory, and the directory generation is the process's
-- counter (db_directory_generation), so rate_buckets is here only to keep
-- the schemas alike and there is no store_generations table.
ALTER TABLE deadlines ADD COLUMN claimed_by TEXT;
ALTER TABLE deadlines ADD COLUMN lease_until_ms INTEGER;
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;

CREATE TABLE job_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    until_ms INTEGER NOT NULL
);

CREATE TABLE rate_buckets (
    key TEXT PRIMARY KEY,
    tat_ms INTEGER NOT NULL
);
CREATE INDEX rate_buckets_tat ON rate_buckets(tat_ms);
