/* sms.c — SMS notices (issue 17, item 5): the texts, in each recipient's
 * language (their account's, which starts as the organisation's), of a meeting convened, a meeting starting in 15 minutes and a
 * vote opened, queued per participant who opted in (store/sms.h decides that
 * in SQL), the "starts soon" deadline, and /api/me/sms where a person keeps
 * their number (E.164) and opts in or out. */
#include "api/sms_notices.h"

#include <stdio.h>
#include <string.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/handlers.h"
#include "mail/invitations.h"
#include "mail/sms.h"
#include "ops/scheduler.h"
#include "store/db.h"
#include "store/directory.h"
#include "store/sms.h"
#include "util/clock.h"
#include "util/diag.h"
#include "util/err.h"

#define SOON_MS (15 * 60 * 1000)
#define TITLE_MAX 120 /* bytes of a title inside an SMS */

enum notice { CONVENED, STARTS_SOON, VOTE_OPENED };

/* Copies s, cut at a character boundary to at most max bytes ("…" added). */
static void short_title(char *out, size_t size, const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max) {
        snprintf(out, size, "%s", s);
        return;
    }
    while (n > 0 && (n > max || ((unsigned char)s[n] & 0xC0) == 0x80))
        n--;
    snprintf(out, size, "%.*s…", (int)n, s);
}

static void render(char *out, size_t size, enum notice k, bool is_en, const struct org *o,
                   const struct meeting *m, const struct body *b, const char *vote_title)
{
    struct invitation_local_time t;
    invitation_local_time(m->starts_at_ms, o->time_zone[0] ? o->time_zone : NULL, &t);
    char title[TITLE_MAX + 8], body[TITLE_MAX + 8], vote[TITLE_MAX + 8];
    short_title(title, sizeof title, m->title, TITLE_MAX);
    short_title(body, sizeof body, b ? b->name : "", TITLE_MAX);
    short_title(vote, sizeof vote, vote_title ? vote_title : "", TITLE_MAX);
    if (k == CONVENED && is_en)
        snprintf(out, size, "obrady: %s convened the meeting \"%s\" for %04d-%02d-%02d %02d:%02d.",
                 body, title, t.year, t.month, t.day, t.hour, t.minute);
    else if (k == CONVENED)
        snprintf(out, size,
                 "obrady: %s – zwołano posiedzenie „%s” na %02d.%02d.%04d, godz. %02d:%02d.", body,
                 title, t.day, t.month, t.year, t.hour, t.minute);
    else if (k == STARTS_SOON && is_en)
        snprintf(out, size, "obrady: the meeting \"%s\" starts at %02d:%02d.", title, t.hour,
                 t.minute);
    else if (k == STARTS_SOON)
        snprintf(out, size, "obrady: posiedzenie „%s” zaczyna się o godz. %02d:%02d.", title,
                 t.hour, t.minute);
    else if (is_en)
        snprintf(out, size, "obrady: the vote \"%s\" is open (meeting \"%s\").", vote, title);
    else
        snprintf(out, size, "obrady: otwarto głosowanie „%s” (posiedzenie „%s”).", vote, title);
}

/* Queues notice k to every user id in people (strings, or objects with user_id). */
static int queue_all(struct db *db, enum notice k, const char *kind, const char *ref,
                     const struct meeting *m, const struct body *b_in, const char *vote_title,
                     json_t *people)
{
    if (!sms_is_enabled())
        return 0;
    struct body b;
    struct org o;
    int rc = b_in ? 0 : bodies_get(db, m->body_id, &b);
    const struct body *bp = b_in ? b_in : &b;
    if (!rc)
        rc = orgs_get(db, bp->org_id, &o);
    if (rc)
        return rc;
    char text_pl[SMS_TEXT_MAX + 1], text_en[SMS_TEXT_MAX + 1];
    render(text_pl, sizeof text_pl, k, false, &o, m, bp, vote_title);
    render(text_en, sizeof text_en, k, true, &o, m, bp, vote_title);
    size_t i;
    json_t *p;
    int n = 0;
    json_array_foreach (people, i, p) {
        const char *uid = json_is_string(p) ? json_string_value(p)
                                            : json_string_value(json_object_get(p, "user_id"));
        bool queued = false;
        if (uid && (rc = sms_outbox_add(db, uid, kind, ref, text_pl, text_en, &queued)) != 0)
            return rc;
        n += queued;
    }
    if (n)
        diag(DIAG_INFO, "sms %s for %s queued for %d people", kind, ref, n);
    return 0;
}

