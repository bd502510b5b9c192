/* secret_votes_repo.c — see secret_votes.h. */
#include <stdlib.h>
#include <string.h>

#include "store/db_util.h"
#include "store/secret_votes.h"

DB_QUERY(q_el_add, "vote_elections_add",
         "INSERT INTO vote_elections (vote_id, election, election_hash, server_secret) "
         "VALUES ($1, $2, $3, $4)");
DB_QUERY(q_el_get, "vote_elections_get",
         "SELECT election, election_hash, server_secret, aggregate, decryptions, tally "
         "FROM vote_elections WHERE vote_id = $1");
DB_QUERY(q_el_tally, "vote_elections_set_tally",
         "UPDATE vote_elections SET aggregate = $2, decryptions = $3, tally = $4 WHERE vote_id = $1");
DB_QUERY(q_voter_get, "secret_voters_get",
         "SELECT ballot_id FROM secret_voters WHERE vote_id = $1 AND user_id = $2");
DB_QUERY(q_voter_by_ballot, "secret_voters_by_ballot",
         "SELECT user_id FROM secret_voters WHERE vote_id = $1 AND ballot_id = $2");
DB_QUERY(q_voter_add, "secret_voters_add",
         "INSERT INTO secret_voters (vote_id, user_id, ballot_id) VALUES ($1, $2, $3)");
DB_QUERY(q_voter_count, "secret_voters_count",
         "SELECT COUNT(*) FROM secret_voters WHERE vote_id = $1");
DB_QUERY(q_voter_all, "secret_voters_all",
         "SELECT user_id FROM secret_voters WHERE vote_id = $1 ORDER BY user_id");
DB_QUERY(q_ballot_add, "secret_ballots_add",
         "INSERT INTO secret_ballots (vote_id, tracker, credential, ballot) VALUES ($1, $2, $3, $4)");
DB_QUERY(q_ballot_all, "secret_ballots_all",
         "SELECT tracker, ballot FROM secret_ballots WHERE vote_id = $1 ORDER BY tracker");

void vote_election_clear(struct vote_election *e)
{
    json_decref(e->election);
    json_decref(e->aggregate);
    json_decref(e->decryptions);
    json_decref(e->tally);
    free(e->server_secret);
    memset(e, 0, sizeof *e);
}

int vote_elections_add(struct db *db, const char *vote_id, json_t *election,
                       const char *election_hash, const char *server_secret)
{
    struct db_stmt *s = db_prepare(db, &q_el_add);
    db_bind_text(s, 1, vote_id);
    if (db_bind_json(s, 2, election)) {
        db_stmt_done(s);
        return OBR_ENOMEM;
    }
    db_bind_text(s, 3, election_hash);
    db_bind_text(s, 4, server_secret);
    return db_run(s);
}

int vote_elections_get(struct db *db, const char *vote_id, struct vote_election *out)
{
    memset(out, 0, sizeof *out);
    struct db_stmt *s = db_prepare(db, &q_el_get);
    db_bind_text(s, 1, vote_id);
    int rc = db_step_one(s);
    if (rc == DB_ROW) {
        out->election = db_col_json(s, 0);
        db_col_copy(s, 1, out->election_hash, sizeof out->election_hash);
        const char *sec = db_col_text(s, 2);
        out->server_secret = strdup(sec ? sec : "");
        out->aggregate = db_col_json(s, 3);
        out->decryptions = db_col_json(s, 4);
        out->tally = db_col_json(s, 5);
        rc = out->election && out->server_secret && out->decryptions ? 0 : OBR_ECORRUPT;
        if (rc)
            vote_election_clear(out);
    }
    db_stmt_done(s);
    return rc;
}

int vote_elections_set_tally(struct db *db, const char *vote_id, json_t *aggregate,
                             json_t *decryptions, json_t *tally)
{
    struct db_stmt *s = db_prepare(db, &q_el_tally);
    db_bind_text(s, 1, vote_id);
    if (db_bind_json(s, 2, aggregate) || db_bind_json(s, 3, decryptions) || db_bind_json(s, 4, tally)) {
        db_stmt_done(s);
        return OBR_ENOMEM;
    }
    return db_run(s);
}

