-- Secret votes (docs/verifiable-voting.md). Who voted and what was cast are
-- kept apart: secret_voters says only who has voted; secret_ballots holds
-- the encrypted ballots. Both are WITHOUT ROWID tables ordered by their keys
-- (user id; tracker), so no insertion order links a voter to a ballot.
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
) WITHOUT ROWID;
CREATE UNIQUE INDEX secret_voters_ballot_id ON secret_voters(vote_id, ballot_id);

CREATE TABLE secret_ballots (
    vote_id TEXT NOT NULL REFERENCES votes(id),
    tracker TEXT NOT NULL,
    credential TEXT NOT NULL,
    ballot TEXT NOT NULL,          -- the ballot object (ciphertexts and proofs)
    PRIMARY KEY (vote_id, tracker)
) WITHOUT ROWID;
CREATE UNIQUE INDEX secret_ballots_credential ON secret_ballots(vote_id, credential);
