/* meeting_ctx.c — see meeting_ctx.h. */
#include "api/meeting_ctx.h"

#include <string.h>

#include <sodium.h>

#include "api/app.h"
#include "api/meeting_cache.h"
#include "api/principal_cache.h"
#include "api/write_limits.h"
#include "store/db.h"
#include "store/jobs.h"
#include "util/diag.h"

#define FOLD_BATCH 512

int meeting_ctx_load(struct req *rq, struct meeting_ctx *c, bool is_public_ok)
{
    return meeting_ctx_load_id(rq, c, req_param(rq, "id"), is_public_ok);
}

/* The meeting and its body, from the cache when read at gen. */
static int read_meeting(struct db *db, const char *meeting_id, const uint64_t *gen,
                        struct meeting_ctx *c)
{
    if (gen && pcache_meeting_get(meeting_id, *gen, &c->m, &c->b))
        return 0;
    int rc = meetings_get(db, meeting_id, &c->m);
    if (!rc)
        rc = bodies_get(db, c->m.body_id, &c->b);
    if (!rc && gen)
        pcache_meeting_put(*gen, &c->m, &c->b);
    return rc;
}

/* The signed-in person's roles and participation (as perm_facts and
 * participants_is_participant decide them), from the cache when read at gen. */
static int read_facts(struct db *db, const uint64_t *gen, struct meeting_ctx *c)
{
    struct access_facts f;
    if (!gen || !pcache_facts_get(c->p.user.id, c->m.id, *gen, &f)) {
        int rc = access_facts_get(db, c->m.org_id, c->m.body_id, c->m.id, c->p.user.id, &f);
        if (rc)
            return rc;
        if (gen)
            pcache_facts_put(c->p.user.id, c->m.id, *gen, &f);
    }
    c->facts = (struct role_facts){
        .is_instance_admin = c->p.user.is_instance_admin,
        .staff = f.staff == STAFF_ADMIN      ? STAFF_LEVEL_ADMIN
                 : f.staff == STAFF_OPERATOR ? STAFF_LEVEL_OPERATOR
                                             : STAFF_LEVEL_NONE,
        .body_role = f.member_role[0] ? roles_body_role(f.member_role) : BODY_ROLE_NONE,
    };
    c->is_participant = f.is_meeting_member || f.row_guest;
    c->is_guest = !f.is_meeting_member && f.row_guest;
    c->is_scrutiny = c->is_participant && f.row_scrutiny;
    return 0;
}

int meeting_ctx_load_id(struct req *rq, struct meeting_ctx *c, const char *meeting_id,
                        bool is_public_ok)
{
    memset(c, 0, sizeof *c);
    struct db *db = req_db(rq);
    if (!db) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return -1;
    }
    /* One read of the access generation stands for the meeting, the
     * session and the roles while nothing changed them (principal_cache.h). */
    uint64_t generation;
    const uint64_t *gen = pcache_generation(db, &generation) ? &generation : NULL;
    int rc = read_meeting(db, meeting_id, gen, c);
    if (rc) {
        reply_obr_error(rq, rc);
        return -1;
    }
    principal_optional_at(rq, &c->p, gen);
    bool is_published = c->m.is_public && strcmp(c->m.status, "draft");
    if (!c->p.is_signed_in) {
        if (is_public_ok && is_published) {
            c->visibility = EVENT_PUBLIC;
            return 0;
        }
        reply_error(rq, ERR_UNAUTHORIZED, NULL);
        return -1;
    }
    /* Signed in already: a change only needs principal_require's origin check. */
    if (req_is_state_changing(rq) && !api_is_same_origin(rq)) {
        reply_error(rq, ERR_ORIGIN_MISMATCH, NULL);
        return -1;
    }
    if (read_facts(db, gen, c)) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return -1;
    }
    c->can_prepare = roles_allow(ACT_MEETING_PREPARE, &c->facts);
    c->can_conduct = roles_allow(ACT_MEETING_CONDUCT, &c->facts);
    if (c->can_conduct || c->can_prepare)
        c->visibility = EVENT_STAFF;
    else if (c->is_participant || roles_allow(ACT_MEETING_READ, &c->facts))
        c->visibility = EVENT_PARTICIPANTS;
    else if (is_public_ok && is_published)
        c->visibility = EVENT_PUBLIC;
    else {
        reply_error(rq, ERR_FORBIDDEN, NULL);
        return -1;
    }
    return 0;
}