static int one_text(struct db_stmt *s, char *out, size_t size)
{
    int rc = db_step_one(s);
    if (rc == DB_ROW) {
        db_col_copy(s, 0, out, size);
        rc = 0;
    }
    db_stmt_done(s);
    return rc;
}

int secret_voters_get(struct db *db, const char *vote_id, const char *user_id,
                      char ballot_id[72])
{
    struct db_stmt *s = db_prepare(db, &q_voter_get);
    db_bind_text(s, 1, vote_id);
    db_bind_text(s, 2, user_id);
    return one_text(s, ballot_id, 72);
}

int secret_voters_by_ballot(struct db *db, const char *vote_id, const char *ballot_id,
                            char user_id[ID_SIZE])
{
    struct db_stmt *s = db_prepare(db, &q_voter_by_ballot);
    db_bind_text(s, 1, vote_id);
    db_bind_text(s, 2, ballot_id);
    return one_text(s, user_id, ID_SIZE);
}

int secret_voters_add(struct db *db, const char *vote_id, const char *user_id,
                      const char *ballot_id)
{
    struct db_stmt *s = db_prepare(db, &q_voter_add);
    db_bind_text(s, 1, vote_id);
    db_bind_text(s, 2, user_id);
    db_bind_text(s, 3, ballot_id);
    return db_run(s);
}

int secret_voters_count(struct db *db, const char *vote_id)
{
    struct db_stmt *s = db_prepare(db, &q_voter_count);
    db_bind_text(s, 1, vote_id);
    int rc = db_step_one(s);
    int n = rc == DB_ROW ? (int)db_col_int(s, 0) : -1;
    db_stmt_done(s);
    return n;
}

json_t *secret_voters_json(struct db *db, const char *vote_id)
{
    struct db_stmt *s = db_prepare(db, &q_voter_all);
    db_bind_text(s, 1, vote_id);
    return db_texts_json(s);
}

int secret_ballots_add(struct db *db, const char *vote_id, const char *tracker,
                       const char *credential, const json_t *ballot)
{
    struct db_stmt *s = db_prepare(db, &q_ballot_add);
    db_bind_text(s, 1, vote_id);
    db_bind_text(s, 2, tracker);
    db_bind_text(s, 3, credential);
    if (db_bind_json(s, 4, ballot)) {
        db_stmt_done(s);
        return OBR_ENOMEM;
    }
    return db_run(s);
}

json_t *secret_ballots_json(struct db *db, const char *vote_id)
{
    json_t *out = json_array();
    struct db_stmt *s = db_prepare(db, &q_ballot_all);
    db_bind_text(s, 1, vote_id);
    int rc = 0;
    while (out && (rc = db_step(s)) == DB_ROW) {
        json_t *b = json_loads(db_col_text(s, 1), 0, NULL);
        if (!b) {
            rc = -1;
            break;
        }
        json_object_set_new(b, "tracker", json_string(db_col_text(s, 0)));
        json_array_append_new(out, b);
    }
    db_stmt_done(s);
    if (rc < 0) {
        json_decref(out);
        return NULL;
    }
    return out;
}

/* ---- committee trustees ---- */

DB_QUERY(q_tr_add, "vote_trustees_add",
         "INSERT INTO vote_trustees (vote_id, idx, user_id, name) VALUES ($1, $2, $3, $4)");
DB_QUERY(q_tr_all, "vote_trustees_all",
         "SELECT idx, user_id, name, member, box_public_key, "
         "(SELECT COUNT(*) FROM trustee_shares s WHERE s.vote_id = t.vote_id AND s.from_idx = t.idx) "
         "FROM vote_trustees t WHERE vote_id = $1 ORDER BY idx");
DB_QUERY(q_tr_user, "vote_trustees_of_user",
         "SELECT idx FROM vote_trustees WHERE vote_id = $1 AND user_id = $2");
