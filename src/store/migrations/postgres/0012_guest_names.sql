-- A guest added by the office of an organisation the account has no tie to
-- is shown under the name that office gave, never the account's own name
-- (issue 18, finding 1: staff must not learn who has an account elsewhere).
ALTER TABLE meeting_participants ADD COLUMN guest_name TEXT;