/* One participant as the fold sees them (see add_people). */
struct person_row {
    const char *user_id, *name, *role;
    bool is_guest, is_scrutiny;
};

static struct person_row person_row(json_t *p)
{
    bool is_guest = json_is_true(json_object_get(p, "is_guest"));
    const char *role = json_string_value(json_object_get(p, "role"));
    return (struct person_row){
        .user_id = json_string_value(json_object_get(p, "user_id")),
        .name = json_string_value(json_object_get(p, "name")),
        .role = is_guest ? "guest" : role ? role : "member",
        .is_guest = is_guest,
        .is_scrutiny = json_is_true(json_object_get(p, "is_scrutiny")),
    };
}

static void hash_text(crypto_generichash_state *h, const char *s)
{
    s = s ? s : "";
    crypto_generichash_update(h, (const unsigned char *)s, strlen(s) + 1);
}

/* The cache key: a hash of everything the fold starts from besides the log. */
static void fold_key(const struct meeting *m, const struct body *b, json_t *people,
                     unsigned char key[MEETING_CACHE_KEY_SIZE])
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, MEETING_CACHE_KEY_SIZE);
    char size[24];
    snprintf(size, sizeof size, "%d", b->statutory_size);
    hash_text(&h, m->id);
    hash_text(&h, size);
    hash_text(&h, b->quorum_rule);
    size_t i;
    json_t *p;
    json_array_foreach(people, i, p)
    {
        struct person_row r = person_row(p);
        hash_text(&h, r.user_id);
        hash_text(&h, r.name);
        hash_text(&h, r.role);
        hash_text(&h, r.is_guest ? "g" : "-");
        hash_text(&h, r.is_scrutiny ? "s" : "-");
    }
    crypto_generichash_final(&h, key, MEETING_CACHE_KEY_SIZE);
}

static int add_people(struct meeting_state *st, json_t *people)
{
    size_t i;
    json_t *p;
    json_array_foreach(people, i, p)
    {
        struct person_row r = person_row(p);
        int rc = meeting_state_add_person(st, r.user_id, r.name, r.role, !r.is_guest, r.is_guest,
                                          r.is_scrutiny);
        if (rc)
            return rc;
    }
    return 0;
}

static struct meeting_state *fresh_state(const struct meeting *m, const struct body *b,
                                         json_t *people, int *rc)
{
    struct meeting_state *st = meeting_state_new(m->id, b->statutory_size, b->quorum_rule);
    *rc = st ? add_people(st, people) : OBR_ENOMEM;
    if (*rc) {
        meeting_state_free(st);
        st = NULL;
    }
    return st;
}

/* Folds the events after st->seq into st. A cached state (is_cached) is
 * first checked against the stored event at its seq: when that event is gone
 * or has another hash the log is not the one it was folded from, and
 * OBR_ECONFLICT tells the caller to fold from scratch. */
static int fold_newer(struct db *db, struct meeting_state **stp, bool is_cached)
{
    struct meeting_state *st = *stp;
    struct event *batch[FOLD_BATCH];
    int n = FOLD_BATCH, rc = 0;
    if (st->seq == 0)
        is_cached = false; /* nothing to check */
    int64_t from = is_cached ? st->seq : st->seq + 1;
    while (!rc && n == FOLD_BATCH) {
        rc = log_read(db, st->meeting_id, from, batch, FOLD_BATCH, &n);
        for (int i = 0; i < n; i++) {
            const struct event *ev = batch[i];
            if (!rc && is_cached) {
                /* The first event read must be the one the state ends with. */
                if (ev->seq != st->seq || strcmp(ev->hash, st->hash))
                    rc = OBR_ECONFLICT;
                is_cached = false;
            } else if (!rc) {
                /* Copy on write: a state shared with the cache is copied
                 * once, before the first newer event changes it. */
                if (__atomic_load_n(&st->refs, __ATOMIC_ACQUIRE) > 1) {
                    struct meeting_state *own = meeting_state_clone(st);
                    if (own) {
                        meeting_state_free(st);
                        *stp = st = own;
                    } else {
                        rc = OBR_ENOMEM;
                    }
                }
                if (!rc)
                    rc = meeting_state_apply(st, ev);
            }
            event_unref(batch[i]);
        }
        from = st->seq + 1;
    }
    if (!rc && is_cached)
        rc = OBR_ECONFLICT; /* the log is shorter than the state */
    return rc;
}

