-- Elections (choose up to `seats` of the candidates), electorates other than
-- "all members of the body" and the early close. An election ballot keeps
-- its chosen candidate indexes in ballots.choice as a JSON array ("[0,2]";
-- "[]" is a blank ballot).
ALTER TABLE votes ADD COLUMN candidates TEXT;            -- JSON array of names
ALTER TABLE votes ADD COLUMN seats BIGINT NOT NULL DEFAULT 1;
ALTER TABLE votes ADD COLUMN election_rule TEXT NOT NULL DEFAULT 'most_votes';
ALTER TABLE votes ADD COLUMN electorate TEXT;            -- JSON {group?, guests?, exclude?}
ALTER TABLE votes ADD COLUMN early_close BIGINT NOT NULL DEFAULT 0;
-- How many voters have a ballot in: kept as ballots arrive, so the live
-- count costs no scan of the ballots.
ALTER TABLE votes ADD COLUMN voters_count BIGINT NOT NULL DEFAULT 0;
