-- Per-body settings (#20.12, #14): the shortest attendance check without an
-- explicit override (members follow a lagging broadcast; default 120 s), and
-- the console's default audio bitrate in kbps (16..64; default 32).
ALTER TABLE bodies ADD COLUMN attendance_min_s INTEGER NOT NULL DEFAULT 120;
ALTER TABLE bodies ADD COLUMN audio_kbps INTEGER NOT NULL DEFAULT 32;

-- #18: an account with no tie to an organisation, added there as a body
-- member or staff, is shown under the name that office typed (NULL = the
-- account's own): nothing stored about it reaches another tenant.
ALTER TABLE members ADD COLUMN shown_name TEXT;
ALTER TABLE org_staff ADD COLUMN shown_name TEXT;
