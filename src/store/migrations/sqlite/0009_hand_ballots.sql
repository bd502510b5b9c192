-- Roll-call by hand (issue 17): a ballot the chair or operator entered for a
-- member, by name, when the devices failed or the vote was held by show of
-- hands. The ballot itself is an ordinary row of ballots (counted as any);
-- this row says who entered it, and why when it corrected an earlier entry.
CREATE TABLE hand_ballots (
    vote_id TEXT NOT NULL REFERENCES votes(id),
    ballot_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_by_name TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    entered_ms BIGINT NOT NULL,
    PRIMARY KEY (vote_id, ballot_id)
);
