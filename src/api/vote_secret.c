/* vote_secret.c — secret votes on the voting engine (docs/verifiable-voting.md):
 * at opening the election object is fixed with the server trustee's public
 * key (its secret sealed at rest, crypto/seal.h); every ballot is verified
 * before anything is stored (422 bad_ballot otherwise); who voted and the
 * encrypted ballots are stored apart; at closing the ballots are aggregated,
 * the server trustee decrypts with a proof and the counts are found; the
 * board lets anyone check it all (`obrady verify`). The server only ever
 * sees ciphertexts: no choice is decrypted alone. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "api/handlers.h"
#include "api/vote_impl.h"
#include "api/votes.h"
#include "core/pl_collate.h"
#include "crypto/evote.h"
#include "crypto/seal.h"
#include "crypto/tokens.h"
#include "store/db.h"
#include "store/secret_votes.h"
#include "store/voter_keys.h"
#include "util/diag.h"

#define SERVER_TRUSTEE_ID "server"
#define SERVER_TRUSTEE_NAME "Serwer obrady"

static const struct app *the_app;
#define trustee_key (the_app->trustee_key)

void votes_set_app(const struct app *app)
{
    the_app = app;
}

const struct app *vote_app(void)
{
    return the_app;
}

static json_t *options_of(const struct vote *v)
{
    if (vote_is_election(v))
        return json_deep_copy(v->candidates);
    return json_pack("[s, s, s]", "za", "przeciw", "wstrzymuję się");
}

/* The committee's group for the election: every member's posted key, once
 * all have posted keys and shares; NULL (*ready false) before that. */
static json_t *committee_group(struct db *db, const struct vote *v, bool *ready)
{
    json_t *all = vote_trustees_json(db, v->id);
    size_t n = json_array_size(all), i;
    json_t *t, *members = json_array();
    *ready = all && n > 0;
    json_array_foreach (all, i, t) {
        json_t *m = json_object_get(t, "member");
        if (!json_is_object(m) || json_integer_value(json_object_get(t, "shares_sent")) != (json_int_t)n - 1) {
            *ready = false;
            break;
        }
        json_array_append_new(
            members, json_pack("{s:O, s:O, s:O, s:O, s:O}", "id", json_object_get(t, "user_id"),
                               "name", json_object_get(t, "name"), "index",
                               json_object_get(t, "index"), "coefficients",
                               json_object_get(m, "coefficients"), "pok", json_object_get(m, "pok")));
    }
    json_decref(all);
    if (!*ready) {
        json_decref(members);
        return NULL;
    }
    return json_pack("{s:i, s:o}", "threshold", v->trustee_threshold, "members", members);
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(json_string_value(json_object_get(*(json_t *const *)a, "name")),
                  json_string_value(json_object_get(*(json_t *const *)b, "name")));
}

/* Spec v2: every eligible member with the key registered at opening (or
 * null), frozen into vote_electorate, as [{name, key}] in byte order of the
 * names. A name two members share gets the member's id added, so that every
 * name on the board is distinct. */
static json_t *electorate_of(struct db *db, const char *vote_id, const struct meeting_state *st,
                             const json_t *eligible)
{
    size_t n = json_array_size(eligible);
    json_t **rows = calloc(n ? n : 1, sizeof *rows);
    const char **names = calloc(n ? n : 1, sizeof *names);
    json_t *out = json_array();
    int rc = rows && names && out ? 0 : OBR_ENOMEM;
    for (size_t i = 0; i < n && !rc; i++) {
        const char *uid = json_string_value(json_array_get(eligible, i));
        const struct ms_person *p = uid ? meeting_state_person(st, uid) : NULL;
        names[i] = p && p->name[0] ? p->name : uid ? uid : "?";
    }
    for (size_t i = 0; i < n && !rc; i++) {
        const char *uid = json_string_value(json_array_get(eligible, i));
        char key[VOTER_KEY_HEX];
        int64_t at;
        int r = uid ? voter_keys_get(db, uid, key, &at) : OBR_EINVAL;
        bool is_shared = false;
        for (size_t o = 0; o < n && !is_shared; o++)
            is_shared = o != i && !strcmp(names[o], names[i]);
        json_t *name = is_shared ? json_sprintf("%s (%s)", names[i], uid) : json_string(names[i]);
        rc = r && r != OBR_ENOTFOUND ? r : name ? 0 : OBR_ENOMEM;
        if (!rc)
            rc = vote_electorate_add(db, vote_id, uid, json_string_value(name), r ? NULL : key);
        rows[i] = json_pack("{s:o, s:o}", "name", name, "key", r ? json_null() : json_string(key));
        if (!rc && !rows[i])
            rc = OBR_ENOMEM;
    }
    if (!rc && n > 1)
        qsort(rows, n, sizeof *rows, cmp_name);
    for (size_t i = 0; i < n; i++)
        if (rows[i])
            json_array_append_new(out, rows[i]);
    free(rows);
    free(names);
    if (rc) {
        json_decref(out);
        return NULL;
    }
    return out;
}