/* The cache key when the directory generation can stand for the people: the
 * meeting, its quorum settings and the generation read before any people. */
static void generation_key(const struct meeting *m, const struct body *b, uint64_t generation,
                           unsigned char key[MEETING_CACHE_KEY_SIZE])
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, MEETING_CACHE_KEY_SIZE);
    char text[64];
    snprintf(text, sizeof text, "gen %llu %d", (unsigned long long)generation, b->statutory_size);
    hash_text(&h, m->id);
    hash_text(&h, text);
    hash_text(&h, b->quorum_rule);
    crypto_generichash_final(&h, key, MEETING_CACHE_KEY_SIZE);
}

/* Takes the cached state under key and folds what is newer; NULL on a miss
 * or when the cached state no longer matches the log (then forgotten). */
static struct meeting_state *from_cache(struct db *db, const char *meeting_id,
                                        const unsigned char key[MEETING_CACHE_KEY_SIZE], int *rc)
{
    struct meeting_state *st = meeting_cache_get(meeting_id, key);
    if (!st)
        return NULL;
    *rc = fold_newer(db, &st, true);
    if (*rc == OBR_ECONFLICT) {
        *rc = 0;
        meeting_cache_forget(meeting_id);
        meeting_state_free(st);
        st = NULL;
    }
    return st;
}

int meeting_state_load(struct db *db, const struct meeting *m, const struct body *b,
                       struct meeting_state **out)
{
    unsigned char key[MEETING_CACHE_KEY_SIZE];
    return meeting_state_load_keyed(db, m, b, out, key);
}

int meeting_state_load_keyed(struct db *db, const struct meeting *m, const struct body *b,
                             struct meeting_state **out, unsigned char *key)
{
    /* The generation is read before the people: a change committed later
     * has a later generation, so a state is never kept under a generation
     * newer than its people. A read transaction may see an older snapshot
     * than the generation, so there the people themselves are the key. */
    bool is_by_generation = db_sees_latest_commits(db);
    int rc = 0;
    json_t *people = NULL;
    uint64_t generation = 0;
    /* On PostgreSQL the generation is a row every node's writes bump
     * (store/jobs.h); if it cannot be read, the people are the key. */
    if (is_by_generation && store_directory_generation(db, &generation))
        is_by_generation = false;
    if (is_by_generation) {
        generation_key(m, b, generation, key);
    } else {
        people = participants_list_json(db, m->id);
        if (!people)
            return OBR_ENOMEM;
        fold_key(m, b, people, key);
    }
    struct meeting_state *st = from_cache(db, m->id, key, &rc);
    if (!st && !rc) {
        if (!people)
            people = participants_list_json(db, m->id);
        st = people ? fresh_state(m, b, people, &rc) : NULL;
        rc = people ? rc : OBR_ENOMEM;
        if (st)
            rc = fold_newer(db, &st, false);
    }
    json_decref(people);
    if (rc) {
        diag(DIAG_ERROR, "cannot fold the log of meeting %s: %s", m->id, obr_strerror(rc));
        meeting_state_free(st);
        return rc;
    }
    /* A state of our own (fresh, or copied to fold newer events) gets its
     * people indexed before it is shared; a shared one already is. */
    if (!st->is_people_indexed && __atomic_load_n(&st->refs, __ATOMIC_ACQUIRE) == 1)
        meeting_state_index_people(st); /* ENOMEM: lookups scan */
    /* Even a state that saw its own transaction's uncommitted events is safe
     * to keep: should they roll back, the next load finds another hash (or no
     * event) at its seq and folds from scratch. */
    meeting_cache_put(key, st);
    *out = st;
    return 0;
}

