-- A telephone number members can call during a session (the office's help
-- line): set per body, overridable per meeting ('' = the body's).
ALTER TABLE bodies ADD COLUMN help_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE meetings ADD COLUMN help_phone TEXT NOT NULL DEFAULT '';
