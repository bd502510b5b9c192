-- Proxies (pełnomocnictwa, issue 17 item 6): the office records that member
-- holder_id votes for member grantor_id in a body, for one meeting or for the
-- days valid_from..valid_until (inclusive, YYYY-MM-DD; a one-meeting proxy
-- keeps that meeting's day in both), with the signed authorisation stored as
-- a file (sha256: DATA/files/<sha256>, or the store's blobs on PostgreSQL).
-- Revoked rows stay, with who revoked them and when.
CREATE TABLE proxies (
    id TEXT PRIMARY KEY,
    body_id TEXT NOT NULL REFERENCES bodies(id),
    grantor_id TEXT NOT NULL,             -- the member represented (B)
    holder_id TEXT NOT NULL,              -- the member who votes for B (A)
    meeting_id TEXT,                      -- one meeting, or NULL: the date range
    valid_from TEXT NOT NULL,
    valid_until TEXT NOT NULL,
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    revoked_by TEXT,
    revoked_by_name TEXT,
    revoked_ms BIGINT
);
CREATE INDEX proxies_body ON proxies(body_id, revoked_ms);

-- A ballot a proxy holder cast for the member they represent: the ballot is
-- an ordinary row of ballots under the grantor's user id (so the count, the
-- quorum and weights stay the grantor's); this row says who cast it.
CREATE TABLE proxy_ballots (
    vote_id TEXT NOT NULL REFERENCES votes(id),
    ballot_id TEXT NOT NULL,
    user_id TEXT NOT NULL,                -- the grantor, whose ballot it is
    cast_by TEXT NOT NULL,                -- the holder
    cast_by_name TEXT NOT NULL,
    proxy_id TEXT NOT NULL,
    cast_ms BIGINT NOT NULL,
    PRIMARY KEY (vote_id, ballot_id)
);
