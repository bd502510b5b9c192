/* report_mail.c — see report_mail.h. Runs on the scheduler's thread with its
 * own connection; the deadline's ref_id is the vote, or the meeting itself
 * for its protocol. */
#include "api/report_mail.h"

#include <string.h>

#include "api/app.h"
#include "mail/mail.h"
#include "ops/scheduler.h"
#include "report/report.h"
#include "store/db.h"
#include "store/meetings.h"
#include "store/report_settings.h"
#include "store/votes.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/diag.h"

#define KIND "report_mail"

int report_mail_after_vote(struct db *db, const struct vote *v)
{
    if (strcmp(v->kind, "secret"))
        return 0;
    return deadlines_add(db, v->meeting_id, KIND, v->id, clock_now_ms());
}

int report_mail_after_meeting(struct db *db, const char *meeting_id)
{
    return deadlines_add(db, meeting_id, KIND, meeting_id, clock_now_ms());
}

/* The subject and text of the mail, in the organisation's language. */
static void words(struct buf *subject, struct buf *body, bool is_protocol, bool en,
                  const struct meeting *m, const struct body *b, const struct vote *v)
{
    char number[64] = "";
    if (m->number[0])
        snprintf(number, sizeof number, " %s %s", en ? "no." : "nr", m->number);
    if (is_protocol) {
        buf_printf(subject, en ? "Minutes of meeting%s: %s — %s" : "Protokół posiedzenia%s: %s — %s",
                   number, m->title, b->name);
        buf_printf(body,
                   en ? "The meeting%s of %s (%s) has closed. Its minutes are attached as a PDF."
                      : "Posiedzenie%s — %s (%s) zostało zamknięte. W załączeniu protokół "
                        "posiedzenia w formacie PDF.",
                   number, b->name, m->title);
    } else {
        const char *verdict = json_string_value(
            json_object_get(json_object_get(v->result, "verdict"), en ? "en" : "pl"));
        buf_printf(subject, en ? "Secret vote report: %s — %s" : "Protokół głosowania tajnego: %s — %s",
                   v->title, b->name);
        buf_printf(body,
                   en ? "The secret vote \"%s\" (meeting%s: %s) has closed. Result: %s.\n\nThe "
                        "report is attached as a PDF; it says how anyone can verify the tally."
                      : "Głosowanie tajne „%s” (posiedzenie%s: %s) zostało zamknięte. Wynik: %s."
                        "\n\nW załączeniu protokół głosowania w formacie PDF; opisuje on, jak "
                        "każdy może sprawdzić wynik.",
                   v->title, number, m->title, verdict ? verdict : "—");
    }
}

/* Queues the mail to every member of the body and every scrutiny committee
 * member (guests included); *n counts them. */
static int queue_all(struct db *db, const struct app *app, const struct report_file *f,
                     const char *lang, const char *subject, const char *body, const char *url,
                     int *n)
{
    json_t *people = participants_list_json(db, f->meeting_id);
    if (!people)
        return OBR_ENOMEM;
    struct mail_attachment pdf = {.filename = f->filename, .content_type = "application/pdf",
                                  .data = f->data, .len = f->len};
    bool en = !strcmp(lang, "en");
    size_t i;
    json_t *p;
    int rc = 0;
    *n = 0;
    json_array_foreach(people, i, p)
    {
        bool is_guest = json_is_true(json_object_get(p, "is_guest"));
        if (is_guest && !json_is_true(json_object_get(p, "is_scrutiny")))
            continue;
        const char *email = json_string_value(json_object_get(p, "email"));
        const char *name = json_string_value(json_object_get(p, "name"));
        if (!email || !*email)
            continue;
        struct buf text = BUF_INIT, html = BUF_INIT;
        rc = mail_tpl_notice(&text, &html, lang, name, body, en ? "Open the report" : "Otwórz protokół",
                             url);
        struct mail_message msg = {.to_addr = email, .to_name = name, .subject = subject,
                                   .text = buf_str(&text), .html = buf_str(&html),
                                   .attachments = &pdf, .n_attachments = 1};
        if (!rc)
            rc = outbox_enqueue(db, &app->mail, &msg, false, NULL);
        buf_free(&text);
        buf_free(&html);
        if (rc == OBR_EINVAL) { /* one malformed address must not stop the others */
            diag(DIAG_WARN, "report mail of meeting %s: a recipient was refused", f->meeting_id);
            rc = 0;
            continue;
        }
        if (rc)
            break;
        (*n)++;
    }
    json_decref(people);
    return rc;
}

static int send_report(struct db *db, struct hub *hub, void *ctx, const struct deadline *d)
{
    struct app *app = ctx;
    bool is_protocol = !strcmp(d->ref_id, d->meeting_id);
    struct meeting m;
    struct body b;
    struct org o;
    struct vote *v = calloc(1, sizeof *v);
    bool is_on = true;
    int rc = v ? meetings_get(db, d->meeting_id, &m) : OBR_ENOMEM;
    if (!rc)
        rc = bodies_get(db, m.body_id, &b);
    if (!rc)
        rc = orgs_get(db, b.org_id, &o);
    if (!rc)
        rc = report_mail_get(db, b.id, &is_on);
    if (!rc && !is_protocol)
        rc = votes_get(db, d->ref_id, v);
    struct report_file f = {0};
    if (!rc && is_on)
        rc = report_get(db, app->data_dir, app->public_url, app->secret_key,
                        is_protocol ? REPORT_PROTOCOL : REPORT_VOTE, d->ref_id, &f);
    int n = 0;
    if (!rc && is_on) {
        struct buf subject = BUF_INIT, body = BUF_INIT;
        char url[600];
        snprintf(url, sizeof url, is_protocol ? "%s/api/meetings/%s/protocol.pdf" : "%s/api/votes/%s/report.pdf",
                 app->public_url, d->ref_id);
        bool en = !strcmp(o.default_lang, "en");
        words(&subject, &body, is_protocol, en, &m, &b, v);
        rc = db_begin_write(db);
        if (!rc)
            rc = queue_all(db, app, &f, o.default_lang, buf_str(&subject), buf_str(&body), url, &n);
        if (!rc)
            rc = deadlines_done(db, d->meeting_id, d->kind, d->ref_id, clock_now_ms());
        rc = rc ? (db_rollback(db), rc) : db_commit(db);
        buf_free(&subject);
        buf_free(&body);
    } else if (!rc || rc == OBR_ENOTFOUND || rc == OBR_ECONFLICT) {
        rc = deadlines_done(db, d->meeting_id, d->kind, d->ref_id, clock_now_ms());
    }
    report_file_free(&f);
    if (v)
        vote_clear(v);
    free(v);
    if (!rc && n) {
        diag(DIAG_INFO, "%s of meeting %s mailed to %d recipients",
             is_protocol ? "protocol" : "vote report", d->meeting_id, n);
        outbox_nudge(NULL);
    }
    return rc;
}

void report_mail_register_deadlines(void)
{
    scheduler_register(KIND, send_report);
}
