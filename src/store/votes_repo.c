/* votes_repo.c — votes and ballots (see votes.h). Status changes are
 * conditional updates (draft -> open -> closed), so a double open or close
 * changes nothing even without the caller's checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/db_util.h"
#include "store/json_col_cache.h"
#include "store/votes.h"
#include "util/clock.h"

#define VOTE_COLS_HEAD                                                                             \
    "id, meeting_id, COALESCE(item_id, ''), title, motion, kind, method, majority, "               \
    "duration_s, allow_change, status, COALESCE(opened_ms, 0), COALESCE(deadline_ms, 0), "         \
    "COALESCE(closed_ms, 0), eligible, COALESCE(present_at_open, 0), "                             \
    "COALESCE(quorum_required, 0), result, COALESCE(repeat_of, ''), repeat_reason, created_ms, "    \
    "candidates, seats, election_rule, electorate, early_close, trustee_mode, trustee_threshold, " \
    "voters_count"
#define VOTE_COLS VOTE_COLS_HEAD ", " VOTE_NUMBER

/* A vote's number: its place among the meeting's votes in the order they
 * were opened (0 for a draft). Every report, export and screen shows this
 * one number, so a vote closed late keeps the number of its opening. */
#define VOTE_NUMBER                                                                                \
    "(SELECT COUNT(*) FROM votes o WHERE o.meeting_id = votes.meeting_id AND "                    \
    "o.opened_ms IS NOT NULL AND (o.opened_ms < votes.opened_ms OR "                               \
    "(o.opened_ms = votes.opened_ms AND o.id <= votes.id)))"

DB_QUERY(q_insert, "votes_insert",
         "INSERT INTO votes (id, meeting_id, item_id, title, motion, kind, method, majority, "
         "duration_s, allow_change, status, repeat_of, repeat_reason, created_ms, candidates, seats, "
         "election_rule, electorate, early_close, trustee_mode, trustee_threshold) "
         "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'draft', $11, $12, $13, $14, $15, $16, "
         "$17, $18, $19, $20)");
DB_QUERY(q_get, "votes_get", "SELECT " VOTE_COLS " FROM votes WHERE id = $1");
/* The same row without counting the meeting's opened votes for its number. */
DB_QUERY(q_get_unnumbered, "votes_get_unnumbered",
         "SELECT " VOTE_COLS_HEAD ", 0 FROM votes WHERE id = $1");
/* ... and without its JSON lists (eligible, candidates, electorate: NULL). */
DB_QUERY(q_get_slim, "votes_get_slim",
         "SELECT id, meeting_id, COALESCE(item_id, ''), title, motion, kind, method, majority, "
         "duration_s, allow_change, status, COALESCE(opened_ms, 0), COALESCE(deadline_ms, 0), "
         "COALESCE(closed_ms, 0), NULL, COALESCE(present_at_open, 0), "
         "COALESCE(quorum_required, 0), result, COALESCE(repeat_of, ''), repeat_reason, created_ms, "
         "NULL, seats, election_rule, NULL, early_close, trustee_mode, trustee_threshold, "
         "voters_count, 0 FROM votes WHERE id = $1");
DB_QUERY(q_head, "votes_head", "SELECT meeting_id, kind FROM votes WHERE id = $1");
DB_QUERY(q_open, "votes_open",
         "UPDATE votes SET status = 'open', opened_ms = $2, deadline_ms = $3, eligible = $4, "
         "present_at_open = $5, quorum_required = $6 WHERE id = $1 AND status = 'draft'");
DB_QUERY(q_extend, "votes_extend",
         "UPDATE votes SET deadline_ms = $2 WHERE id = $1 AND status = 'open'");
DB_QUERY(q_open_of_meeting, "votes_open_of_meeting",
         "SELECT id FROM votes WHERE meeting_id = $1 AND status = 'open' ORDER BY created_ms, id");
DB_QUERY(q_close, "votes_close",
         "UPDATE votes SET status = 'closed', closed_ms = COALESCE(closed_ms, $2), result = $3 "
         "WHERE id = $1 AND status IN ('open', 'counting', 'confirming')");
DB_QUERY(q_threshold, "votes_set_threshold",
         "UPDATE votes SET trustee_threshold = $2 WHERE id = $1 AND status = 'draft'");
DB_QUERY(q_counting, "votes_counting",
         "UPDATE votes SET status = 'counting', closed_ms = $2, result = $3 "
         "WHERE id = $1 AND status = 'open'");
DB_QUERY(q_list, "votes_list",
         "SELECT " VOTE_COLS " FROM votes WHERE meeting_id = $1 "
         "ORDER BY opened_ms IS NULL, opened_ms, created_ms, id");
DB_QUERY(q_ballot_get, "ballots_get",
         "SELECT user_id, choice FROM ballots WHERE vote_id = $1 AND ballot_id = $2");
