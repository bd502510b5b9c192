/* demo_play.c — the demo's meetings, made through the server's own HTTP API
 * (libcurl on the listening address) so they pass every check a real client
 * passes: a finished session with an open vote and a secret election (ballots
 * encrypted here with the C evote library, tallied by the server trustee),
 * and an upcoming convened one with agenda and documents. Sessions are made
 * directly in the store for the people acting and deleted afterwards. */
#include "ops/demo_play.h"

#include <cairo-pdf.h>
#include <curl/curl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "crypto/evote.h"
#include "crypto/tokens.h"
#include "store/auth.h"
#include "store/db.h"
#include "store/directory.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/diag.h"

#define HOUR_MS (3600LL * 1000)
#define DAY_MS (24 * HOUR_MS)
#define MAX_ACTORS 20

struct actor {
    char user_id[ID_SIZE];
    char session_id[ID_SIZE];
    char cookie[TOKEN_SESSION_LEN + 40];
    unsigned char voter_sk[crypto_sign_SECRETKEYBYTES]; /* the voting key (spec v2) */
};

struct play {
    CURL *curl;
    const char *base;   /* where to connect: the listening address */
    const char *origin; /* the server's own origin, for CSRF */
    struct db *db;
    struct actor actors[MAX_ACTORS];
    int n_actors;
    int failed; /* the first failure, sticky */
};

static size_t on_body(char *data, size_t size, size_t n, void *ctx)
{
    buf_append(ctx, data, size * n);
    return size * n;
}

/* One request as actor a; the JSON answer (caller decrefs) or NULL, which
 * also marks the play failed. body is JSON unless ctype says otherwise. */
static json_t *call(struct play *p, const struct actor *a, const char *method, const char *path,
                    const char *ctype, const char *extra_header, const void *body, size_t len)
{
    if (p->failed)
        return NULL;
    struct buf url = BUF_INIT, resp = BUF_INIT, origin = BUF_INIT;
    buf_printf(&url, "%s%s", p->base, path);
    buf_printf(&origin, "Origin: %s", p->origin);
    struct curl_slist *h = curl_slist_append(NULL, buf_str(&origin));
    char ct[120];
    snprintf(ct, sizeof ct, "Content-Type: %s", ctype ? ctype : "application/json");
    if (body)
        h = curl_slist_append(h, ct);
    if (extra_header)
        h = curl_slist_append(h, extra_header);
    CURL *c = p->curl;
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, buf_str(&url));
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_COOKIE, a->cookie);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &resp);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
    /* Our own certificate on our own loopback address. */
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    }
    long status = 0;
    CURLcode cr = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    json_t *out = NULL;
    if (cr != CURLE_OK || status < 200 || status > 299) {
        diag(DIAG_ERROR, "demo: %s %s answered %ld %s", method, path, status,
             cr != CURLE_OK ? curl_easy_strerror(cr) : buf_str(&resp));
        p->failed = OBR_EIO;
    } else {
        out = resp.len ? json_loads(buf_str(&resp), 0, NULL) : json_object();
        if (!out)
            p->failed = OBR_EIO;
    }
    buf_free(&url);
    buf_free(&resp);
    buf_free(&origin);
    return out;
}

/* POST of a JSON value (stolen); the answer as call(). */
static json_t *post(struct play *p, const struct actor *a, const char *path, json_t *body)
{
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    json_t *r = call(p, a, "POST", path, NULL, NULL, text ? text : "{}", text ? strlen(text) : 2);
    free(text);
    return r;
}

/* post() keeping only the id named key of the answer in out. */
static void post_key(struct play *p, const struct actor *a, const char *path, json_t *body,
                     const char *key, char out[ID_SIZE])
{
    json_t *r = post(p, a, path, body);
    snprintf(out, ID_SIZE, "%s", r ? json_string_value(json_object_get(r, key)) ?: "" : "");
    json_decref(r);
}

static void post_id(struct play *p, const struct actor *a, const char *path, json_t *body,
                    char out[ID_SIZE])
{
    post_key(p, a, path, body, "id", out);
}

static void post_ok(struct play *p, const struct actor *a, const char *path, json_t *body)
{
    json_decref(post(p, a, path, body));
}

