-- Secret votes (docs/verifiable-voting.md). Who voted and what was cast are
-- kept apart: secret_voters says only who has voted; secret_ballots holds
-- the encrypted ballots. Both are read in key order (user id; tracker). Unlike
-- SQLite's WITHOUT ROWID tables, PostgreSQL keeps rows in heap order and
-- stamps both rows with the inserting transaction (xmin): whoever administers
-- the database could link them (docs/operations.md says so).
CREATE TABLE vote_elections (
    vote_id TEXT PRIMARY KEY REFERENCES votes(id),
    election TEXT NOT NULL,        -- the election object, fixed at opening
    election_hash TEXT NOT NULL,
    server_secret TEXT NOT NULL,   -- the server trustee's scalar, sealed (crypto/seal.h)
    aggregate TEXT,                -- at closing
    decryptions TEXT NOT NULL DEFAULT '[]',
    tally TEXT                     -- counts per option once decrypted
);

CREATE TABLE secret_voters (
    vote_id TEXT NOT NULL REFERENCES votes(id),
    user_id TEXT NOT NULL,
    ballot_id TEXT NOT NULL,       -- the client's id: a retry is answered, not counted again
    PRIMARY KEY (vote_id, user_id)
);
CREATE UNIQUE INDEX secret_voters_ballot_id ON secret_voters(vote_id, ballot_id);

CREATE TABLE secret_ballots (
    vote_id TEXT NOT NULL REFERENCES votes(id),
    tracker TEXT NOT NULL,
    credential TEXT NOT NULL,
    ballot TEXT NOT NULL,          -- the ballot object (ciphertexts and proofs)
    PRIMARY KEY (vote_id, tracker)
);
CREATE UNIQUE INDEX secret_ballots_credential ON secret_ballots(vote_id, credential);

-- Who holds the key: the server alone, or the server and the meeting's
-- scrutiny committee (threshold of the committee). Committee members are
-- fixed when the vote is created, each with an index 1..n.
ALTER TABLE votes ADD COLUMN trustee_mode TEXT NOT NULL DEFAULT 'server';
ALTER TABLE votes ADD COLUMN trustee_threshold BIGINT NOT NULL DEFAULT 0;
CREATE TABLE vote_trustees (
    vote_id TEXT NOT NULL REFERENCES votes(id),
    idx BIGINT NOT NULL,
    user_id TEXT NOT NULL,
    name TEXT NOT NULL,
    member TEXT,                   -- the election's member object once posted
    box_public_key TEXT,           -- X25519 key the others seal shares to
    PRIMARY KEY (vote_id, idx)
);
CREATE UNIQUE INDEX vote_trustees_user ON vote_trustees(vote_id, user_id);
-- Shares sealed to their recipient: the server relays them, cannot read them.
CREATE TABLE trustee_shares (
    vote_id TEXT NOT NULL REFERENCES votes(id),
    from_idx BIGINT NOT NULL,
    to_idx BIGINT NOT NULL,
    sealed TEXT NOT NULL,
    PRIMARY KEY (vote_id, from_idx, to_idx)
);