/* ballots_get and ballots_counted_of in one: one row always (o), each side
 * NULL when absent; at most one row each (primary keys). */
DB_QUERY(q_ballot_seen, "ballots_seen",
         "SELECT g.user_id, g.choice, c.choice, CASE WHEN h.ballot_id IS NULL THEN 0 ELSE 1 END "
         "FROM (SELECT 1 AS one) o "
         "LEFT JOIN ballots g ON g.vote_id = $1 AND g.ballot_id = $2 "
         "LEFT JOIN ballots_current c ON c.vote_id = $1 AND c.user_id = $3 "
         "LEFT JOIN hand_ballots h ON h.vote_id = c.vote_id AND h.ballot_id = c.ballot_id");
DB_QUERY(q_ballot_last, "ballots_last_of",
         "SELECT choice FROM ballots_current WHERE vote_id = $1 AND user_id = $2");
DB_QUERY(q_ballot_add, "ballots_add",
         "INSERT INTO ballots (vote_id, ballot_id, user_id, choice, cast_ms) "
         "VALUES ($1, $2, $3, $4, $5)");
/* The last ballot counts: a later one (by cast time, then insertion, as
 * ballots_last_of always read it) replaces the voter's current one. */
DB_QUERY(q_current_set, "ballots_current_set",
         "INSERT INTO ballots_current (vote_id, user_id, ballot_id, choice, cast_ms) "
         "VALUES ($1, $3, $2, $4, $5) ON CONFLICT (vote_id, user_id) DO UPDATE SET "
         "ballot_id = excluded.ballot_id, choice = excluded.choice, cast_ms = excluded.cast_ms "
         "WHERE excluded.cast_ms >= ballots_current.cast_ms");
DB_QUERY(q_voters_bump, "votes_voters_bump",
         "UPDATE votes SET voters_count = voters_count + 1 WHERE id = $1 AND status = 'open'");
DB_QUERY(q_ballot_all, "ballots_all",
         "SELECT user_id, choice FROM ballots_current WHERE vote_id = $1 ORDER BY cast_ms, user_id");

void vote_clear(struct vote *v)
{
    json_decref(v->eligible);
    json_decref(v->result);
    json_decref(v->candidates);
    json_decref(v->electorate);
    v->eligible = v->result = v->candidates = v->electorate = NULL;
}

static void read_vote(struct db_stmt *s, struct vote *v)
{
    memset(v, 0, sizeof *v);
    db_col_copy(s, 0, v->id, sizeof v->id);
    db_col_copy(s, 1, v->meeting_id, sizeof v->meeting_id);
    db_col_copy(s, 2, v->item_id, sizeof v->item_id);
    db_col_copy(s, 3, v->title, sizeof v->title);
    db_col_copy(s, 4, v->motion, sizeof v->motion);
    db_col_copy(s, 5, v->kind, sizeof v->kind);
    db_col_copy(s, 6, v->method, sizeof v->method);
    db_col_copy(s, 7, v->majority, sizeof v->majority);
    v->duration_s = (int)db_col_int(s, 8);
    v->allow_change = db_col_int(s, 9) != 0;
    db_col_copy(s, 10, v->status, sizeof v->status);
    v->opened_ms = db_col_int(s, 11);
    v->deadline_ms = db_col_int(s, 12);
    v->closed_ms = db_col_int(s, 13);
    /* Set once at opening and read by every ballot: parsed once. */
    v->eligible = db_col_is_null(s, 14) ? NULL : json_col_cache_get(v->id, db_col_text(s, 14));
    v->present_at_open = (int)db_col_int(s, 15);
    v->quorum_required = (int)db_col_int(s, 16);
    v->result = db_col_json(s, 17);
    db_col_copy(s, 18, v->repeat_of, sizeof v->repeat_of);
    db_col_copy(s, 19, v->repeat_reason, sizeof v->repeat_reason);
    v->created_ms = db_col_int(s, 20);
    v->candidates = db_col_json(s, 21);
    v->seats = (int)db_col_int(s, 22);
    db_col_copy(s, 23, v->election_rule, sizeof v->election_rule);
    v->electorate = db_col_json(s, 24);
    v->early_close = db_col_int(s, 25) != 0;
    db_col_copy(s, 26, v->trustee_mode, sizeof v->trustee_mode);
    v->trustee_threshold = (int)db_col_int(s, 27);
    v->voters_count = (int)db_col_int(s, 28);
    v->number = (int)db_col_int(s, 29);
}