static struct actor *actor_new(struct play *p, const unsigned char key[TOKEN_KEY_BYTES],
                               const char *email)
{
    struct user u;
    if (p->n_actors == MAX_ACTORS || users_get_by_email(p->db, email, &u)) {
        p->failed = OBR_ENOTFOUND;
        return NULL;
    }
    struct actor *a = &p->actors[p->n_actors];
    char token[TOKEN_SESSION_LEN + 1], hash[TOKEN_HASH_HEX + 1];
    token_new_session(token);
    token_hash(key, token, hash);
    if (sessions_create(p->db, hash, u.id, false, clock_now_ms() + HOUR_MS, "obrady demo",
                        "127.0.0.1", a->session_id)) {
        p->failed = OBR_EIO;
        return NULL;
    }
    snprintf(a->user_id, sizeof a->user_id, "%s", u.id);
    snprintf(a->cookie, sizeof a->cookie, "obrady_session=%s", token);
    sodium_memzero(token, sizeof token);
    p->n_actors++;
    return a;
}

static cairo_status_t on_pdf(void *ctx, const unsigned char *data, unsigned int len)
{
    buf_append(ctx, data, len);
    return CAIRO_STATUS_SUCCESS;
}

/* A one-page A4 PDF with a title and lines of text, into out. */
static void small_pdf(struct buf *out, const char *title, const char *const *lines)
{
    cairo_surface_t *s = cairo_pdf_surface_create_for_stream(on_pdf, out, 595, 842);
    cairo_t *cr = cairo_create(s);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
    cairo_set_font_size(cr, 16);
    cairo_move_to(cr, 60, 90);
    cairo_show_text(cr, title);
    cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, 11);
    for (int i = 0; lines[i]; i++) {
        cairo_move_to(cr, 60, 130 + 20 * i);
        cairo_show_text(cr, lines[i]);
    }
    cairo_destroy(cr);
    cairo_surface_finish(s);
    cairo_surface_destroy(s);
}

static void upload_pdf(struct play *p, const struct actor *op, const char *meeting_id,
                       const char *item_id, bool is_draft, const char *filename, const char *title,
                       const char *const *lines)
{
    struct buf pdf = BUF_INIT, path = BUF_INIT;
    small_pdf(&pdf, title, lines);
    buf_printf(&path, "/api/meetings/%s/documents?item=%s&draft_resolution=%d", meeting_id, item_id,
               is_draft ? 1 : 0);
    char *name = curl_easy_escape(p->curl, filename, 0);
    struct buf hdr = BUF_INIT;
    buf_printf(&hdr, "X-Filename: %s", name ? name : "dokument.pdf");
    json_decref(
        call(p, op, "POST", buf_str(&path), "application/pdf", buf_str(&hdr), pdf.p, pdf.len));
    curl_free(name);
    buf_free(&hdr);
    buf_free(&pdf);
    buf_free(&path);
}

struct demo_item {
    const char *title, *description, *document;
    bool is_draft;
};

/* Creates a meeting with its agenda; item ids into items_out. */
static void make_meeting(struct play *p, const struct actor *op, const char *body_id,
                         const char *number, const char *title, int64_t starts_ms,
                         const struct demo_item *items, int n, char meeting_out[ID_SIZE],
                         char (*items_out)[ID_SIZE])
{
    char starts[40], path[120];
    clock_format_rfc3339(starts_ms, starts, sizeof starts);
    snprintf(path, sizeof path, "/api/bodies/%s/meetings", body_id);
    post_id(p, op, path,
            json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:s, s:s}", "number", number, "title", title,
                      "starts_at", starts, "mode", "hybrid", "place",
                      "Sala sesyjna Urzędu Gminy Przykładowo", "public", 1, "broadcast_url",
                      "https://transmisja.przykladowo.example/sesja", "help_phone",
                      "+48 12 345 67 89"),
            meeting_out);
    snprintf(path, sizeof path, "/api/meetings/%s/agenda", meeting_out);
    for (int i = 0; i < n; i++) {
        post_key(
            p, op, path,
            json_pack("{s:s, s:s}", "title", items[i].title, "description", items[i].description),
            "item_id", items_out[i]);
        if (items[i].document) {
            const char *lines[] = {items[i].title, "", items[i].description, NULL};
            upload_pdf(p, op, meeting_out, items_out[i], items[i].is_draft, items[i].document,
                       items[i].is_draft ? "Projekt uchwały" : "Materiał na sesję", lines);
        }
    }
}

static const struct demo_item PAST_ITEMS[] = {
    {"Otwarcie sesji i stwierdzenie prawomocności obrad", "Przewodnicząca otwiera sesję.", NULL,
     false},
    {"Podjęcie uchwały w sprawie programu opieki nad zwierzętami",
     "Program opieki nad zwierzętami bezdomnymi na rok 2027.", "projekt-uchwaly-zwierzeta.pdf",
     true},
    {"Wybór wiceprzewodniczącego Rady", "Głosowanie tajne: jeden mandat, dwoje kandydatów.", NULL,
     false},
    {"Zamknięcie sesji", "", NULL, false},
};

