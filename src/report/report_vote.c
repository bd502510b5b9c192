/* report_vote.c — the report of one closed vote: where and when it was
 * held, the motion, the rule in words, the electorate, presence and quorum,
 * the counts and the outcome; the named list (open votes) or the trustees,
 * ballots cast and the bulletin board's hash with a verification link and QR
 * code (secret votes); the generation time and the meeting log's head. */
#include <stdlib.h>
#include <string.h>

#include "core/pl_collate.h"
#include "crypto/tokens.h"
#include "report/layout.h"
#include "report/report.h"
#include "report/report_weights.h"
#include "report/report_data.h"
#include "report/report_text.h"
#include "store/votes.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/err.h"

struct vote_doc {
    const struct report_meeting *rm;
    const struct vote *v;
    const struct agenda_item *item; /* NULL when the vote has none */
    const char *public_url;
    const unsigned char *board_secret; /* NULL: the verify address has no board key */
    int64_t now_ms;
    char footer[160];
};

static int res_int(const json_t *res, const char *key)
{
    return (int)json_integer_value(json_object_get(res, key));
}

static const char *res_lang(const json_t *res, const char *key, bool is_en)
{
    const char *s = json_string_value(json_object_get(json_object_get(res, key), is_en ? "en" : "pl"));
    return s ? s : "";
}

struct named {
    const char *name, *choice;
    const json_t *choices; /* elections: candidate indexes, or null */
    bool by_hand;          /* entered by the chair in a roll call by hand */
    const char *cast_by;   /* the proxy holder who cast it, or NULL */
    bool is_absent;
    const json_t *row;     /* the whole row (its weight, in a body with weights) */
};

static int cmp_named(const void *a, const void *b)
{
    return pl_compare_names(((const struct named *)a)->name, ((const struct named *)b)->name);
}

/* The named list of res, in Polish alphabetical order; caller frees. */
static struct named *sorted_named(const json_t *res, size_t *n)
{
    json_t *list = json_object_get(res, "named");
    *n = json_array_size(list);
    struct named *out = calloc(*n ? *n : 1, sizeof *out);
    if (!out)
        return NULL;
    for (size_t i = 0; i < *n; i++) {
        json_t *e = json_array_get(list, i);
        const char *name = json_string_value(json_object_get(e, "name"));
        out[i].name = name ? name : "";
        out[i].choice = json_string_value(json_object_get(e, "choice"));
        out[i].choices = json_object_get(e, "choices");
        out[i].by_hand = json_is_true(json_object_get(e, "by_hand"));
        out[i].cast_by = json_string_value(json_object_get(e, "cast_by_name"));
        out[i].is_absent = json_is_true(json_object_get(e, "absent"));
        out[i].row = e;
    }
    qsort(out, *n, sizeof *out, cmp_named);
    return out;
}

static void header_fields(struct lay *l, const struct vote_doc *d, bool en)
{
    const struct report_meeting *rm = d->rm;
    char s[1200];
    report_meeting_fields(l, rm, en);
    /* The day it was held (it may have been started before its date). */
    report_format_date(s, sizeof s, rm->m.started_ms ? rm->m.started_ms : rm->m.starts_at_ms,
                       rm->org.time_zone, en);
    lay_field(l, TR(en, "Data posiedzenia", "Date of the meeting"), s);
    if (d->item)
        snprintf(s, sizeof s, "%d. %s", d->item->position, d->item->title);
    else
        snprintf(s, sizeof s, "%s", TR(en, "— (poza porządkiem obrad)", "— (outside the agenda)"));
    lay_field(l, TR(en, "Punkt porządku obrad", "Agenda item"), s);
}

/* Names of the people listed by user id in ids, comma-separated. */
static void names_of(struct buf *out, const struct report_meeting *rm, const json_t *ids)
{
    for (size_t i = 0; i < json_array_size(ids); i++) {
        json_t *p = report_person(rm, json_string_value(json_array_get(ids, i)));
        const char *name = json_string_value(json_object_get(p, "name"));
        buf_printf(out, "%s%s", i ? ", " : "", name ? name : "?");
    }
}

