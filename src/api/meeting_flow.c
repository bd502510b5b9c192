/* meeting_flow.c — convening a meeting: every participant gets an invitation
 * with the agenda, links to the documents, an iCalendar invitation and a
 * personal access link (university regulation: the random access address is
 * sent by e-mail); a reminder N days before when convened earlier; notices
 * when the meeting changes after convening. */
#include <stdlib.h>
#include <string.h>

#include "api/access.h"
#include "api/app.h"
#include "api/handlers.h"
#include "api/meeting_ctx.h"
#include "api/meeting_flow.h"
#include "api/sms_notices.h"
#include "mail/ics.h"
#include "mail/invitations.h"
#include "mail/sms.h"
#include "mail/mail.h"
#include "ops/scheduler.h"
#include "store/db.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/diag.h"

#define DAY_MS (24LL * 3600 * 1000)
#define NOTICE_DAYS 7 /* invitations with agenda and materials 7 days ahead (UWr regulation) */
#define MEETING_LENGTH_MS (3LL * 3600 * 1000) /* for calendars: the end is not known */

/* Everything an invitation points into, kept alive while mails are built. */
struct invitation_data {
    struct invitation inv;
    struct org org;
    json_t *agenda;
    struct invitation_item *items;
    struct invitation_document *docs;
    char **urls;
    size_t n_urls;
};

static enum invitation_mode mode_of(const char *mode)
{
    return !strcmp(mode, "remote") ? INVITATION_REMOTE
           : !strcmp(mode, "hybrid") ? INVITATION_HYBRID
                                     : INVITATION_IN_PERSON;
}

static void invitation_data_free(struct invitation_data *d)
{
    json_decref(d->agenda);
    free(d->items);
    free(d->docs);
    for (size_t i = 0; i < d->n_urls; i++)
        free(d->urls[i]);
    free(d->urls);
}

static int invitation_data_load(struct db *db, const struct app *app, const struct meeting *m,
                                const struct body *b, struct invitation_data *d)
{
    memset(d, 0, sizeof *d);
    int rc = orgs_get(db, b->org_id, &d->org);
    if (rc)
        return rc;
    d->agenda = agenda_list_json(db, m->id);
    size_t n_items = json_array_size(d->agenda), n_docs = 0, i, k;
    json_t *item, *doc;
    json_array_foreach(d->agenda, i, item) n_docs += json_array_size(json_object_get(item, "documents"));
    d->items = calloc(n_items ? n_items : 1, sizeof *d->items);
    d->docs = calloc(n_docs ? n_docs : 1, sizeof *d->docs);
    d->urls = calloc(n_docs ? n_docs : 1, sizeof *d->urls);
    if (!d->agenda || !d->items || !d->docs || !d->urls)
        return OBR_ENOMEM;
    size_t di = 0;
    json_array_foreach(d->agenda, i, item)
    {
        struct invitation_item *it = &d->items[i];
        it->title = json_string_value(json_object_get(item, "title"));
        it->description = json_string_value(json_object_get(item, "description"));
        it->documents = &d->docs[di];
        json_array_foreach(json_object_get(item, "documents"), k, doc)
        {
            struct buf url = BUF_INIT;
            buf_printf(&url, "%s/api/documents/%s", app->public_url,
                       json_string_value(json_object_get(doc, "id")));
            d->urls[d->n_urls] = buf_take(&url);
            d->docs[di].name = json_string_value(json_object_get(doc, "filename"));
            d->docs[di].url = d->urls[d->n_urls++];
            di++;
            it->n_documents++;
        }
    }
    d->inv = (struct invitation){
        .org_name = d->org.name, .body_name = b->name, .number = m->number, .title = m->title,
        .starts_at_ms = m->starts_at_ms, .time_zone = d->org.time_zone, .place = m->place,
        .mode = mode_of(m->mode), .broadcast_url = m->broadcast_url, .items = d->items,
        .n_items = n_items, .has_calendar = true,
    };
    return 0;
}

enum letter { LETTER_INVITATION, LETTER_REMINDER, LETTER_CHANGED };

/* Queues one letter to one participant, with a fresh personal access link
 * and the calendar invitation. */