enum api_err meeting_refusal_err(enum ms_refusal r)
{
    switch (r) {
    case MS_NOT_DRAFT: return ERR_MEETING_NOT_DRAFT;
    case MS_NOT_CONVENED_OR_DRAFT: return ERR_MEETING_NOT_READY;
    case MS_NOT_IN_PROGRESS: return ERR_MEETING_NOT_IN_PROGRESS;
    case MS_ALREADY_CLOSED: return ERR_MEETING_CLOSED;
    case MS_CHECK_ALREADY_OPEN: return ERR_CHECK_ALREADY_OPEN;
    case MS_NO_CHECK_OPEN: return ERR_NO_CHECK_OPEN;
    case MS_NOT_PARTICIPANT:
    case MS_NOT_MEMBER: return ERR_NOT_PARTICIPANT;
    case MS_UNKNOWN_ITEM: return ERR_UNKNOWN_ITEM;
    case MS_ALREADY_QUEUED: return ERR_ALREADY_QUEUED;
    case MS_NOT_QUEUED: return ERR_NOT_QUEUED;
    case MS_NO_SPEAKER: return ERR_NO_SPEAKER;
    case MS_UNKNOWN_MESSAGE: return ERR_UNKNOWN_MESSAGE;
    case MS_CHAT_MUTED: return ERR_CHAT_MUTED;
    default: return ERR_CONFLICT;
    }
}

void meeting_act(struct req *rq, struct meeting_ctx *c, enum ms_action a, const char *arg_id,
                 meeting_act_fn fn, void *arg, unsigned status)
{
    struct log_tx tx;
    struct db *db = req_db(rq);
    /* Locked per meeting (PostgreSQL: other meetings' acts run beside it),
     * except acts that write people or mail for the whole installation. */
    bool is_wide = a == MS_ACT_EDIT_PARTICIPANTS || a == MS_ACT_CONVENE || a == MS_ACT_CLOSE;
    if (!db || (is_wide ? log_tx_begin(&tx, db, req_hub(rq))
                        : log_tx_begin_for(&tx, db, req_hub(rq), c->m.id))) {
        reply_error(rq, ERR_UNAVAILABLE, NULL);
        return;
    }
    struct meeting_state *st = NULL;
    int rc = meeting_state_load(db, &c->m, &c->b, &st);
    if (rc) {
        log_tx_rollback(&tx);
        reply_obr_error(rq, rc);
        return;
    }
    /* The office's operator runs the room without being a participant: the
     * state knows staff by a NULL actor (e.g. answering in the chat). */
    bool is_staff_act = c->can_conduct && !c->is_participant;
    enum ms_refusal r = meeting_state_check(st, a, is_staff_act ? NULL : c->p.user.id, arg_id);
    if (r != MS_OK && !(r == MS_ALREADY_CHECKED_IN)) {
        log_tx_rollback(&tx);
        meeting_state_free(st);
        reply_error(rq, meeting_refusal_err(r), NULL);
        return;
    }
    /* Only what will be written counts (a repeated "present" is answered from
     * the state); whoever conducts the meeting is not limited. */
    if (r == MS_OK && !c->can_conduct && !write_limits_take(rq, a, c->m.id, c->p.user.id)) {
        log_tx_rollback(&tx);
        meeting_state_free(st);
        return;
    }
    json_t *reply = NULL;
    rc = r == MS_ALREADY_CHECKED_IN ? 0 : fn(rq, &tx, c, st, arg, &reply);
    if (!rc && r != MS_ALREADY_CHECKED_IN)
        rc = write_limits_check_budget(&tx, st);
    if (!rc)
        rc = log_tx_commit(&tx);
    if (rc) {
        log_tx_rollback(&tx);
        meeting_state_free(st);
        json_decref(reply);
        reply_obr_error(rq, rc);
        return;
    }
    if (!reply) {
        meeting_state_free(st);
        st = NULL;
        /* Fold again so the answer shows the action's effect. */
        if (!meeting_state_load(db, &c->m, &c->b, &st))
            reply = meeting_state_to_json(st, c->visibility, c->p.user.id);
    }
    meeting_state_free(st);
    reply_json(rq, status, reply ? reply : json_object());
}
