-- Votes of a meeting and their ballots. Every change also appends a vote.*
-- event to the meeting's log in the same transaction (docs/events.md); these
-- rows are what must be looked up quickly (status, deadline, who voted).
CREATE TABLE votes (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings(id),
    item_id TEXT,
    title TEXT NOT NULL,
    motion TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL,                   -- open | secret
    method TEXT NOT NULL,                 -- yes_no_abstain | election
    majority TEXT NOT NULL,               -- core/vote_rules.h names
    duration_s BIGINT NOT NULL,
    allow_change BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'draft', -- draft | open | closed
    opened_ms BIGINT,
    deadline_ms BIGINT,
    closed_ms BIGINT,
    eligible TEXT,                        -- JSON array of user ids, fixed at opening
    present_at_open BIGINT,
    quorum_required BIGINT,
    result TEXT,                          -- JSON, set at closing
    repeat_of TEXT REFERENCES votes(id),  -- reasumpcja: the vote repeated
    repeat_reason TEXT NOT NULL DEFAULT '',
    created_ms BIGINT NOT NULL
);
CREATE INDEX votes_meeting ON votes(meeting_id, created_ms);

-- Every accepted ballot; a voter's last ballot is the one counted.
CREATE TABLE ballots (
    vote_id TEXT NOT NULL REFERENCES votes(id),
    ballot_id TEXT NOT NULL,              -- client-generated: retries are idempotent
    user_id TEXT NOT NULL,
    choice TEXT NOT NULL,                 -- yes | no | abstain
    cast_ms BIGINT NOT NULL,
    rowid BIGSERIAL NOT NULL,             -- insertion order, as SQLite's rowid (votes_repo.c)
    PRIMARY KEY (vote_id, ballot_id)
);
CREATE INDEX ballots_user ON ballots(vote_id, user_id, cast_ms);