int votes_create(struct db *db, struct vote *v)
{
    id_new(v->id);
    v->created_ms = clock_now_ms();
    snprintf(v->status, sizeof v->status, "draft");
    struct db_stmt *s = db_prepare(db, &q_insert);
    db_bind_text(s, 1, v->id);
    db_bind_text(s, 2, v->meeting_id);
    db_bind_text(s, 3, v->item_id[0] ? v->item_id : NULL);
    db_bind_text(s, 4, v->title);
    db_bind_text(s, 5, v->motion);
    db_bind_text(s, 6, v->kind);
    db_bind_text(s, 7, v->method);
    db_bind_text(s, 8, v->majority);
    db_bind_int(s, 9, v->duration_s);
    db_bind_int(s, 10, v->allow_change);
    db_bind_text(s, 11, v->repeat_of[0] ? v->repeat_of : NULL);
    db_bind_text(s, 12, v->repeat_reason);
    db_bind_int(s, 13, v->created_ms);
    db_bind_int(s, 15, v->seats > 0 ? v->seats : 1);
    db_bind_text(s, 16, v->election_rule[0] ? v->election_rule : "most_votes");
    db_bind_int(s, 18, v->early_close);
    db_bind_text(s, 19, v->trustee_mode[0] ? v->trustee_mode : "server");
    db_bind_int(s, 20, v->trustee_threshold);
    if (db_bind_json(s, 14, v->candidates) || db_bind_json(s, 17, v->electorate)) {
        db_stmt_done(s);
        return OBR_ENOMEM;
    }
    return db_run(s);
}

int votes_head(struct db *db, const char *id, char meeting_id[ID_SIZE], char kind[16])
{
    struct db_stmt *s = db_prepare(db, &q_head);
    db_bind_text(s, 1, id);
    int rc = db_step_one(s);
    if (rc == DB_ROW) {
        db_col_copy(s, 0, meeting_id, ID_SIZE);
        db_col_copy(s, 1, kind, 16);
        rc = 0;
    }
    db_stmt_done(s);
    return rc;
}

static int get_vote(struct db *db, struct db_query *q, const char *id, struct vote *out)
{
    struct db_stmt *s = db_prepare(db, q);
    db_bind_text(s, 1, id);
    int rc = db_step_one(s);
    if (rc == DB_ROW) {
        read_vote(s, out);
        rc = 0;
    }
    db_stmt_done(s);
    return rc;
}

int votes_get(struct db *db, const char *id, struct vote *out)
{
    return get_vote(db, &q_get, id, out);
}

int votes_get_unnumbered(struct db *db, const char *id, struct vote *out)
{
    return get_vote(db, &q_get_unnumbered, id, out);
}

int votes_get_slim(struct db *db, const char *id, struct vote *out)
{
    return get_vote(db, &q_get_slim, id, out);
}

int votes_open(struct db *db, const char *id, int64_t opened_ms, int64_t deadline_ms,
               json_t *eligible, int present_at_open, int quorum_required)
{
    struct db_stmt *s = db_prepare(db, &q_open);
    db_bind_text(s, 1, id);
    db_bind_int(s, 2, opened_ms);
    db_bind_int(s, 3, deadline_ms);
    if (db_bind_json(s, 4, eligible)) {
        db_stmt_done(s);
        return OBR_ENOMEM;
    }
    db_bind_int(s, 5, present_at_open);
    db_bind_int(s, 6, quorum_required);
    return db_run_one(db, s);
}

int votes_close(struct db *db, const char *id, int64_t closed_ms, json_t *result)
{
    struct db_stmt *s = db_prepare(db, &q_close);
    db_bind_text(s, 1, id);
    db_bind_int(s, 2, closed_ms);
    if (db_bind_json(s, 3, result)) {
        db_stmt_done(s);
        return OBR_ENOMEM;
    }
    return db_run_one(db, s);
}

int votes_set_threshold(struct db *db, const char *id, int threshold)
{
    struct db_stmt *s = db_prepare(db, &q_threshold);
    db_bind_text(s, 1, id);
    db_bind_int(s, 2, threshold);
    return db_run(s);
}

int votes_set_counting(struct db *db, const char *id, int64_t closed_ms, json_t *pending)
{
    struct db_stmt *s = db_prepare(db, &q_counting);
    db_bind_text(s, 1, id);
    db_bind_int(s, 2, closed_ms);
    if (db_bind_json(s, 3, pending)) {
        db_stmt_done(s);
        return OBR_ENOMEM;
    }
    return db_run_one(db, s);
}

int votes_extend(struct db *db, const char *id, int64_t deadline_ms)
{
    struct db_stmt *s = db_prepare(db, &q_extend);
    db_bind_text(s, 1, id);
    db_bind_int(s, 2, deadline_ms);
    return db_run_one(db, s);
}

json_t *votes_open_ids_json(struct db *db, const char *meeting_id)
{
    struct db_stmt *s = db_prepare(db, &q_open_of_meeting);
    db_bind_text(s, 1, meeting_id);
    return db_texts_json(s);
}