DB_QUERY(q_tr_key, "vote_trustees_set_key",
         "UPDATE vote_trustees SET member = $3, box_public_key = $4 "
         "WHERE vote_id = $1 AND idx = $2 AND member IS NULL");
DB_QUERY(q_sh_add, "trustee_shares_add",
         "INSERT INTO trustee_shares (vote_id, from_idx, to_idx, sealed) VALUES ($1, $2, $3, $4)");
DB_QUERY(q_sh_for, "trustee_shares_for",
         "SELECT from_idx, sealed FROM trustee_shares WHERE vote_id = $1 AND to_idx = $2 "
         "ORDER BY from_idx");

int vote_trustees_add(struct db *db, const char *vote_id, int idx, const char *user_id,
                      const char *name)
{
    struct db_stmt *s = db_prepare(db, &q_tr_add);
    db_bind_text(s, 1, vote_id);
    db_bind_int(s, 2, idx);
    db_bind_text(s, 3, user_id);
    db_bind_text(s, 4, name);
    return db_run(s);
}

json_t *vote_trustees_json(struct db *db, const char *vote_id)
{
    json_t *out = json_array();
    struct db_stmt *s = db_prepare(db, &q_tr_all);
    db_bind_text(s, 1, vote_id);
    int rc = 0;
    while (out && (rc = db_step(s)) == DB_ROW) {
        json_t *member = db_col_json(s, 3);
        json_array_append_new(
            out, json_pack("{s:I, s:s, s:s, s:o, s:o, s:I}", "index", (json_int_t)db_col_int(s, 0),
                           "user_id", db_col_text(s, 1), "name", db_col_text(s, 2), "member",
                           member ? member : json_null(), "box_public_key",
                           db_col_is_null(s, 4) ? json_null() : json_string(db_col_text(s, 4)),
                           "shares_sent", (json_int_t)db_col_int(s, 5)));
    }
    db_stmt_done(s);
    if (rc < 0) {
        json_decref(out);
        return NULL;
    }
    return out;
}

int vote_trustees_of_user(struct db *db, const char *vote_id, const char *user_id, int *idx)
{
    struct db_stmt *s = db_prepare(db, &q_tr_user);
    db_bind_text(s, 1, vote_id);
    db_bind_text(s, 2, user_id);
    int rc = db_step_one(s);
    if (rc == DB_ROW) {
        *idx = (int)db_col_int(s, 0);
        rc = 0;
    }
    db_stmt_done(s);
    return rc;
}

int vote_trustees_set_key(struct db *db, const char *vote_id, int idx, const json_t *member,
                          const char *box_public_key)
{
    struct db_stmt *s = db_prepare(db, &q_tr_key);
    db_bind_text(s, 1, vote_id);
    db_bind_int(s, 2, idx);
    if (db_bind_json(s, 3, member)) {
        db_stmt_done(s);
        return OBR_ENOMEM;
    }
    db_bind_text(s, 4, box_public_key);
    return db_run_one(db, s);
}

int trustee_shares_add(struct db *db, const char *vote_id, int from, int to, const char *sealed)
{
    struct db_stmt *s = db_prepare(db, &q_sh_add);
    db_bind_text(s, 1, vote_id);
    db_bind_int(s, 2, from);
    db_bind_int(s, 3, to);
    db_bind_text(s, 4, sealed);
    return db_run(s);
}

json_t *trustee_shares_for_json(struct db *db, const char *vote_id, int to)
{
    json_t *out = json_array();
    struct db_stmt *s = db_prepare(db, &q_sh_for);
    db_bind_text(s, 1, vote_id);
    db_bind_int(s, 2, to);
    int rc = 0;
    while (out && (rc = db_step(s)) == DB_ROW)
        json_array_append_new(out, json_pack("{s:I, s:i, s:s}", "from", (json_int_t)db_col_int(s, 0),
                                             "to", to, "sealed", db_col_text(s, 1)));
    db_stmt_done(s);
    if (rc < 0) {
        json_decref(out);
        return NULL;
    }
    return out;
}