/* "17 osób — wszyscy członkowie organu ..., z wyłączeniem: ..." from the
 * vote's electorate definition {group?, guests?, exclude?}. */
static void electorate(struct buf *out, const struct vote_doc *d, bool en)
{
    const json_t *e = d->v->electorate;
    const char *group = json_string_value(json_object_get(e, "group"));
    json_t *guests = json_object_get(e, "guests"), *exclude = json_object_get(e, "exclude");
    buf_printf(out, TR(en, "%d osób — ", "%d people — "), res_int(d->v->result, "eligible"));
    if (group)
        buf_printf(out, TR(en, "członkowie organu z grupy „%s”", "members of the body in group \"%s\""),
                   group);
    else
        buf_puts(out, TR(en, "wszyscy członkowie organu", "every member of the body"));
    if (json_array_size(guests)) {
        buf_puts(out, TR(en, ", a także goście: ", ", and the guests "));
        names_of(out, d->rm, guests);
    }
    if (json_array_size(exclude)) {
        buf_puts(out, TR(en, ", z wyłączeniem (art. 25a): ", ", excluding: "));
        names_of(out, d->rm, exclude);
    }
    buf_puts(out, TR(en, "; ustaleni w chwili otwarcia głosowania", "; fixed when the vote opened"));
}

static void fields(struct lay *l, const struct vote_doc *d, bool en)
{
    const struct vote *v = d->v;
    const json_t *res = v->result;
    const char *zone = d->rm->org.time_zone;
    bool is_secret = !strcmp(v->kind, "secret");
    char s[1200], a[64], b[64];
    snprintf(s, sizeof s, "%d", v->number); /* as in the protocol: the order of opening */
    lay_field(l, TR(en, "Głosowanie nr", "Vote no."), s);
    lay_field(l, TR(en, "Przedmiot głosowania", "Subject of the vote"), v->title);
    if (v->repeat_of[0]) {
        struct buf r = BUF_INIT;
        buf_printf(&r, "%s %s. %s: %s",
                   TR(en, "powtórzenie głosowania (reasumpcja)", "repeat of vote"), v->repeat_of,
                   TR(en, "Powód", "Reason"), v->repeat_reason);
        lay_field(l, TR(en, "Reasumpcja", "Repeat"), buf_str(&r));
        buf_free(&r);
    }
    lay_field(l, TR(en, "Rodzaj głosowania", "Kind of vote"),
              is_secret ? TR(en, "tajne", "secret") : TR(en, "jawne imienne", "open, by name"));
    lay_field(l, TR(en, "Zastosowana zasada", "Rule applied"), res_lang(res, "rule_text", en));
    struct buf el = BUF_INIT;
    electorate(&el, d, en);
    lay_field(l, TR(en, "Uprawnieni do głosowania", "Electorate"), buf_str(&el));
    buf_free(&el);
    snprintf(s, sizeof s, "%d / %d", res_int(res, "present_at_open"), res_int(res, "present"));
    lay_field(l, TR(en, "Obecni przy otwarciu / zamknięciu", "Present at opening / closing"), s);
    int q = res_int(res, "quorum_required");
    bool has_q = res_int(res, "present_at_open") >= q && res_int(res, "present") >= q;
    snprintf(s, sizeof s, TR(en, "%d (skład ustawowy %d) — %s", "%d (statutory size %d) — %s"), q,
             d->rm->body.statutory_size,
             has_q ? TR(en, "kworum było", "quorum present") : TR(en, "brak kworum", "no quorum"));
    lay_field(l, TR(en, "Kworum", "Quorum"), s);
    report_format_time(a, sizeof a, v->opened_ms, zone, en);
    report_format_time(b, sizeof b, v->closed_ms, zone, en);
    snprintf(s, sizeof s, "%s — %s", a, b);
    lay_field(l, TR(en, "Otwarcie — zamknięcie", "Opened — closed"), s);
}

static bool is_election(const struct vote *v)
{
    return !strcmp(v->method, "election");
}

