/* interp_reminders.c — the 14-day answer deadline of a registered
 * interpellation, reminded: on registration a deadline (kind "interp_due",
 * meeting_id = the body, ref = the interpellation) is set three days before
 * the answer is due (at once when that is past); when it comes and the
 * interpellation is still unanswered, the organisation's staff get a mail
 * with the number, subject, member and the day due. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/app.h"
#include "api/interp.h"
#include "mail/mail.h"
#include "ops/scheduler.h"
#include "store/db.h"
#include "store/interpellations.h"
#include "store/meetings.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/diag.h"

#define KIND "interp_due"
#define REMIND_DAYS_BEFORE 3
#define REMIND_HOUR_UTC 7 /* 8:00 or 9:00 in Warsaw */

int interp_schedule_reminder(struct db *db, const char *body_id, const char *id, const char *due_on)
{
    struct tm tm = {0};
    tm.tm_year = atoi(due_on) - 1900;
    tm.tm_mon = atoi(due_on + 5) - 1;
    tm.tm_mday = atoi(due_on + 8) - REMIND_DAYS_BEFORE;
    tm.tm_hour = REMIND_HOUR_UTC;
    int64_t at = (int64_t)timegm(&tm) * 1000, now = clock_now_ms();
    return deadlines_add(db, body_id, KIND, id, at > now ? at : now);
}

static int queue_staff(struct db *db, const struct app *app, const struct body *b,
                       const struct org *o, const struct interpellation *it, int *n)
{
    json_t *staff = staff_list_json(db, o->id);
    if (!staff)
        return OBR_ENOMEM;
    bool en = !strcmp(o->default_lang, "en");
    char subject[400], url[700];
    struct buf body = BUF_INIT;
    snprintf(subject, sizeof subject,
             en ? "Answer due %s: interpellation %s" : "Termin odpowiedzi %s: interpelacja %s",
             it->due_on, it->number);
    buf_printf(&body,
               en ? "The answer to %s %s (%s, %s) of %s is due on %s (14 days after its receipt "
                    "on %s) and has not been recorded yet."
                  : "Odpowiedź na %s nr %s (%s, %s) złożoną przez: %s należy udzielić do %s "
                    "(14 dni od wpływu %s); nie została jeszcze wpisana.",
               !strcmp(it->kind, "question") ? (en ? "question" : "zapytanie")
                                             : (en ? "interpellation" : "interpelację"),
               it->number, it->subject, b->name, it->author_name, it->due_on, it->received_on);
    snprintf(url, sizeof url, "%s/bodies/%s?tab=interpellations", app->public_url, b->id);
    size_t i;
    json_t *s;
    int rc = 0;
    *n = 0;
    json_array_foreach (staff, i, s) {
        const char *email = json_string_value(json_object_get(s, "email"));
        const char *name = json_string_value(json_object_get(s, "name"));
        if (!email || !*email)
            continue;
        struct buf text = BUF_INIT, html = BUF_INIT;
        rc = mail_tpl_notice(&text, &html, o->default_lang, name, buf_str(&body),
                             en ? "Open the register" : "Otwórz rejestr", url);
        struct mail_message msg = {.to_addr = email,
                                   .to_name = name,
                                   .subject = subject,
                                   .text = buf_str(&text),
                                   .html = buf_str(&html)};
        if (!rc)
            rc = outbox_enqueue(db, &app->mail, &msg, false, NULL);
        buf_free(&text);
        buf_free(&html);
        if (rc == OBR_EINVAL) { /* one malformed address must not stop the others */
            rc = 0;
            continue;
        }
        if (rc)
            break;
        (*n)++;
    }
    buf_free(&body);
    json_decref(staff);
    return rc;
}

static int remind(struct db *db, struct hub *hub, void *ctx, const struct deadline *d)
{
    (void)hub;
    struct app *app = ctx;
    struct interpellation *it = calloc(1, sizeof *it);
    struct body b;
    struct org o;
    int rc = it ? interp_get(db, d->ref_id, it) : OBR_ENOMEM;
    if (!rc)
        rc = bodies_get(db, it->body_id, &b);
    if (!rc)
        rc = orgs_get(db, b.org_id, &o);
    int n = 0;
    if (!rc && !it->answer[0]) {
        rc = db_begin_write(db);
        if (!rc)
            rc = queue_staff(db, app, &b, &o, it, &n);
        if (!rc)
            rc = deadlines_done(db, d->meeting_id, d->kind, d->ref_id, clock_now_ms());
        rc = rc ? (db_rollback(db), rc) : db_commit(db);
    } else if (!rc || rc == OBR_ENOTFOUND) {
        rc = deadlines_done(db, d->meeting_id, d->kind, d->ref_id, clock_now_ms());
    }
    free(it);
    if (!rc && n) {
        diag(DIAG_INFO, "interpellation answer reminder mailed to %d staff", n);
        outbox_nudge(NULL);
    }
    return rc;
}

void interp_register_deadlines(void)
{
    scheduler_register(KIND, remind);
}