int vote_secret_open(struct log_tx *tx, const struct vote *v, const struct meeting_state *st,
                     const json_t *eligible, json_t **election_out, char hash_out[65])
{
    json_t *committee = NULL;
    if (!strcmp(v->trustee_mode, "committee")) {
        bool ready = false;
        committee = committee_group(tx->db, v, &ready);
        if (!ready)
            return VOTE_PENDING;
    }
    char secret_hex[EVOTE_HEX + 1];
    json_t *group = evote_server_trustee_new(v->id, SERVER_TRUSTEE_ID, SERVER_TRUSTEE_NAME, secret_hex);
    if (!group)
        return OBR_ENOMEM;
    unsigned char secret[32];
    int rc = evote_secret_from_hex(secret_hex, secret);
    sodium_memzero(secret_hex, sizeof secret_hex);
    char sealed[SEAL_HEX_SIZE(32)];
    seal_hex(trustee_key, secret, sizeof secret, sealed);
    sodium_memzero(secret, sizeof secret);
    json_t *groups = committee ? json_pack("[o, o]", group, committee) : json_pack("[o]", group);
    char pk[EVOTE_HEX + 1];
    if (!rc)
        rc = groups && !evote_public_key(groups, pk) ? 0 : OBR_ECORRUPT;
    bool is_el = vote_is_election(v);
    json_t *voters = rc ? NULL : electorate_of(tx->db, v->id, st, eligible);
    if (!rc && !voters)
        rc = OBR_ENOMEM;
    json_t *el = rc ? NULL
                    : json_pack("{s:i, s:s, s:s, s:s, s:s, s:o, s:i, s:i, s:O, s:s, s:o}",
                                "version", 2, "vote_id", v->id, "meeting_id", v->meeting_id,
                                "title", v->title, "question", v->motion, "options",
                                options_of(v), "min", is_el ? 0 : 1, "max",
                                is_el ? v->seats : 1, "trustee_groups", groups, "public_key", pk,
                                "electorate", voters);
    json_decref(groups);
    struct evote_election *e = NULL;
    char why[EVOTE_WHY_MAX];
    if (!rc && (!el || evote_election_parse(el, &e, why, sizeof why))) {
        diag(DIAG_WARN, "secret vote %s: the election does not verify: %s", v->id, why);
        rc = committee ? VOTE_BAD_TRUSTEE : OBR_ECORRUPT;
    }
    if (!rc) {
        evote_election_hash(e, hash_out);
        rc = vote_elections_add(tx->db, v->id, el, hash_out, sealed);
    }
    evote_election_free(e);
    if (rc) {
        json_decref(el);
        return rc;
    }
    *election_out = el;
    return 0;
}

