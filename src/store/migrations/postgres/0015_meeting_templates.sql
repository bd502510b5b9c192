-- A body's meeting templates (issue 17, item 3): the standard agenda and the
-- settings a new meeting starts with (mode, place, publicity, reminder days,
-- broadcast link). A meeting made from one copies them; the template is not
-- referenced afterwards, so deleting it changes no meeting.
CREATE TABLE meeting_templates (
    id TEXT PRIMARY KEY,
    body_id TEXT NOT NULL REFERENCES bodies(id),
    name TEXT NOT NULL,
    agenda TEXT NOT NULL,            -- JSON [{title, description}]
    mode TEXT NOT NULL,
    place TEXT NOT NULL DEFAULT '',
    is_public BIGINT NOT NULL DEFAULT 0,
    reminder_days BIGINT NOT NULL DEFAULT 7,
    broadcast_url TEXT NOT NULL DEFAULT '',
    created_ms BIGINT NOT NULL,
    UNIQUE (body_id, name)
);
