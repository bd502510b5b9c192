-- The hash-chained event log of every meeting (and of the instance itself,
-- under meeting_id 'instance'). Rows are only ever inserted.
CREATE TABLE events (
    meeting_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    ts_ms BIGINT NOT NULL,
    actor TEXT NOT NULL,
    type TEXT NOT NULL,
    payload TEXT NOT NULL,
    visibility INTEGER NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    PRIMARY KEY (meeting_id, seq)
);
