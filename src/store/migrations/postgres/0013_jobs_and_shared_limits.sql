-- Several nodes on one database (issue 12, items 4 and 5). Background work is
-- taken by one node at a time: a deadline or an outbox row is claimed by a
-- conditional UPDATE that names the node and a lease expiry; a job without a
-- row of its own (the daily backup) takes a named lease in job_leases. A node
-- that dies loses its claims when the lease expires.
ALTER TABLE deadlines ADD COLUMN claimed_by TEXT;
ALTER TABLE deadlines ADD COLUMN lease_until_ms BIGINT;
ALTER TABLE outbox ADD COLUMN claimed_by TEXT;

CREATE TABLE job_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,        -- the node id (host-pid-random)
    until_ms BIGINT NOT NULL
);

-- Rate limits shared by every node: one row per key, the "theoretical
-- arrival time" of the generic cell rate algorithm. Unlogged: a counter lost
-- in a crash costs nothing, and a commit that touches only it waits for no
-- WAL flush.
CREATE UNLOGGED TABLE rate_buckets (
    key TEXT PRIMARY KEY,
    tat_ms BIGINT NOT NULL
);
CREATE INDEX rate_buckets_tat ON rate_buckets(tat_ms);

-- The directory generation: bumped in the transaction of every statement
-- that writes the tables a meeting's people come from, so a node's cached
-- meeting state notices a change made through another node.
CREATE TABLE store_generations (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO store_generations (name, value) VALUES ('directory', 1);

CREATE FUNCTION obrady_bump_directory() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE store_generations SET value = value + 1 WHERE name = 'directory';
    RETURN NULL;
END
$$;
CREATE TRIGGER users_directory AFTER INSERT OR UPDATE OR DELETE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION obrady_bump_directory();
CREATE TRIGGER members_directory AFTER INSERT OR UPDATE OR DELETE ON members
    FOR EACH STATEMENT EXECUTE FUNCTION obrady_bump_directory();
CREATE TRIGGER participants_directory AFTER INSERT OR UPDATE OR DELETE ON meeting_participants
    FOR EACH STATEMENT EXECUTE FUNCTION obrady_bump_directory();
CREATE TRIGGER bodies_directory AFTER INSERT OR UPDATE OR DELETE ON bodies
    FOR EACH STATEMENT EXECUTE FUNCTION obrady_bump_directory();