json_t *votes_list_json(struct db *db, const char *meeting_id)
{
    json_t *out = json_array();
    struct db_stmt *s = db_prepare(db, &q_list);
    db_bind_text(s, 1, meeting_id);
    struct vote v;
    while (out && db_step(s) == DB_ROW) {
        read_vote(s, &v);
        /* not before the scrutiny committee's confirmation is announced */
        json_t *outcome = v.result && strcmp(v.status, "confirming") ? json_object_get(v.result, "outcome") : NULL;
        json_array_append_new(
            out, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:O, s:o}", "id", v.id, "title", v.title,
                           "kind", v.kind, "method", v.method, "majority", v.majority, "status",
                           v.status, "outcome", outcome ? outcome : json_null(), "number",
                           v.number ? json_integer(v.number) : json_null()));
        vote_clear(&v);
    }
    db_stmt_done(s);
    return out;
}

int ballots_get(struct db *db, const char *vote_id, const char *ballot_id, char user_id[ID_SIZE],
                char choice[BALLOT_CHOICE_SIZE])
{
    struct db_stmt *s = db_prepare(db, &q_ballot_get);
    db_bind_text(s, 1, vote_id);
    db_bind_text(s, 2, ballot_id);
    int rc = db_step_one(s);
    if (rc == DB_ROW) {
        db_col_copy(s, 0, user_id, ID_SIZE);
        db_col_copy(s, 1, choice, BALLOT_CHOICE_SIZE);
        rc = 0;
    }
    db_stmt_done(s);
    return rc;
}

int ballots_seen(struct db *db, const char *vote_id, const char *ballot_id, const char *user_id,
                 struct ballot_seen *out)
{
    struct db_stmt *s = db_prepare(db, &q_ballot_seen);
    db_bind_text(s, 1, vote_id);
    db_bind_text(s, 2, ballot_id);
    db_bind_text(s, 3, user_id);
    int rc = db_step_one(s);
    if (rc == DB_ROW) {
        out->has_ballot = !db_col_is_null(s, 0);
        out->has_counted = !db_col_is_null(s, 2);
        out->user_id[0] = out->choice[0] = out->counted[0] = '\0';
        if (out->has_ballot) {
            db_col_copy(s, 0, out->user_id, sizeof out->user_id);
            db_col_copy(s, 1, out->choice, sizeof out->choice);
        }
        if (out->has_counted)
            db_col_copy(s, 2, out->counted, sizeof out->counted);
        out->is_by_hand = out->has_counted && db_col_int(s, 3) != 0;
        rc = 0;
    } else if (rc == OBR_ENOTFOUND) {
        rc = OBR_EDB; /* the statement always has its one row */
    }
    db_stmt_done(s);
    return rc;
}

int ballots_last_of(struct db *db, const char *vote_id, const char *user_id, char choice[BALLOT_CHOICE_SIZE])
{
    struct db_stmt *s = db_prepare(db, &q_ballot_last);
    db_bind_text(s, 1, vote_id);
    db_bind_text(s, 2, user_id);
    int rc = db_step_one(s);
    if (rc == DB_ROW) {
        db_col_copy(s, 0, choice, BALLOT_CHOICE_SIZE);
        rc = 0;
    }
    db_stmt_done(s);
    return rc;
}

int ballots_add(struct db *db, const char *vote_id, const char *ballot_id, const char *user_id,
                const char *choice, int64_t cast_ms)
{
    struct db_stmt *s = db_prepare(db, &q_ballot_add);
    db_bind_text(s, 1, vote_id);
    db_bind_text(s, 2, ballot_id);
    db_bind_text(s, 3, user_id);
    db_bind_text(s, 4, choice);
    db_bind_int(s, 5, cast_ms);
    int rc = db_run(s);
    if (rc)
        return rc;
    /* In the caller's transaction, as the ballot itself. */
    s = db_prepare(db, &q_current_set);
    db_bind_text(s, 1, vote_id);
    db_bind_text(s, 2, ballot_id);
    db_bind_text(s, 3, user_id);
    db_bind_text(s, 4, choice);
    db_bind_int(s, 5, cast_ms);
    return db_run(s);
}

json_t *ballots_counted_json(struct db *db, const char *vote_id)
{
    json_t *out = json_object();
    struct db_stmt *s = db_prepare(db, &q_ballot_all);
    db_bind_text(s, 1, vote_id);
    int rc = 0;
    while (out && (rc = db_step(s)) == DB_ROW)
        json_object_set_new(out, db_col_text(s, 0), json_string(db_col_text(s, 1)));
    db_stmt_done(s);
    if (rc < 0) {
        json_decref(out);
        return NULL;
    }
    return out;
}

int votes_add_voter(struct db *db, const char *id)
{
    struct db_stmt *s = db_prepare(db, &q_voters_bump);
    db_bind_text(s, 1, id);
    return db_run_one(db, s);
}
