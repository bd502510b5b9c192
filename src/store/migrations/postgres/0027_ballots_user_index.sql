-- The index of ballots by voter (0004) is dropped (issue 16): since 0019
-- every question about a voter's ballot in a vote is answered by
-- ballots_current (its primary key is (vote_id, user_id)), and the few
-- reads of ballots by voter left (a roll call's check of one voter's
-- electronic ballots) go through the primary key's vote_id prefix. Each
-- ballot cast wrote a page of this index at a random place (the ballots of
-- each voter), a page write per ballot in the ballot writer's commits.
DROP INDEX ballots_user;
