-- Who is who (users, organisations, bodies, members, staff), how they get in
-- (one-time codes, sessions, TOTP, meeting access links), and the mail outbox.
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,          -- lower-cased
    name TEXT NOT NULL,
    lang TEXT NOT NULL DEFAULT 'pl',     -- 'pl' | 'en'
    is_instance_admin BIGINT NOT NULL DEFAULT 0,
    totp_secret TEXT,                    -- base32, set during enrolment
    is_totp_enabled BIGINT NOT NULL DEFAULT 0,
    totp_last_step BIGINT NOT NULL DEFAULT 0, -- refuses a code's replay within its window
    created_ms BIGINT NOT NULL
);

CREATE TABLE orgs (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    time_zone TEXT NOT NULL DEFAULT 'Europe/Warsaw',
    default_lang TEXT NOT NULL DEFAULT 'pl',
    email_domains TEXT NOT NULL DEFAULT '[]', -- JSON array of lower-case domains; [] = any
    retention_days BIGINT NOT NULL DEFAULT 92,
    created_ms BIGINT NOT NULL
);

CREATE TABLE org_staff (
    org_id TEXT NOT NULL REFERENCES orgs(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,                  -- 'admin' | 'operator'
    created_ms BIGINT NOT NULL,
    PRIMARY KEY (org_id, user_id)
);
CREATE INDEX org_staff_user ON org_staff(user_id);

CREATE TABLE bodies (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    name TEXT NOT NULL,
    kind TEXT NOT NULL,                  -- council | committee | faculty_council | institute_board | habilitation_committee | other
    statutory_size BIGINT NOT NULL,
    quorum_rule TEXT NOT NULL DEFAULT 'half_statutory',
    vote_duration_s BIGINT NOT NULL DEFAULT 600,
    created_ms BIGINT NOT NULL
);
CREATE INDEX bodies_org ON bodies(org_id);

CREATE TABLE members (
    id TEXT PRIMARY KEY,
    body_id TEXT NOT NULL REFERENCES bodies(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    role TEXT NOT NULL,                  -- chair | vice_chair | member | secretary
    groups TEXT NOT NULL DEFAULT '[]',   -- JSON array of group names
    is_external BIGINT NOT NULL DEFAULT 0,
    active_from TEXT,                    -- YYYY-MM-DD or NULL
    active_to TEXT,
    created_ms BIGINT NOT NULL,
    UNIQUE (body_id, user_id)
);
CREATE INDEX members_user ON members(user_id);

-- One live sign-in code per address; replaced by a new request.
CREATE TABLE login_codes (
    email TEXT PRIMARY KEY,
    code_hash TEXT NOT NULL,
    tries BIGINT NOT NULL DEFAULT 0,
    expires_ms BIGINT NOT NULL,
    created_ms BIGINT NOT NULL
);

CREATE TABLE sessions (
    id TEXT PRIMARY KEY,                 -- public id, shown in the sessions list
    token_hash TEXT NOT NULL UNIQUE,     -- BLAKE2b of the cookie value
    user_id TEXT NOT NULL REFERENCES users(id),
    is_totp_pending BIGINT NOT NULL DEFAULT 0,
    created_ms BIGINT NOT NULL,
    last_seen_ms BIGINT NOT NULL,
    expires_ms BIGINT NOT NULL,          -- absolute end
    user_agent TEXT NOT NULL DEFAULT '',
    ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE totp_recovery_codes (
    user_id TEXT NOT NULL REFERENCES users(id),
    code_hash TEXT NOT NULL,
    used_ms BIGINT,
    PRIMARY KEY (user_id, code_hash)
);

-- Per-meeting access links (/m/{token}): the link names a meeting and,
-- when sent to one person, that person; it grants nothing by itself.
CREATE TABLE access_links (
    token_hash TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL,
    user_id TEXT REFERENCES users(id),
    created_ms BIGINT NOT NULL
);
CREATE INDEX access_links_meeting ON access_links(meeting_id);

CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    message BYTEA NOT NULL,               -- the complete RFC 5322 message
    is_sensitive BIGINT NOT NULL DEFAULT 0, -- holds a secret (sign-in code): wiped once sent
    status TEXT NOT NULL DEFAULT 'pending', -- pending | sent | failed
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_ms BIGINT NOT NULL,
    last_error TEXT,
    created_ms BIGINT NOT NULL,
    sent_ms BIGINT
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_ms);
