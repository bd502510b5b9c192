-- The scrutiny committee confirms a result before it is announced (issue
-- 17, item 7; the university regulation, secret votes §12-14). Per body,
-- default off: results are announced at once, as before. While a vote waits
-- (status 'confirming') its result is stored but shown only to the chair,
-- the operator and the committee.
ALTER TABLE bodies ADD COLUMN confirm_results INTEGER NOT NULL DEFAULT 0;

-- Each committee member's confirmation, or objection with its reason.
CREATE TABLE vote_confirmations (
    vote_id TEXT NOT NULL REFERENCES votes(id),
    user_id TEXT NOT NULL,
    name TEXT NOT NULL,
    objection TEXT NOT NULL DEFAULT '',   -- '' confirms
    at_ms BIGINT NOT NULL,
    PRIMARY KEY (vote_id, user_id)
);