static void election_counts(struct lay *l, const struct vote_doc *d, bool en)
{
    const json_t *res = d->v->result;
    static const double w[3] = {0.6, 0.2, 0.2};
    const char *head[3] = {TR(en, "Kandydat", "Candidate"), TR(en, "Głosy", "Votes"),
                           TR(en, "Wybrany", "Elected")};
    lay_heading(l, LAY_H2, TR(en, "Wyniki", "Results"));
    lay_table_begin(l, 3, w, head, NULL);
    json_t *cands = json_object_get(res, "candidates");
    for (size_t i = 0; i < json_array_size(cands); i++) {
        json_t *c = json_array_get(cands, i);
        const char *name = json_string_value(json_object_get(c, "name"));
        char votes[24];
        snprintf(votes, sizeof votes, "%d", (int)json_integer_value(json_object_get(c, "votes")));
        const char *mark = json_is_true(json_object_get(c, "elected")) ? TR(en, "tak", "yes")
                           : json_is_true(json_object_get(c, "tied")) ? TR(en, "remis", "tie")
                                                                      : TR(en, "nie", "no");
        const char *cells[3] = {name ? name : "", votes, mark};
        lay_table_row(l, cells);
    }
    lay_table_end(l);
    char s[1200];
    json_t *blank = json_object_get(res, "blank");
    char blank_s[24] = "—"; /* a secret election does not reveal blank ballots */
    if (json_is_integer(blank))
        snprintf(blank_s, sizeof blank_s, "%d", (int)json_integer_value(blank));
    snprintf(s, sizeof s, TR(en, "Oddane karty: %d; w tym puste: %s; nie głosowało: %d; mandatów: %d.",
                             "Ballots cast: %d; of them blank: %s; did not vote: %d; seats: %d."),
             res_int(res, "cast"), blank_s, res_int(res, "not_voted"), res_int(res, "seats"));
    lay_para(l, LAY_BODY, s);
    snprintf(s, sizeof s, "%s: %s", TR(en, "Wynik", "Outcome"), res_lang(res, "verdict", en));
    lay_para(l, LAY_H1, s);
}

static void counts(struct lay *l, const struct vote_doc *d, bool en)
{
    const json_t *res = d->v->result;
    if (is_election(d->v)) {
        election_counts(l, d, en);
        return;
    }
    static const double w[5] = {0.2, 0.2, 0.2, 0.2, 0.2};
    const char *head[5] = {TR(en, "Za", "Yes"), TR(en, "Przeciw", "No"),
                           TR(en, "Wstrzymało się", "Abstained"),
                           TR(en, "Nie głosowało", "Did not vote"), TR(en, "Oddane głosy", "Cast")};
    char c[5][16];
    snprintf(c[0], 16, "%d", res_int(res, "yes"));
    snprintf(c[1], 16, "%d", res_int(res, "no"));
    snprintf(c[2], 16, "%d", res_int(res, "abstain"));
    snprintf(c[3], 16, "%d", res_int(res, "not_voted"));
    snprintf(c[4], 16, "%d", res_int(res, "cast"));
    const char *cells[5] = {c[0], c[1], c[2], c[3], c[4]};
    lay_heading(l, LAY_H2, TR(en, "Wyniki", "Results"));
    lay_table_begin(l, 5, w, head, NULL);
    lay_table_row(l, cells);
    lay_table_end(l);
    report_weights_para(l, res, en);
    char s[1200];
    snprintf(s, sizeof s, "%s: %s", TR(en, "Wynik", "Outcome"), res_lang(res, "verdict", en));
    lay_para(l, LAY_H1, s);
}

