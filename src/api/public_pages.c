/* public_pages.c — the server-rendered public pages: /public (upcoming and
 * recent meetings across organisations, the counters), /public/meetings/{id}
 * and /public/votes/{id}. They need no sign-in and no JavaScript; what they
 * show is the model of public_model.h rendered by report/public_html.c. A
 * private or unknown meeting is a 404 page, in the page's language. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "api/audio_index.h"
#include "api/handlers.h"
#include "api/public_model.h"
#include "report/public_html.h"
#include "log/event.h"
#include "media/audio_channel.h"
#include "media/audio_marks.h"
#include "store/db.h"
#include "store/public.h"
#include "util/buf.h"
#include "util/html.h"

#define HOME_LIST 20
#define OFFSET_MAX 100000

static void reply_page(struct req *rq, unsigned status, struct buf *b)
{
    size_t len = b->len;
    char *data = buf_take(b);
    if (!data) {
        reply_error(rq, ERR_INTERNAL, NULL);
        return;
    }
    reply_header(rq, "Cache-Control", "no-cache");
    reply_header(rq, "Vary", "Accept-Language");
    reply_bytes(rq, status, "text/html; charset=utf-8", data, len);
}

/* A page saying what went wrong (404 not found, 409 not closed yet, 503). */
static void reply_problem(struct req *rq, unsigned status, const char *lang)
{
    bool is_en = !strcmp(lang, "en");
    const char *heading, *text;
    if (status == 404) {
        heading = is_en ? "Page not found" : "Nie znaleziono strony";
        text = is_en ? "There is no such public meeting or vote. It may be private or not "
                       "published yet."
                     : "Nie ma takiego jawnego posiedzenia ani głosowania. Może być niejawne "
                       "albo jeszcze nieopublikowane.";
    } else if (status == 409) {
        heading = is_en ? "The vote is not over" : "Głosowanie jeszcze trwa";
        text = is_en ? "Its result will be published when it closes."
                     : "Wynik zostanie opublikowany po zamknięciu głosowania.";
    } else {
        heading = is_en ? "Temporarily unavailable" : "Chwilowo niedostępne";
        text = is_en ? "Please try again in a moment." : "Spróbuj ponownie za chwilę.";
    }
    const struct html_page page = {
        .lang = lang, .title = heading, .alt_href = is_en ? "?lang=pl" : "?lang=en"};
    struct buf b = BUF_INIT;
    html_page_begin(&b, &page);
    html_el(&b, "h1", NULL, heading);
    html_el(&b, "p", NULL, text);
    buf_puts(&b, "<p>");
    html_link(&b, "/public", NULL, is_en ? "Public meetings" : "Posiedzenia publiczne");
    buf_puts(&b, "</p>\n");
    html_page_end(&b, &page);
    if (status == 503)
        reply_header(rq, "Retry-After", "5");
    reply_page(rq, status, &b);
}

static unsigned status_of(int rc)
{
    return rc == OBR_ENOTFOUND ? 404 : rc == OBR_ECONFLICT ? 409 : 503;
}

void api_public_home(struct req *rq)
{
    const char *lang = pub_lang(rq);
    const char *q = req_query(rq, "offset");
    int offset = 0;
    if (q) {
        char *end;
        long v = strtol(q, &end, 10);
        if (*q && !*end && v >= 0 && v <= OFFSET_MAX)
            offset = (int)v; /* a bad offset shows the first page */
    }
    struct db *db = req_db(rq);
    int64_t n_upcoming = 0, n_recent = 0;
    json_t *upcoming =
        db ? public_meetings_json(db, PUBLIC_UPCOMING, HOME_LIST, 0, &n_upcoming) : NULL;
    json_t *recent =
        db ? public_meetings_json(db, PUBLIC_RECENT, HOME_LIST, offset, &n_recent) : NULL;
    json_t *stats = db ? api_public_stats_json(db) : NULL;
    if (!upcoming || !recent || !stats) {
        json_decref(upcoming);
        json_decref(recent);
        json_decref(stats);
        reply_problem(rq, 503, lang);
        return;
    }
    struct buf b = BUF_INIT;
    public_html_home(&b, upcoming, recent, stats, offset, offset + HOME_LIST < n_recent, lang);
    json_decref(upcoming);
    json_decref(recent);
    json_decref(stats);
    reply_page(rq, 200, &b);
}

/* #14: "listen from this item" on each agenda item the recording covers: a
 * link to the player page at the item's offset (listen_url, listen_at). */
static void add_listen_links(struct req *rq, struct db *db, const char *meeting_id, json_t *x)
{
    char path[700];
    if (!audio_recording_path(((struct app *)req_app(rq))->data_dir, meeting_id, path, sizeof path))
        return;
    json_t *offsets = audio_item_offsets(db, meeting_id, EVENT_PUBLIC);
    size_t i;
    json_t *it;
    json_array_foreach (json_object_get(x, "agenda"), i, it) {
        const char *id = json_string_value(json_object_get(it, "id"));
        json_t *off = id && offsets ? json_object_get(offsets, id) : NULL;
        if (!off)
            continue;
        char url[200], at[32];
        json_int_t ms = json_integer_value(off);
        snprintf(url, sizeof url, "/meetings/%s/listen?t=%lld", meeting_id, (long long)(ms / 1000));
        audio_offset_text(at, sizeof at, ms);
        json_object_set_new(it, "listen_url", json_string(url));
        json_object_set_new(it, "listen_at", json_string(at));
    }
    json_decref(offsets);
}

void api_public_meeting_page(struct req *rq)
{
    const char *lang = pub_lang(rq);
    struct db *db = req_db(rq);
    struct pub_meeting pm;
    int rc = db ? pub_meeting_find(db, req_param(rq, "id"), true, &pm) : OBR_EBUSY;
    json_t *x = rc ? NULL : pub_meeting_json(db, &pm, "");
    if (!x) {
        reply_problem(rq, status_of(rc ? rc : OBR_EBUSY), lang);
        return;
    }
    add_listen_links(rq, db, pm.m.id, x);
    struct buf b = BUF_INIT;
    public_html_meeting(&b, x, lang);
    json_decref(x);
    reply_page(rq, 200, &b);
}

void api_public_vote_page(struct req *rq)
{
    const char *lang = pub_lang(rq);
    struct db *db = req_db(rq);
    struct pub_meeting pm;
    struct vote v;
    int rc = db ? pub_vote_find(db, req_param(rq, "id"), &v, &pm) : OBR_EBUSY;
    if (rc) {
        reply_problem(rq, status_of(rc), lang);
        return;
    }
    json_t *j = pub_vote_json(&v, "");
    json_t *m = pub_meeting_summary_json(&pm, "");
    vote_clear(&v);
    if (!j || !m) {
        json_decref(j);
        json_decref(m);
        reply_problem(rq, 503, lang);
        return;
    }
    struct buf b = BUF_INIT;
    public_html_vote(&b, j, m, false, lang);
    json_decref(j);
    json_decref(m);
    reply_page(rq, 200, &b);
}