int vote_secret_check_ballot(struct db *db, const char *vote_id, const json_t *ballot,
                             char tracker[65], char credential[65], char *why, size_t why_size)
{
    struct cached_election *handle = NULL;
    const struct evote_election *e = NULL;
    int rc = vote_election_acquire(db, vote_id, &e, &handle, why, why_size);
    if (rc)
        return rc;
    rc = evote_ballot_verify(e, ballot, why, why_size);
    if (!rc)
        rc = evote_tracker(ballot, tracker) ? OBR_EINVAL : 0;
    const char *cred = json_string_value(json_object_get(
        ballot, evote_election_version(e) == 2 ? "voter_key" : "credential"));
    if (!rc)
        snprintf(credential, 65, "%s", cred ? cred : "");
    vote_election_release(handle);
    return rc ? OBR_EINVAL : 0;
}

/* Names of the voters in Polish order. */
static int cmp_names(const void *a, const void *b)
{
    return pl_compare_names(*(const char *const *)a, *(const char *const *)b);
}

static json_t *voter_names(struct db *db, const struct meeting_state *st, const char *vote_id,
                           bool as_objects)
{
    json_t *ids = secret_voters_json(db, vote_id);
    size_t n = json_array_size(ids);
    const char **names = calloc(n ? n : 1, sizeof *names);
    json_t *out = json_array();
    if (!ids || !names || !out) {
        json_decref(ids);
        json_decref(out);
        free(names);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        const struct ms_person *p = meeting_state_person(st, json_string_value(json_array_get(ids, i)));
        names[i] = p ? p->name : "";
    }
    qsort(names, n, sizeof *names, cmp_names);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(out, as_objects ? json_pack("{s:s}", "name", names[i])
                                              : json_string(names[i]));
    free(names);
    json_decref(ids);
    return out;
}

/* The board as published (docs/verifiable-voting.md, "Board"): spec v2 for
 * a version 2 election (the same shape in every state; the caller signs it
 * with the log head), v1 for votes opened before. */
static json_t *board_of(struct db *db, const struct vote *v, const struct meeting_state *st,
                        const struct vote_election *ve)
{
    json_t *ballots = secret_ballots_json(db, v->id);
    if (json_integer_value(json_object_get(ve->election, "version")) == 2) {
        const char *state = ve->tally ? "final" : ve->aggregate ? "counting" : "open";
        json_t *changes = vote_electorate_changes_json(db, v->id);
        /* open: no decryptions yet, whatever is stored */
        json_t *decs = ve->aggregate ? json_incref(ve->decryptions) : json_array();
        json_t *b = json_pack("{s:i, s:s, s:O, s:s, s:o, s:o, s:O, s:o, s:O}", "version", 2,
                              "state", state, "election", ve->election, "election_hash",
                              ve->election_hash, "key_changes", changes ? changes : json_array(),
                              "ballots", ballots ? ballots : json_array(),
                              "aggregate", ve->aggregate ? ve->aggregate : json_null(),
                              "decryptions", decs, "result", ve->tally ? ve->tally : json_null());
        return b;
    }
    json_t *voters = voter_names(db, st, v->id, true);
    json_t *b = json_pack("{s:O, s:s, s:o, s:o, s:i}", "election", ve->election, "election_hash",
                          ve->election_hash, "ballots", ballots ? ballots : json_array(), "voters",
                          voters ? voters : json_array(), "eligible_count",
                          (int)json_array_size(v->eligible));
    if (!b)
        return NULL;
    if (ve->aggregate)
        json_object_set(b, "aggregate", ve->aggregate);
    json_object_set(b, "decryptions", ve->decryptions);
    if (ve->tally)
        json_object_set(b, "result", ve->tally);
    return b;
}

/* The board's hash (v2: evote_board_hash; v1: without log_head and
 * board_hash) and, for v2, the vote.board event that anchors it in the
 * meeting's log. */
static int anchor_board(struct log_tx *tx, const struct vote *v, const struct meeting_state *st,
                        const struct vote_election *ve, char hash[EVOTE_HEX + 1])
{
    json_t *board = board_of(tx->db, v, st, ve);
    bool is_v2 = json_object_get(board, "version") != NULL;
    int rc = !board ? OBR_ENOMEM : is_v2 ? evote_board_hash(board, hash) : evote_tracker(board, hash);
    if (!rc && is_v2)
        rc = vote_append(tx, v->meeting_id, "system", "vote.board",
                         json_pack("{s:s, s:O, s:s, s:s, s:I}", "vote_id", v->id, "state",
                                   json_object_get(board, "state"), "board_hash", hash,
                                   "election_hash", ve->election_hash, "ballots",
                                   (json_int_t)json_array_size(json_object_get(board, "ballots"))));
    json_decref(board);
    return rc;
}

