-- Voting keys (docs/verifiable-voting.md, spec v2): each member's Ed25519
-- public key, made on their own device (the private part never reaches the
-- server), and the electorate of each secret vote frozen at opening.
CREATE TABLE voter_keys (
    user_id TEXT PRIMARY KEY REFERENCES users(id),
    public_key TEXT NOT NULL UNIQUE, -- 64 lowercase hex
    registered_at BIGINT NOT NULL    -- ms since the epoch
);

-- Every eligible member at opening, with the name the board shows and the key
-- then registered (NULL: none). A member may cast their one ballot under a
-- new device's key; the change is published on the board (key_changes).
CREATE TABLE vote_electorate (
    vote_id TEXT NOT NULL REFERENCES votes(id),
    user_id TEXT NOT NULL,
    name TEXT NOT NULL,
    public_key TEXT,
    is_changed BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (vote_id, user_id)
);
CREATE UNIQUE INDEX vote_electorate_key ON vote_electorate(vote_id, public_key);