static const struct demo_item NEXT_ITEMS[] = {
    {"Otwarcie sesji i stwierdzenie prawomocności obrad", "Przewodnicząca otwiera sesję.", NULL,
     false},
    {"Przyjęcie protokołu z poprzedniej sesji", "Protokół z XXI sesji Rady Gminy.",
     "protokol-XXI.pdf", false},
    {"Podjęcie uchwały w sprawie budżetu gminy na rok 2027",
     "Projekt uchwały budżetowej wraz z opinią Regionalnej Izby Obrachunkowej.",
     "projekt-uchwaly-budzet-2027.pdf", true},
    {"Podjęcie uchwały w sprawie zmiany miejscowego planu zagospodarowania",
     "Obszar przy ulicy Polnej.", "projekt-uchwaly-plan-polna.pdf", true},
    {"Interpelacje i zapytania radnych", "", NULL, false},
    {"Zamknięcie sesji", "", NULL, false},
};

/* Registers a fresh voting key for a (as a member's browser does; spec v2),
 * so the secret vote's electorate freezes it at opening. */
static void register_voter_key(struct play *p, struct actor *a)
{
    unsigned char pk[crypto_sign_PUBLICKEYBYTES];
    char hex[2 * crypto_sign_PUBLICKEYBYTES + 1], body[200];
    crypto_sign_keypair(pk, a->voter_sk);
    sodium_bin2hex(hex, sizeof hex, pk, sizeof pk);
    snprintf(body, sizeof body, "{\"public_key\":\"%s\"}", hex);
    json_decref(call(p, a, "PUT", "/api/me/voter-key", NULL, NULL, body, strlen(body)));
}

/* Makes item_id the current item, creates the vote spec (stolen) describes
 * and opens it; its id into vid. */
static void open_vote(struct play *p, const struct actor *op, const char *mid, const char *item_id,
                      json_t *spec, char vid[ID_SIZE])
{
    char path[160];
    snprintf(path, sizeof path, "/api/meetings/%s/current-item", mid);
    post_ok(p, op, path, json_pack("{s:s}", "item_id", item_id));
    snprintf(path, sizeof path, "/api/meetings/%s/votes", mid);
    post_id(p, op, path, spec, vid);
    snprintf(path, sizeof path, "/api/votes/%s/open", vid);
    post_ok(p, op, path, NULL);
}