/* Per option counts and what the result says instead of a named list. */
static int fill_counts(struct log_tx *tx, const struct vote *v, const struct meeting_state *st,
                       const struct vote_election *ve, struct vote_counts *n, json_t **extra)
{
    memset(n, 0, sizeof *n);
    n->cast = secret_voters_count(tx->db, v->id);
    int total = 0;
    for (size_t i = 0; i < json_array_size(ve->tally) && i < VOTE_MAX_CANDIDATES; i++) {
        n->votes[i] = (int)json_integer_value(json_array_get(ve->tally, i));
        total += n->votes[i];
    }
    if (vote_is_election(v)) /* blank ballots are secret: the fewest there can be */
        n->blank = n->cast > total ? n->cast - total : 0;
    else
        n->yes = n->votes[0], n->no = n->votes[1], n->abstain = n->votes[2];
    char board_hash[EVOTE_HEX + 1] = "";
    int rc = anchor_board(tx, v, st, ve, board_hash);
    json_t *trustees = json_array();
    json_array_append_new(trustees, json_string(SERVER_TRUSTEE_NAME));
    json_t *members = strcmp(v->trustee_mode, "committee") ? NULL : vote_trustees_json(tx->db, v->id);
    size_t i;
    json_t *m;
    json_array_foreach (members, i, m)
        json_array_append(trustees, json_object_get(m, "name"));
    json_decref(members);
    *extra = rc ? NULL
                : json_pack("{s:s, s:s, s:i, s:o, s:o, s:s}", "board_hash", board_hash,
                            "election_hash", ve->election_hash, "ballots_cast", n->cast,
                            "trustees", trustees, "voters", voter_names(tx->db, st, v->id, false),
                            "trustee_mode", v->trustee_mode);
    if (rc)
        json_decref(trustees);
    return rc ? rc : (*extra ? 0 : OBR_ENOMEM);
}

/* The tally once every group has its threshold of decryptions: 0 and
 * ve->tally set, VOTE_PENDING when trustees are still to come. */
static int try_tally(const struct evote_election *e, struct vote_election *ve, char *why,
                     size_t why_size)
{
    size_t groups = json_array_size(json_object_get(ve->election, "trustee_groups"));
    for (size_t g = 0; g < groups; g++) {
        json_t *grp = json_array_get(json_object_get(ve->election, "trustee_groups"), g);
        json_int_t need = json_integer_value(json_object_get(grp, "threshold")), have = 0;
        size_t i;
        json_t *d;
        json_array_foreach (ve->decryptions, i, d)
            have += json_integer_value(json_object_get(d, "group")) == (json_int_t)g;
        if (have < need)
            return VOTE_PENDING;
    }
    json_t *tally = NULL;
    if (evote_tally(e, ve->aggregate, ve->decryptions, EVOTE_MAX_BALLOTS, &tally, why, why_size))
        return OBR_ECORRUPT;
    json_decref(ve->tally);
    ve->tally = tally;
    return 0;
}

