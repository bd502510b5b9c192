-- Interpellations and questions of members (issue 17, item 2; art. 24 of the
-- municipal act): filed by a member to the mayor, registered by the office
-- with a number and the day of receipt (the answer is due 14 days later),
-- answered with a text and its day. Public once registered (BIP register).
CREATE TABLE interpellations (
    id TEXT PRIMARY KEY,
    body_id TEXT NOT NULL REFERENCES bodies(id),
    kind TEXT NOT NULL,               -- interpellation | question
    number TEXT,                      -- NULL until registered
    author_id TEXT NOT NULL,
    author_name TEXT NOT NULL,
    subject TEXT NOT NULL,
    text TEXT NOT NULL,
    filed_ms BIGINT NOT NULL,
    received_on TEXT,                 -- YYYY-MM-DD, set on registration
    due_on TEXT,                      -- received_on + 14 days
    registered_by TEXT,
    answer TEXT,
    answered_on TEXT,
    answered_by TEXT,
    UNIQUE (body_id, number)
);
CREATE INDEX interpellations_body ON interpellations (body_id, filed_ms);