static int send_letter(struct db *db, const struct app *app, struct invitation_data *d,
                       const struct meeting *m, json_t *person, enum letter kind,
                       int sequence, const char *const *changes, size_t n_changes)
{
    const char *user_id = json_string_value(json_object_get(person, "user_id"));
    const char *email = json_string_value(json_object_get(person, "email"));
    const char *name = json_string_value(json_object_get(person, "name"));
    const char *lang = d->org.default_lang;
    char token[TOKEN_LINK_LEN + 1], access_url[400];
    int rc = access_link_new(db, app->secret_key, m->id, user_id, token);
    if (rc)
        return rc;
    snprintf(access_url, sizeof access_url, "%s/m/%s", app->public_url, token);
    d->inv.access_url = access_url;
    d->inv.recipient_name = name;
    struct buf subject = BUF_INIT, text = BUF_INIT, html = BUF_INIT, summary = BUF_INIT,
               description = BUF_INIT;
    int days = (int)((m->starts_at_ms - clock_now_ms() + DAY_MS / 2) / DAY_MS);
    if (kind == LETTER_INVITATION)
        rc = mail_tpl_invitation(&subject, &text, &html, &d->inv, lang);
    else if (kind == LETTER_REMINDER)
        rc = mail_tpl_reminder(&subject, &text, &html, &d->inv, lang, days < 1 ? 1 : days);
    else
        rc = mail_tpl_meeting_changed(&subject, &text, &html, &d->inv, lang, changes, n_changes);
    struct ics_event ev = {0};
    char uid[128], from[EMAIL_SIZE];
    char *ics = NULL;
    size_t ics_len = 0;
    if (!rc)
        rc = mail_tpl_invitation_ics(&ev, &summary, &description, &d->inv, lang);
    if (!rc && !ics_meeting_uid(m->id, uid, sizeof uid) &&
        !mail_address_of(app->mail.from, from, sizeof from)) {
        ev.uid = uid;
        ev.sequence = sequence;
        ev.start_ms = m->starts_at_ms;
        ev.end_ms = m->starts_at_ms + MEETING_LENGTH_MS;
        ev.stamp_ms = clock_now_ms();
        ev.organizer_name = d->org.name;
        ev.organizer_email = from;
        ev.attendee_name = name;
        ev.attendee_email = email;
        ics = ics_build(&ev, &ics_len);
    }
    /* The calendar both ways: inline (clients offer "accept") and as the
     * attached file the text speaks of (clients that show no inline part). */
    struct mail_attachment cal[2] = {
        {.filename = "posiedzenie.ics", .content_type = ics_content_type(false), .data = ics,
         .len = ics_len, .is_inline_calendar = true},
        {.filename = "posiedzenie.ics", .content_type = "text/calendar; charset=utf-8",
         .data = ics, .len = ics_len},
    };
    struct mail_message msg = {.to_addr = email, .to_name = name, .subject = buf_str(&subject),
                               .text = buf_str(&text), .html = buf_str(&html),
                               .attachments = ics ? cal : NULL, .n_attachments = ics ? 2 : 0};
    if (!rc)
        rc = outbox_enqueue(db, &app->mail, &msg, false, NULL);
    free(ics);
    buf_free(&subject);
    buf_free(&text);
    buf_free(&html);
    buf_free(&summary);
    buf_free(&description);
    return rc;
}

/* Sends kind to every participant; *n_sent counts them. */
static int send_to_all(struct db *db, const struct app *app, const struct meeting *m,
                       const struct body *b, enum letter kind, int sequence,
                       const char *const *changes, size_t n_changes, int *n_sent)
{
    struct invitation_data d;
    int rc = invitation_data_load(db, app, m, b, &d);
    json_t *people = rc ? NULL : participants_list_json(db, m->id);
    size_t i;
    json_t *person;
    *n_sent = 0;
    json_array_foreach(people, i, person)
    {
        if (rc)
            break;
        rc = send_letter(db, app, &d, m, person, kind, sequence, changes, n_changes);
        *n_sent += !rc;
    }
    json_decref(people);
    invitation_data_free(&d);
    return rc;
}

int meeting_reschedule_reminder(struct db *db, const struct meeting *m)
{
    int64_t now = clock_now_ms();
    int rc = deadlines_done(db, m->id, "reminder", m->id, now);
    int64_t remind_at = m->starts_at_ms - (int64_t)m->reminder_days * DAY_MS;
    /* Remind only when convened well before the reminder day (regulation: 7 days ahead). */
    if (!rc && m->reminder_days > 0 && remind_at > now + 3600 * 1000)
        rc = deadlines_add(db, m->id, "reminder", m->id, remind_at);
    if (!rc)
        rc = sms_reschedule_start(db, m);
    return rc;
}

static int append_convene(struct req *rq, struct log_tx *tx, struct meeting_ctx *c,
                          const struct meeting_state *st, void *arg, json_t **reply)
{
    struct app *app = req_app(rq);
    int n = 0;
    int rc = send_to_all(tx->db, app, &c->m, &c->b, LETTER_INVITATION, 0, NULL, 0, &n);
    int64_t now = clock_now_ms();
    if (!rc)
        rc = meetings_set_status(tx->db, c->m.id, "convened", now);
    if (!rc)
        rc = meeting_reschedule_reminder(tx->db, &c->m);
    if (!rc)
        rc = sms_notice_convened(tx->db, &c->m, &c->b);
    /* The regulation's notice: invitations 7 days ahead. A shorter notice is
     * allowed (the console asks first) and recorded. */
    int64_t notice_days = (c->m.starts_at_ms - now) / DAY_MS;
    json_t *j = json_pack("{s:i, s:I, s:b}", "invited", n, "notice_days",
                          (json_int_t)(notice_days < 0 ? 0 : notice_days), "is_short_notice",
                          c->m.starts_at_ms - now < NOTICE_DAYS * DAY_MS);
    if (!rc)
        rc = log_append(tx, c->m.id, c->p.user.id, "meeting.convened", j, EVENT_PUBLIC, NULL);
    *reply = j;
    return rc;
}