int vote_secret_close(struct log_tx *tx, const struct vote *v, const struct meeting_state *st,
                      struct vote_counts *n, json_t **extra)
{
    struct vote_election ve;
    int rc = vote_elections_get(tx->db, v->id, &ve);
    if (rc)
        return rc;
    char why[EVOTE_WHY_MAX] = "";
    struct evote_election *e = NULL;
    json_t *ballots = secret_ballots_json(tx->db, v->id), *dec = NULL;
    unsigned char secret[32];
    rc = ballots && !evote_election_parse(ve.election, &e, why, sizeof why) ? 0 : OBR_ECORRUPT;
    if (!rc)
        rc = unseal_hex(trustee_key, ve.server_secret, secret, sizeof secret);
    if (!rc && !ve.aggregate)
        rc = (ve.aggregate = evote_aggregate(e, ballots)) ? 0 : OBR_ECORRUPT;
    if (!rc)
        rc = (dec = evote_partial_decrypt(e, 0, 1, secret, ve.aggregate, why, sizeof why)) ? 0 : OBR_ECORRUPT;
    sodium_memzero(secret, sizeof secret);
    if (!rc && !json_array_size(ve.decryptions))
        json_array_append(ve.decryptions, dec);
    if (!rc)
        rc = try_tally(e, &ve, why, sizeof why);
    if (rc >= 0 && rc != OBR_ECORRUPT) {
        int r2 = vote_elections_set_tally(tx->db, v->id, ve.aggregate, ve.decryptions, ve.tally);
        rc = r2 ? r2 : rc;
    }
    if (!rc)
        rc = fill_counts(tx, v, st, &ve, n, extra);
    if (rc == VOTE_PENDING) {
        char board_hash[EVOTE_HEX + 1];
        int r2 = anchor_board(tx, v, st, &ve, board_hash);
        *extra = json_pack("{s:O, s:i}", "aggregate", ve.aggregate, "ballots_cast",
                           (int)json_array_size(ballots));
        rc = r2 ? r2 : rc;
    }
    if (rc < 0 && rc != OBR_ENOMEM)
        diag(DIAG_ERROR, "secret vote %s: cannot tally: %s", v->id, why);
    json_decref(dec);
    json_decref(ballots);
    evote_election_free(e);
    vote_election_clear(&ve);
    return rc;
}

int vote_secret_add_decryption(struct log_tx *tx, const struct vote *v,
                               const struct meeting_state *st, json_t *dec, struct vote_counts *n,
                               json_t **extra, char *why, size_t why_size)
{
    struct vote_election ve;
    int rc = vote_elections_get(tx->db, v->id, &ve);
    if (rc)
        return rc;
    struct evote_election *e = NULL;
    rc = evote_election_parse(ve.election, &e, why, why_size) ? OBR_ECORRUPT : 0;
    if (!rc && (!ve.aggregate || evote_decryption_verify(e, ve.aggregate, dec, why, why_size)))
        rc = OBR_EINVAL;
    size_t i;
    json_t *d;
    json_array_foreach (ve.decryptions, i, d)
        if (!rc && json_equal(json_object_get(d, "group"), json_object_get(dec, "group")) &&
            json_equal(json_object_get(d, "index"), json_object_get(dec, "index")))
            rc = OBR_EEXISTS;
    if (!rc) {
        json_array_append(ve.decryptions, dec);
        rc = try_tally(e, &ve, why, why_size);
    }
    if (rc >= 0) {
        int r2 = vote_elections_set_tally(tx->db, v->id, ve.aggregate, ve.decryptions, ve.tally);
        rc = r2 ? r2 : rc;
    }
    if (!rc)
        rc = fill_counts(tx, v, st, &ve, n, extra);
    if (rc == VOTE_PENDING) { /* a new counting board: anchor it too */
        char board_hash[EVOTE_HEX + 1];
        int r2 = anchor_board(tx, v, st, &ve, board_hash);
        rc = r2 ? r2 : rc;
    }
    evote_election_free(e);
    vote_election_clear(&ve);
    return rc;
}

/* The vote and its meeting for a request carrying the vote's board key
 * (?key=, printed on the report): only a closed secret vote opens, to anyone;
 * a wrong key, or any other vote, is a 404 that reveals nothing. */
