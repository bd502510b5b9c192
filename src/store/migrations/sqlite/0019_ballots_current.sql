-- Each voter's counted ballot (their last) per vote, kept as ballots are
-- added (store/votes_repo.c), so counting a vote, showing it and checking a
-- change read one row per voter instead of every ballot ever cast (a vote
-- where voters change their minds grows ballots without bound).
CREATE TABLE ballots_current (
    vote_id TEXT NOT NULL REFERENCES votes(id),
    user_id TEXT NOT NULL,
    ballot_id TEXT NOT NULL,
    choice TEXT NOT NULL,
    cast_ms BIGINT NOT NULL,
    PRIMARY KEY (vote_id, user_id)
);
INSERT INTO ballots_current (vote_id, user_id, ballot_id, choice, cast_ms)
SELECT b.vote_id, b.user_id, b.ballot_id, b.choice, b.cast_ms FROM ballots b
WHERE b.rowid = (SELECT b2.rowid FROM ballots b2 WHERE b2.vote_id = b.vote_id
                 AND b2.user_id = b.user_id ORDER BY b2.cast_ms DESC, b2.rowid DESC LIMIT 1);