static void named_list(struct lay *l, const struct vote_doc *d, bool en)
{
    size_t n;
    struct named *list = sorted_named(d->v->result, &n);
    if (!list)
        return;
    lay_heading(l, LAY_H2, TR(en, "Imienny wykaz głosowania", "Named list"));
    for (size_t i = 0; i < n; i++)
        if (list[i].by_hand) {
            lay_para(l, LAY_BODY,
                     TR(en, "Głosowanie imienne przeprowadzone ręcznie: odpowiedzi oznaczone „ręcznie” "
                            "wpisał prowadzący (dziennik posiedzenia podaje kto i kiedy).",
                        "Roll-call vote taken by hand: the answers marked \"by hand\" were entered "
                        "by the chair (the meeting log says who and when)."));
            break;
        }
    static const double w[3] = {0.1, 0.6, 0.3};
    const char *head[3] = {TR(en, "Lp.", "No."), TR(en, "Imię i nazwisko", "Name"),
                           TR(en, "Głos", "Vote")};
    lay_table_begin(l, 3, w, head, NULL);
    for (size_t i = 0; i < n; i++) {
        char no[24];
        snprintf(no, sizeof no, "%zu.", i + 1);
        struct buf picked = BUF_INIT;
        if (is_election(d->v) && json_is_array(list[i].choices)) {
            json_t *cands = json_object_get(d->v->result, "candidates");
            for (size_t k = 0; k < json_array_size(list[i].choices); k++) {
                size_t at = (size_t)json_integer_value(json_array_get(list[i].choices, k));
                const char *c = json_string_value(json_object_get(json_array_get(cands, at), "name"));
                buf_printf(&picked, "%s%s", k ? ", " : "", c ? c : "?");
            }
            if (!picked.len)
                buf_puts(&picked, TR(en, "karta pusta", "blank ballot"));
        }
        if (!picked.len)
            buf_puts(&picked, list[i].choice || json_is_array(list[i].choices)
                                  ? report_choice_word(list[i].choice, en)
                                  : report_no_ballot_word(list[i].is_absent, en));
        if (list[i].by_hand)
            buf_puts(&picked, TR(en, " (ręcznie)", " (by hand)"));
        char weight[64];
        struct buf who = BUF_INIT;
        buf_printf(&who, "%s%s", list[i].name,
                   report_weight_suffix(list[i].row, en, weight, sizeof weight));
        if (list[i].cast_by)
            buf_printf(&who, "%s%s", report_proxy_words(en), list[i].cast_by);
        const char *cells[3] = {no, buf_str(&who), buf_str(&picked)};
        lay_table_row(l, cells);
        buf_free(&picked);
        buf_free(&who);
    }
    lay_table_end(l);
    free(list);
}

static void secret_part(struct lay *l, const struct vote_doc *d, bool en)
{
    const json_t *res = d->v->result;
    char s[1400];
    lay_heading(l, LAY_H2, TR(en, "Głosowanie tajne — weryfikacja", "Secret vote — verification"));
    json_t *trustees = json_object_get(res, "trustees");
    struct buf t = BUF_INIT;
    for (size_t i = 0; i < json_array_size(trustees); i++) {
        const char *name = json_string_value(json_array_get(trustees, i));
        if (name)
            buf_printf(&t, "%s%s", t.len ? ", " : "", name);
    }
    lay_field(l, TR(en, "Powiernicy klucza", "Trustees"), t.len ? buf_str(&t) : "—");
    buf_free(&t);
    json_t *voters = json_object_get(res, "voters");
    if (json_array_size(voters)) {
        struct buf vb = BUF_INIT;
        for (size_t i = 0; i < json_array_size(voters); i++) {
            json_t *x = json_array_get(voters, i);
            const char *name = json_is_string(x) ? json_string_value(x)
                                                 : json_string_value(json_object_get(x, "name"));
            buf_printf(&vb, "%s%s", i ? ", " : "", name ? name : "?");
        }
        lay_field(l, TR(en, "Głosowali (bez ujawniania głosu)", "Voted (choices not shown)"),
                  buf_str(&vb));
        buf_free(&vb);
    }
    json_t *cast = json_object_get(res, "ballots_cast");
    snprintf(s, sizeof s, "%d", cast ? (int)json_integer_value(cast) : res_int(res, "cast"));
    lay_field(l, TR(en, "Oddane karty", "Ballots cast"), s);
    const char *hash = json_string_value(json_object_get(res, "board_hash"));
    lay_field(l, TR(en, "Skrót tablicy ogłoszeń", "Bulletin board hash"), "");
    lay_para(l, LAY_MONO, hash ? hash : "—");
    char url[700];
    char key[TOKEN_BOARD_KEY_HEX + 1] = "";
    if (d->board_secret)
        token_board_key(d->board_secret, d->v->id, key);
    snprintf(url, sizeof url, "%s/verify?vote=%s%s%s", d->public_url ? d->public_url : "", d->v->id,
             key[0] ? "&key=" : "", key);
    lay_para(l, LAY_BODY,
             TR(en,
                "Każdy może sprawdzić wynik: otwórz poniższy adres (lub zeskanuj kod), pobierz "
                "tablicę ogłoszeń i porównaj jej skrót z powyższym; offline: obrady verify "
                "board.json.",
                "Anyone can check the result: open the address below (or scan the code), "
                "download the bulletin board and compare its hash with the one above; offline: "
                "obrady verify board.json."));
    lay_para(l, LAY_MONO, url);
    snprintf(s, sizeof s, "%s", TR(en, "Kod QR prowadzi do strony weryfikacji tego głosowania.",
                                   "The QR code opens the verification page of this vote."));
    lay_qr(l, url, 96, s);
}