void api_meeting_convene(struct req *rq)
{
    struct meeting_ctx c;
    if (meeting_ctx_load(rq, &c, false) < 0 ||
        perm_require(rq, &c.p, ACT_MEETING_PREPARE, c.m.org_id, c.m.body_id) < 0)
        return;
    meeting_act(rq, &c, MS_ACT_CONVENE, NULL, append_convene, NULL, 200);
    outbox_nudge(NULL);
    sms_nudge();
    scheduler_nudge();
}

/* One line per changed field, in the organisation's language. */
static size_t change_lines(const struct meeting *m, json_t *changes, bool is_pl, char lines[][1100])
{
    size_t n = 0;
    const char *key;
    json_t *v;
    json_object_foreach(changes, key, v)
    {
        if (!strcmp(key, "starts_at")) {
            struct invitation_local_time t;
            invitation_local_time(m->starts_at_ms, NULL, &t);
            snprintf(lines[n++], 1100, "%s: %04d-%02d-%02d %02d:%02d %s",
                     is_pl ? "Nowy termin" : "New date and time", t.year, t.month, t.day, t.hour,
                     t.minute, t.abbr);
        } else if (!strcmp(key, "place")) {
            snprintf(lines[n++], 1100, "%s: %s", is_pl ? "Nowe miejsce" : "New place", m->place);
        } else if (!strcmp(key, "title")) {
            snprintf(lines[n++], 1100, "%s: %s", is_pl ? "Nowy tytuł" : "New title", m->title);
        } else if (!strcmp(key, "mode")) {
            snprintf(lines[n++], 1100, "%s", is_pl ? "Zmieniono formę posiedzenia" : "The form of the meeting changed");
        } else if (!strcmp(key, "broadcast_url")) {
            snprintf(lines[n++], 1100, "%s: %s", is_pl ? "Nowy link do transmisji" : "New broadcast link",
                     m->broadcast_url);
        } else if (!strcmp(key, "help_phone")) {
            snprintf(lines[n++], 1100, "%s: %s",
                     is_pl ? "Telefon do biura w czasie sesji" : "Office phone during the session",
                     m->help_phone[0] ? m->help_phone : m->body_help_phone);
        }
        if (n == 8)
            break;
    }
    return n;
}

int meeting_notify_change(struct req *rq, struct db *db, const struct meeting *m,
                          const struct body *b, json_t *changes)
{
    struct app *app = req_app(rq);
    struct org o;
    int rc = orgs_get(db, b->org_id, &o);
    if (rc)
        return rc;
    char lines[8][1100];
    const char *ptrs[8];
    size_t n = change_lines(m, changes, !strcmp(o.default_lang, "pl"), lines);
    if (!n)
        return 0;
    for (size_t i = 0; i < n; i++)
        ptrs[i] = lines[i];
    int64_t head;
    char hash[EVENT_HASH_HEX + 1];
    log_head(db, m->id, &head, hash);
    int sent;
    return send_to_all(db, app, m, b, LETTER_CHANGED, (int)head, ptrs, n, &sent);
}

static int send_reminder(struct db *db, struct hub *hub, void *ctx, const struct deadline *d)
{
    struct app *app = ctx;
    struct meeting m;
    struct body b;
    int rc = db_begin_write(db);
    if (rc)
        return rc;
    rc = meetings_get(db, d->meeting_id, &m);
    if (!rc)
        rc = bodies_get(db, m.body_id, &b);
    int sent = 0;
    if (!rc && !strcmp(m.status, "convened") && !m.reminder_sent_ms) {
        rc = send_to_all(db, app, &m, &b, LETTER_REMINDER, 0, NULL, 0, &sent);
        if (!rc)
            rc = meetings_set_reminder_sent(db, m.id, clock_now_ms());
    }
    if (!rc || rc == OBR_ENOTFOUND)
        rc = deadlines_done(db, d->meeting_id, d->kind, d->ref_id, clock_now_ms());
    rc = rc ? (db_rollback(db), rc) : db_commit(db);
    if (!rc && sent) {
        diag(DIAG_INFO, "reminders for meeting %s queued for %d participants", d->meeting_id, sent);
        outbox_nudge(NULL);
    }
    return rc;
}

void meeting_flow_register_deadlines(void)
{
    scheduler_register("reminder", send_reminder);
    sms_register_deadlines();
}
