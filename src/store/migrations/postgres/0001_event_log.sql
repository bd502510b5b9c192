-- The hash-chained event log of every meeting (and of the instance itself,
-- under meeting_id 'instance'). Rows are only ever inserted.
-- PostgreSQL twin of sqlite/0001: every integer is BIGINT here, as SQLite's
-- are 64-bit (products such as retention_days * 86400000 must not overflow).
CREATE TABLE events (
    meeting_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    ts_ms BIGINT NOT NULL,
    actor TEXT NOT NULL,
    type TEXT NOT NULL,
    payload TEXT NOT NULL,
    visibility BIGINT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (meeting_id, seq)
);