static void render_vote(struct lay *l, void *arg)
{
    struct vote_doc *d = arg;
    bool en = d->rm->is_en;
    lay_para(l, LAY_TITLE, TR(en, "Protokół głosowania", "Vote report"));
    header_fields(l, d, en);
    lay_space(l, 6);
    fields(l, d, en);
    if (d->v->motion[0]) {
        lay_heading(l, LAY_H2, TR(en, "Treść wniosku", "Text of the motion"));
        lay_para(l, LAY_BODY, d->v->motion);
    }
    counts(l, d, en);
    if (!strcmp(d->v->kind, "secret"))
        secret_part(l, d, en);
    else
        named_list(l, d, en);
    char s[400], t[64];
    report_format_time(t, sizeof t, d->now_ms, d->rm->org.time_zone, en);
    lay_space(l, 10);
    snprintf(s, sizeof s, "%s: %s", TR(en, "Wygenerowano", "Generated"), t);
    lay_para(l, LAY_SMALL, s);
    snprintf(s, sizeof s, TR(en, "Dziennik posiedzenia — liczba zdarzeń: %lld; skrót ostatniego zdarzenia:",
                             "Meeting log: %lld events; hash of the last event:"),
             (long long)d->rm->head_seq);
    lay_para(l, LAY_SMALL, s);
    lay_para(l, LAY_MONO, d->rm->head);
    report_key_lines(l, en);
}

int report_vote_pdf(struct db *db, const char *vote_id, const char *public_url,
                    const unsigned char *board_secret, struct buf *out,
                    struct lay_stats *stats)
{
    struct vote *v = calloc(1, sizeof *v);
    struct agenda_item *item = calloc(1, sizeof *item);
    struct report_meeting *rm = calloc(1, sizeof *rm);
    int rc = v && item && rm ? votes_get(db, vote_id, v) : OBR_ENOMEM;
    if (!rc && (strcmp(v->status, "closed") || !json_is_object(v->result)))
        rc = OBR_ECONFLICT;
    if (!rc)
        rc = report_meeting_load(db, v->meeting_id, rm);
    bool has_item = !rc && v->item_id[0] && !agenda_get(db, v->item_id, item);
    if (!rc) {
        struct vote_doc d = {.rm = rm, .v = v, .item = has_item ? item : NULL,
                             .public_url = public_url, .board_secret = board_secret, .now_ms = clock_now_ms()};
        char title[NAME_SIZE + 64];
        snprintf(title, sizeof title, "%s — %s", rm->is_en ? "Vote report" : "Protokół głosowania",
                 v->title);
        snprintf(d.footer, sizeof d.footer, "obrady · %s %.16s…", rm->is_en ? "log" : "dziennik", rm->head);
        struct lay_opts o = {.title = title,
                             .footer_page = rm->is_en ? "page %d of %d" : "strona %d z %d",
                             .footer_left = d.footer};
        rc = lay_render_pdf(render_vote, &d, &o, out, stats);
    }
    if (rm)
        report_meeting_free(rm);
    if (v)
        vote_clear(v);
    free(rm);
    free(item);
    free(v);
    return rc;
}