/* The finished session: attendance, an open vote, a secret election. */
static void play_past(struct play *p, struct actor *op, struct actor *chair, struct actor *const *m,
                      int n_members, const char *body_id)
{
    char mid[ID_SIZE], items[4][ID_SIZE], path[160], vid[ID_SIZE], check[ID_SIZE];
    /* Just before now: the log's times (all of them now) then agree with the date. */
    int64_t start = clock_now_ms() - 2 * 60 * 1000;
    make_meeting(p, op, body_id, "XXI", "Sesja Rady Gminy Przykładowo", start, PAST_ITEMS, 4, mid,
                 items);
    snprintf(path, sizeof path, "/api/meetings/%s/convene", mid);
    post_ok(p, op, path, NULL);
    snprintf(path, sizeof path, "/api/meetings/%s/start", mid);
    post_ok(p, op, path, NULL);
    snprintf(path, sizeof path, "/api/meetings/%s/attendance-checks", mid);
    post_key(p, op, path, json_pack("{s:i}", "duration_s", 120), "check_id", check);
    /* The chair and all but two councillors are there. */
    int n_present = n_members - 2;
    snprintf(path, sizeof path, "/api/meetings/%s/attendance-checks/%s/present", mid, check);
    post_ok(p, chair, path, NULL);
    for (int i = 0; i < n_present; i++)
        post_ok(p, m[i], path, NULL);
    snprintf(path, sizeof path, "/api/meetings/%s/attendance-checks/%s/end", mid, check);
    post_ok(p, op, path, NULL);

    /* Item 2: an open vote on the draft resolution. */
    open_vote(p, op, mid, items[1],
              json_pack("{s:s, s:s, s:s, s:s, s:s, s:i}", "title",
                        "Uchwała w sprawie programu opieki nad zwierzętami", "motion",
                        "Kto jest za przyjęciem uchwały w sprawie programu opieki nad zwierzętami "
                        "bezdomnymi na rok 2027?",
                        "item_id", items[1], "kind", "open", "majority", "simple", "duration_s",
                        120),
              vid);
    snprintf(path, sizeof path, "/api/votes/%s/ballots", vid);
    static const char *const OPEN_CHOICES[] = {"yes", "yes", "no", "yes", "abstain", "yes",
                                               "yes", "yes", "no", "yes", "yes",     "yes"};
    post_ok(p, chair, path,
            json_pack("{s:s, s:s}", "ballot_id", "demo-open-chair", "choice", "yes"));
    for (int i = 0; i < n_present && i < 12; i++) {
        char bid[40];
        snprintf(bid, sizeof bid, "demo-open-%d", i);
        post_ok(p, m[i], path,
                json_pack("{s:s, s:s}", "ballot_id", bid, "choice", OPEN_CHOICES[i]));
    }
    snprintf(path, sizeof path, "/api/votes/%s/close", vid);
    post_ok(p, op, path, NULL);

    /* Item 3: a secret election, server trustee, ballots encrypted and signed here. */
    register_voter_key(p, chair);
    for (int i = 0; i < n_present; i++)
        register_voter_key(p, m[i]);
    open_vote(p, op, mid, items[2],
              json_pack("{s:s, s:s, s:s, s:s, s:[s,s], s:i, s:i}", "title",
                        "Wybór wiceprzewodniczącego Rady", "item_id", items[2], "kind", "secret",
                        "method", "election", "candidates", "Bartłomiej Nowak", "Celina Wójcik",
                        "seats", 1, "duration_s", 300),
              vid);
    snprintf(path, sizeof path, "/api/votes/%s/board", vid);
    json_t *board = call(p, op, "GET", path, NULL, NULL, NULL, 0);
    struct evote_election *e = NULL;
    char why[200];
    if (board && evote_election_parse(json_object_get(board, "election"), &e, why, sizeof why)) {
        diag(DIAG_ERROR, "demo: the election does not parse: %s", why);
        p->failed = OBR_EINVAL;
    }
    json_decref(board);
    snprintf(path, sizeof path, "/api/votes/%s/ballots", vid);
    for (int i = 0; e && !p->failed && i <= n_present; i++) {
        /* 7 for the first candidate, 5 for the second, one blank. */
        unsigned char choice[2] = {i < 7, i >= 7 && i < 12};
        struct actor *voter = i == n_present ? chair : m[i];
        json_t *ballot = evote_ballot_encrypt_signed(
            e, choice, NULL, evote_election_version(e) >= 2 ? voter->voter_sk : NULL);
        char bid[40];
        snprintf(bid, sizeof bid, "demo-secret-%d", i);
        if (!ballot)
            p->failed = OBR_EINVAL;
        else
            post_ok(p, voter, path, json_pack("{s:s, s:o}", "ballot_id", bid, "ballot", ballot));
    }
    evote_election_free(e);
    snprintf(path, sizeof path, "/api/votes/%s/close", vid);
    post_ok(p, op, path, NULL);
    snprintf(path, sizeof path, "/api/meetings/%s/close", mid);
    post_ok(p, op, path, NULL);
}

static void play_next(struct play *p, struct actor *op, const char *body_id)
{
    char mid[ID_SIZE], items[6][ID_SIZE], path[120];
    /* Next week at 17:00 UTC (18:00 in Warsaw in winter). */
    int64_t day = (clock_now_ms() / DAY_MS + 7) * DAY_MS;
    make_meeting(p, op, body_id, "XXII", "Sesja Rady Gminy Przykładowo", day + 17 * HOUR_MS,
                 NEXT_ITEMS, 6, mid, items);
    snprintf(path, sizeof path, "/api/meetings/%s/convene", mid);
    post_ok(p, op, path, NULL);
}

int demo_play(struct db *db, const unsigned char key[TOKEN_KEY_BYTES], const char *base,
              const char *origin, const char *body_id, const char *operator_email,
              const char *chair_email, const char *const *member_emails, int n_members)
{
    struct play p = {.base = base, .origin = origin, .db = db};
    if (n_members > MAX_ACTORS - 2)
        return OBR_EINVAL;
    p.curl = curl_easy_init();
    if (!p.curl)
        return OBR_ENOMEM;
    struct actor *op = actor_new(&p, key, operator_email);
    struct actor *chair = actor_new(&p, key, chair_email);
    struct actor *members[MAX_ACTORS];
    for (int i = 0; i < n_members; i++)
        members[i] = actor_new(&p, key, member_emails[i]);
    if (!p.failed) {
        play_past(&p, op, chair, members, n_members, body_id);
        play_next(&p, op, body_id);
    }
    for (int i = 0; i < p.n_actors; i++)
        sessions_delete(db, p.actors[i].user_id, p.actors[i].session_id);
    sodium_memzero(p.actors, sizeof p.actors);
    curl_easy_cleanup(p.curl);
    return p.failed;
}