static int keyed_load(struct req *rq, const char *key, struct meeting_ctx *c, struct vote *v)
{
    memset(c, 0, sizeof *c);
    memset(v, 0, sizeof *v);
    struct db *db = req_db(rq);
    const char *id = req_param(rq, "id");
    char want[TOKEN_BOARD_KEY_HEX + 1] = "";
    if (!db) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return -1;
    }
    int rc = id && id_is_valid(id) ? votes_get(db, id, v) : OBR_ENOTFOUND;
    if (!rc) {
        const struct app *app = req_app(rq);
        token_board_key(app->secret_key, v->id, want);
        bool is_open_to_key = !strcmp(v->kind, "secret") && !strcmp(v->status, "closed");
        rc = is_open_to_key && token_hash_equal(key, want) ? 0 : OBR_ENOTFOUND;
    }
    if (!rc)
        rc = meetings_get(db, v->meeting_id, &c->m);
    if (!rc)
        rc = bodies_get(db, c->m.body_id, &c->b);
    if (rc) {
        vote_clear(v);
        reply_obr_error(rq, rc);
        return -1;
    }
    return 0;
}

/* Completes a board for publication, inside the read transaction that read
 * it: a v2 board is signed with the log head it was read at; a v1 board
 * carries that head and the board hash recorded when the vote closed. Takes
 * ownership of b (may be NULL); NULL on failure, or for a v2 board when no
 * signing key is loaded. */
static json_t *publish_board(struct db *db, const char *meeting_id, const struct vote *v,
                             json_t *b)
{
    if (!b)
        return NULL;
    int64_t seq = 0;
    char head[EVENT_HASH_HEX + 1] = "";
    bool has_head = !log_head(db, meeting_id, &seq, head);
    if (json_object_get(b, "version")) {
        if (!has_head || !the_app || evote_board_sign(b, seq, head, the_app->sign_sk)) {
            json_decref(b);
            return NULL;
        }
        return b;
    }
    if (has_head)
        json_object_set_new(b, "log_head", json_string(head));
    if (v->result)
        json_object_set(b, "board_hash", json_object_get(v->result, "board_hash"));
    return b;
}

/* GET /api/votes/{id}/board — who may see the meeting may check the vote;
 * anyone may with the vote's board key (docs/security.md). */
void api_vote_board(struct req *rq)
{
    struct meeting_ctx c;
    struct vote v;
    const char *key = req_query(rq, "key");
    if (key ? keyed_load(rq, key, &c, &v) < 0 : vote_ctx_load(rq, &c, &v, true) < 0)
        return;
    struct db *db = req_db(rq);
    struct vote_election ve;
    struct meeting_state *st = NULL;
    int rc = strcmp(v.kind, "secret") ? OBR_ENOTFOUND : vote_elections_get(db, v.id, &ve);
    if (!rc)
        rc = meeting_state_load(db, &c.m, &c.b, &st);
    /* One read transaction: the ballots and the log head the board is
     * signed with are the same moment's. */
    bool is_tx = !rc && !db_begin(db);
    json_t *b = rc ? NULL : publish_board(db, c.m.id, &v, board_of(db, &v, st, &ve));
    if (is_tx)
        db_rollback(db);
    if (!rc)
        vote_election_clear(&ve);
    meeting_state_free(st);
    vote_clear(&v);
    if (!b) {
        reply_obr_error(rq, rc ? rc : OBR_ENOMEM);
        return;
    }
    reply_header(rq, "Cache-Control", "no-store");
    reply_json(rq, 200, b);
}

json_t *vote_board_json(struct db *db, const char *vote_id)
{
    struct vote v;
    struct meeting m;
    struct body b;
    struct vote_election ve;
    struct meeting_state *st = NULL;
    if (votes_get(db, vote_id, &v))
        return NULL;
    int rc = strcmp(v.kind, "secret") ? OBR_ENOTFOUND : meetings_get(db, v.meeting_id, &m);
    rc = rc ? rc : bodies_get(db, m.body_id, &b);
    rc = rc ? rc : vote_elections_get(db, v.id, &ve);
    if (!rc && (rc = meeting_state_load(db, &m, &b, &st)))
        vote_election_clear(&ve);
    bool is_tx = !rc && !db_begin(db);
    json_t *out = rc ? NULL : publish_board(db, m.id, &v, board_of(db, &v, st, &ve));
    if (is_tx)
        db_rollback(db);
    if (!rc)
        vote_election_clear(&ve);
    meeting_state_free(st);
    vote_clear(&v);
    return out;
}