int sms_notice_convened(struct db *db, const struct meeting *m, const struct body *b)
{
    if (!sms_is_enabled())
        return 0;
    json_t *people = participants_list_json(db, m->id);
    int rc = people ? queue_all(db, CONVENED, "convened", m->id, m, b, NULL, people) : OBR_EDB;
    json_decref(people);
    return rc;
}

int sms_notice_vote_opened(struct db *db, const struct meeting *m, const char *vote_id,
                           const char *vote_title, json_t *eligible)
{
    return queue_all(db, VOTE_OPENED, "vote_opened", vote_id, m, NULL, vote_title, eligible);
}

int sms_reschedule_start(struct db *db, const struct meeting *m)
{
    int64_t now = clock_now_ms();
    int rc = deadlines_done(db, m->id, "sms_start", m->id, now);
    if (!rc && m->starts_at_ms > now) {
        int64_t at = m->starts_at_ms - SOON_MS;
        rc = deadlines_add(db, m->id, "sms_start", m->id, at > now ? at : now);
    }
    return rc;
}

/* The deadline: the start is near; one SMS per participant per start time. */
static int run_start(struct db *db, struct hub *hub, void *ctx, const struct deadline *d)
{
    (void)hub, (void)ctx;
    struct meeting m;
    int rc = db_begin_write(db);
    if (rc)
        return rc;
    rc = meetings_get(db, d->meeting_id, &m);
    json_t *people = NULL;
    if (!rc && !strcmp(m.status, "convened") && m.starts_at_ms > clock_now_ms() - SOON_MS) {
        char ref[64];
        snprintf(ref, sizeof ref, "%s@%lld", m.id, (long long)m.starts_at_ms);
        people = participants_list_json(db, m.id);
        rc = people ? queue_all(db, STARTS_SOON, "starts_soon", ref, &m, NULL, NULL, people)
                    : OBR_EDB;
    }
    json_decref(people);
    if (!rc || rc == OBR_ENOTFOUND)
        rc = deadlines_done(db, d->meeting_id, d->kind, d->ref_id, clock_now_ms());
    rc = rc ? (db_rollback(db), rc) : db_commit(db);
    if (!rc)
        sms_nudge();
    return rc;
}

void sms_register_deadlines(void)
{
    scheduler_register("sms_start", run_start);
}

/* ---- /api/me/sms ---- */

static json_t *prefs_json(const char *phone, bool is_opted_in)
{
    return json_pack("{s:s, s:b, s:b}", "phone", phone, "is_opted_in", is_opted_in, "is_available",
                     sms_is_enabled());
}

void api_me_sms(struct req *rq)
{
    struct principal p;
    if (principal_require(rq, &p) < 0)
        return;
    char phone[SMS_PHONE_SIZE];
    bool is_in;
    int rc = sms_prefs_get(req_db(rq), p.user.id, phone, &is_in);
    if (rc) {
        reply_obr_error(rq, rc);
        return;
    }
    reply_json(rq, 200, prefs_json(phone, is_in));
}

void api_me_sms_set(struct req *rq)
{
    const char *phone = NULL;
    bool is_in = false;
    const struct jfield spec[] = {
        {"phone", JF_STRING, true, 0, 32, &phone, NULL},
        {"is_opted_in", JF_BOOL, true, 0, 0, &is_in, NULL},
        {NULL},
    };
    struct principal p;
    if (principal_require(rq, &p) < 0 || req_parse_json(rq, spec) < 0)
        return;
    /* Spaces and dashes as people type them ("+48 601-234-567") are dropped. */
    char clean[40];
    size_t n = 0;
    for (const char *s = phone; *s && n < sizeof clean - 1; s++)
        if (*s != ' ' && *s != '-')
            clean[n++] = *s;
    clean[n] = 0;
    if ((clean[0] || is_in) && !sms_phone_is_valid(clean)) {
        reply_error(rq, ERR_OUT_OF_RANGE, "phone");
        return;
    }
    int rc = sms_prefs_set(req_db(rq), p.user.id, clean, is_in);
    if (rc) {
        reply_obr_error(rq, rc);
        return;
    }
    reply_json(rq, 200, prefs_json(clean, is_in));
}
