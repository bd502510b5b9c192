-- SMS notices (issue 17, item 5): a person's mobile number (E.164) and
-- whether they want SMS notices (opt-in; off by default), and the SMS outbox
-- delivered through the configured HTTP gateway with retries, each row
-- claimed by one node before it is sent (claimed_by, lease in next_attempt_ms).
CREATE TABLE sms_prefs (
    user_id TEXT PRIMARY KEY REFERENCES users(id),
    phone TEXT NOT NULL DEFAULT '',       -- E.164, '' = none
    is_opted_in INTEGER NOT NULL DEFAULT 0,
    updated_ms BIGINT NOT NULL
);

CREATE TABLE sms_outbox (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    to_phone TEXT NOT NULL,
    kind TEXT NOT NULL,                   -- convened | starts_soon | vote_opened
    ref_id TEXT NOT NULL,                 -- the meeting or vote
    text TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending', -- pending | sent | failed
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms BIGINT NOT NULL,
    claimed_by TEXT,
    last_error TEXT,
    created_ms BIGINT NOT NULL,
    sent_ms BIGINT,
    UNIQUE (kind, ref_id, user_id)
);
CREATE INDEX sms_outbox_due ON sms_outbox(status, next_attempt_ms);
