-- #17.6 weights (cooperatives, housing communities, general assemblies):
-- a member's weight per body (shares, "udziały") in millionths, so sums are
-- exact integers (0.0473 is 47300; default 1 = 1000000), and per body
-- whether its votes show and may be decided on weights at all.
ALTER TABLE bodies ADD COLUMN uses_weights INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN weight_micro INTEGER NOT NULL DEFAULT 1000000;

-- Each voter's weight frozen when a vote opens (also in its vote.opened
-- event), so the result is computed, and can be recomputed, exactly even if
-- the office changes weights afterwards.
CREATE TABLE vote_weights (
    vote_id TEXT NOT NULL REFERENCES votes(id),
    user_id TEXT NOT NULL,
    weight_micro INTEGER NOT NULL,
    PRIMARY KEY (vote_id, user_id)
);
