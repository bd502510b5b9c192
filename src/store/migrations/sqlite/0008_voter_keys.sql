-- Voting keys (docs/verifiable-voting.md, spec v2): each member's Ed25519
-- public key, made on their own device (the private part never reaches the
-- server), and the electorate of each secret vote frozen at opening: who may
-- cast a ballot under which key.
CREATE TABLE voter_keys (
    user_id TEXT PRIMARY KEY REFERENCES users(id),
    public_key TEXT NOT NULL UNIQUE, -- 64 lowercase hex
    registered_at INTEGER NOT NULL   -- ms since the epoch
);

CREATE TABLE vote_electorate (
    vote_id TEXT NOT NULL REFERENCES votes(id),
    user_id TEXT NOT NULL,
    public_key TEXT NOT NULL,
    PRIMARY KEY (vote_id, user_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX vote_electorate_key ON vote_electorate(vote_id, public_key);
