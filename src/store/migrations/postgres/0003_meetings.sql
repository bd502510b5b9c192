-- Meetings of bodies. Their proceedings live in the event log (events with
-- meeting_id = meetings.id); these tables hold what is prepared beforehand
-- and what must be looked up quickly (status, schedule, documents).
CREATE TABLE meetings (
    id TEXT PRIMARY KEY,
    body_id TEXT NOT NULL REFERENCES bodies(id),
    number TEXT NOT NULL DEFAULT '',      -- e.g. "XXVI"
    title TEXT NOT NULL,
    starts_at_ms BIGINT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    mode TEXT NOT NULL,                   -- in_person | remote | hybrid
    is_public BIGINT NOT NULL DEFAULT 0,
    broadcast_url TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'draft', -- draft | convened | in_progress | closed | archived
    reminder_days BIGINT NOT NULL DEFAULT 7,
    reminder_sent_ms BIGINT,
    convened_ms BIGINT,
    started_ms BIGINT,
    closed_ms BIGINT,
    created_ms BIGINT NOT NULL
);
CREATE INDEX meetings_body ON meetings(body_id, starts_at_ms);
CREATE INDEX meetings_status ON meetings(status, starts_at_ms);

CREATE TABLE agenda_items (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings(id),
    position BIGINT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    is_amendment BIGINT NOT NULL DEFAULT 0,
    is_removed BIGINT NOT NULL DEFAULT 0,
    created_ms BIGINT NOT NULL
);
CREATE INDEX agenda_items_meeting ON agenda_items(meeting_id, position);

CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL REFERENCES meetings(id),
    item_id TEXT REFERENCES agenda_items(id),
    filename TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,                 -- the file is DATA/files/<sha256>
    is_draft_resolution BIGINT NOT NULL DEFAULT 0,
    is_removed BIGINT NOT NULL DEFAULT 0,
    created_ms BIGINT NOT NULL
);
CREATE INDEX documents_meeting ON documents(meeting_id);

-- Guests of one meeting (members of the body take part without a row here)
-- and the scrutiny committee.
CREATE TABLE meeting_participants (
    meeting_id TEXT NOT NULL REFERENCES meetings(id),
    user_id TEXT NOT NULL REFERENCES users(id),
    is_guest BIGINT NOT NULL DEFAULT 0,
    is_scrutiny BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (meeting_id, user_id)
);

-- Things that must happen at a time even across a restart: the end of an
-- attendance check, of a vote, of a speaking slot. The scheduler runs the due
-- ones and marks them done in the same transaction as the event they append.
CREATE TABLE deadlines (
    id TEXT PRIMARY KEY,
    meeting_id TEXT NOT NULL,
    kind TEXT NOT NULL,                   -- attendance | vote | floor | reminder
    ref_id TEXT NOT NULL,
    due_ms BIGINT NOT NULL,
    done_ms BIGINT
);
CREATE INDEX deadlines_due ON deadlines(done_ms, due_ms);
