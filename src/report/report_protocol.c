/* report_protocol.c — the protocol of a meeting, read from its log: the
 * attendance list with the time of each attendance check and every arrival
 * and departure, the agenda as held (amendments marked), every vote with its
 * result and named list, the speakers in order, and signature lines for the
 * chair and the recorder. Marked as a draft until the meeting is closed. */
#include <stdlib.h>
#include <string.h>

#include "core/quorum.h"
#include "core/pl_collate.h"
#include "report/layout.h"
#include "report/report.h"
#include "report/report_data.h"
#include "core/role_words.h"
#include "report/report_text.h"
#include "report/report_weights.h"
#include "media/audio_marks.h"
#include "store/votes.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/err.h"

struct check {
    int64_t started_ms, ended_ms;
    const char *check_id;
    json_t *ended; /* the attendance.ended payload (borrowed), NULL while open */
};

struct proto {
    struct report_meeting rm;
    struct db *db;
    int64_t now_ms, started_ms, closed_ms;
    struct check *checks;
    int n_checks;
    struct vote *votes; /* closed votes in the order they closed */
    int n_votes;
    char footer[160];
};

/* Whether the body's chair (a participant with role chair) is a woman (core/role_words.h). */
static bool chair_is_woman(const struct report_meeting *rm)
{
    size_t i;
    json_t *p;
    json_array_foreach (rm->people, i, p) {
        const char *role = json_string_value(json_object_get(p, "role"));
        if (role && !strcmp(role, "chair"))
            return role_words_is_feminine(json_string_value(json_object_get(p, "name")));
    }
    return false;
}

/* The role in words agreeing with the person, with soft hyphens so a narrow
 * column breaks "wice-przewodnicząca" with a hyphen. */
static const char *role_word(const char *role, const char *name, bool en)
{
    if (!role)
        return "";
    if (!en)
        return role_words_pl(role, name, true);
    if (!strcmp(role, "chair"))
        return "chair";
    if (!strcmp(role, "vice_chair"))
        return "vice-chair";
    if (!strcmp(role, "secretary"))
        return "secretary";
    if (!strcmp(role, "guest"))
        return "guest";
    return "member";
}

static bool is_in_list(const json_t *present, const char *user_id)
{
    size_t i;
    json_t *p;
    json_array_foreach(present, i, p)
    {
        const char *id = json_string_value(json_object_get(p, "user_id"));
        if (id && !strcmp(id, user_id))
            return true;
    }
    return false;
}

/* ---- gathering from the log ---- */

static int gather(struct proto *p)
{
    struct report_meeting *rm = &p->rm;
    int n_closed = 0;
    for (int i = 0; i < rm->n_ev; i++)
        n_closed += !strcmp(rm->ev[i].type, "vote.closed");
    p->checks = calloc((size_t)rm->n_ev + 1, sizeof *p->checks);
    p->votes = calloc((size_t)n_closed + 1, sizeof *p->votes);
    if (!p->checks || !p->votes)
        return OBR_ENOMEM;
    for (int i = 0; i < rm->n_ev; i++) {
        const struct report_event *e = &rm->ev[i];
        if (!strcmp(e->type, "meeting.started"))
            p->started_ms = e->ts_ms;
        else if (!strcmp(e->type, "meeting.closed"))
            p->closed_ms = e->ts_ms;
        else if (!strcmp(e->type, "attendance.started"))
            p->checks[p->n_checks++] =
                (struct check){.started_ms = e->ts_ms, .check_id = report_ev_str(e, "check_id")};
        else if (!strcmp(e->type, "attendance.ended")) {
            for (int k = p->n_checks - 1; k >= 0; k--)
                if (!strcmp(p->checks[k].check_id, report_ev_str(e, "check_id"))) {
                    p->checks[k].ended_ms = e->ts_ms;
                    p->checks[k].ended = e->payload;
                    break;
                }
        } else if (!strcmp(e->type, "vote.closed") && p->n_votes < n_closed) {
            int rc = votes_get(p->db, report_ev_str(e, "vote_id"), &p->votes[p->n_votes]);
            if (rc == OBR_ENOTFOUND)
                continue;
            if (rc)
                return rc;
            p->n_votes++;
        }
    }
    return 0;
}

/* ---- sections ---- */

static void head(struct lay *l, struct proto *p, bool en)
{
    const struct report_meeting *rm = &p->rm;
    const char *zone = rm->org.time_zone;
    char s[1200], a[64], b[64];
    lay_para(l, LAY_TITLE, TR(en, "Protokół z posiedzenia", "Minutes of the meeting"));
    if (strcmp(rm->m.status, "closed") && strcmp(rm->m.status, "archived"))
        lay_para(l, LAY_H2,
                 TR(en, "PROJEKT — posiedzenie nie zostało jeszcze zamknięte",
                    "DRAFT — the meeting has not been closed yet"));
    report_meeting_fields(l, rm, en);
    report_format_time(s, sizeof s, rm->m.starts_at_ms, zone, en);
    lay_field(l, TR(en, "Termin", "Scheduled for"), s);
    report_format_date(a, sizeof a, rm->m.starts_at_ms, zone, en);
    report_format_date(b, sizeof b, p->started_ms, zone, en);
    if (p->started_ms && strcmp(a, b)) /* also in meeting.started: is_before_date */
        lay_field(l, TR(en, "Uwaga", "Note"),
                  p->started_ms < rm->m.starts_at_ms
                      ? TR(en, "posiedzenie otwarto przed wyznaczonym dniem", "opened before its date")
                      : TR(en, "posiedzenie otwarto w innym dniu niż wyznaczony",
                           "opened on another day than scheduled"));
    if (rm->m.place[0])
        lay_field(l, TR(en, "Miejsce", "Place"), rm->m.place);
    const char *mode = !strcmp(rm->m.mode, "remote")   ? TR(en, "zdalne", "remote")
                       : !strcmp(rm->m.mode, "hybrid") ? TR(en, "hybrydowe", "hybrid")
                                                       : TR(en, "stacjonarne", "in person");
    lay_field(l, TR(en, "Forma", "Form"), mode);
    report_format_time(a, sizeof a, p->started_ms, zone, en);
    report_format_time(b, sizeof b, p->closed_ms, zone, en);
    snprintf(s, sizeof s, "%s — %s", a, b);
    lay_field(l, TR(en, "Otwarcie — zamknięcie", "Opened — closed"), s);
    char q[400] = "";
    quorum_describe(q, sizeof q, rm->body.quorum_rule, rm->body.statutory_size, en ? "en" : "pl");
    snprintf(s, sizeof s, "%d; %s %d (%s)", rm->body.statutory_size, TR(en, "kworum", "quorum"),
             rm->st->required, q);
    lay_field(l, TR(en, "Skład ustawowy", "Statutory size"), s);
}

static void checks(struct lay *l, struct proto *p, bool en)
{
    const char *zone = p->rm.org.time_zone;
    lay_heading(l, LAY_H1, TR(en, "1. Obecność", "1. Attendance"));
    if (!p->n_checks) {
        lay_para(l, LAY_BODY, TR(en, "Nie sprawdzano obecności.", "No attendance check was held."));
        return;
    }
    static const double w[5] = {0.1, 0.2, 0.2, 0.2, 0.3};
    const char *hd[5] = {TR(en, "Nr", "No."), TR(en, "Początek", "Started"),
                         TR(en, "Koniec", "Ended"), TR(en, "Obecni", "Present"),
                         TR(en, "Kworum", "Quorum")};
    lay_table_begin(l, 5, w, hd, NULL);
    for (int i = 0; i < p->n_checks; i++) {
        const struct check *c = &p->checks[i];
        char no[16], a[16], b[16], n[32], q[96];
        snprintf(no, sizeof no, "%d", i + 1);
        report_format_hm(a, sizeof a, c->started_ms, zone);
        report_format_hm(b, sizeof b, c->ended_ms, zone);
        int present = (int)json_integer_value(json_object_get(c->ended, "present_count"));
        int required = (int)json_integer_value(json_object_get(c->ended, "required"));
        snprintf(n, sizeof n, "%d", present);
        snprintf(q, sizeof q, "%s (%d)",
                 json_is_true(json_object_get(c->ended, "has_quorum")) ? TR(en, "jest", "yes")
                                                                       : TR(en, "brak", "no"),
                 required);
        const char *cells[5] = {no, a, c->ended ? b : "—", c->ended ? n : "—", c->ended ? q : "—"};
        lay_table_row(l, cells);
    }
    lay_table_end(l);
}

struct person_row {
    const char *user_id, *name, *role;
    bool is_scrutiny;
};

static int cmp_person(const void *a, const void *b)
{
    return pl_compare_names(((const struct person_row *)a)->name,
                          ((const struct person_row *)b)->name);
}

/* "wyszedł 10:45; wrócił 11:02" from the person's presence.changed events. */
static void movements(struct buf *out, const struct proto *p, const char *user_id, bool en)
{
    for (int i = 0; i < p->rm.n_ev; i++) {
        const struct report_event *e = &p->rm.ev[i];
        if (strcmp(e->type, "presence.changed") || strcmp(report_ev_str(e, "user_id"), user_id))
            continue;
        char hm[16];
        report_format_hm(hm, sizeof hm, e->ts_ms, p->rm.org.time_zone);
        bool is_in = json_is_true(json_object_get(e->payload, "is_present"));
        buf_printf(out, "%s%s %s", out->len ? "; " : "",
                   is_in ? TR(en, "przybycie", "arrived") : TR(en, "wyjście", "left"), hm);
    }
}

static void attendance_list(struct lay *l, struct proto *p, bool en)
{
    size_t n = json_array_size(p->rm.people);
    struct person_row *rows = calloc(n ? n : 1, sizeof *rows);
    if (!rows)
        return;
    for (size_t i = 0; i < n; i++) {
        json_t *x = json_array_get(p->rm.people, i);
        const char *name = json_string_value(json_object_get(x, "name"));
        rows[i] = (struct person_row){
            .user_id = json_string_value(json_object_get(x, "user_id")),
            .name = name ? name : "",
            .role = json_is_true(json_object_get(x, "is_guest"))
                        ? "guest"
                        : json_string_value(json_object_get(x, "role")),
            .is_scrutiny = json_is_true(json_object_get(x, "is_scrutiny"))};
    }
    qsort(rows, n, sizeof *rows, cmp_person);
    lay_heading(l, LAY_H2, TR(en, "Lista obecności", "Attendance list"));
    lay_para(l, LAY_SMALL,
             TR(en, "Sprawdzenia: numery sprawdzeń obecności, w których osoba potwierdziła obecność.",
                "Checks: the numbers of the attendance checks at which the person confirmed presence."));
    static const double w[5] = {0.06, 0.28, 0.2, 0.19, 0.27};
    static const enum lay_style st[5] = {LAY_BODY, LAY_BODY, LAY_SMALL, LAY_BODY, LAY_SMALL};
    const char *hd[5] = {TR(en, "Lp.", "No."), TR(en, "Imię i nazwisko", "Name"),
                         TR(en, "Funkcja", "Role"),
                         TR(en, "Sprawdzenia", "Checks"),
                         TR(en, "Przybycia i wyjścia", "Arrivals and departures")};
    lay_table_begin(l, 5, w, hd, st);
    for (size_t i = 0; i < n; i++) {
        char no[24], role[96];
        struct buf at = BUF_INIT, mv = BUF_INIT;
        snprintf(no, sizeof no, "%zu.", i + 1);
        snprintf(role, sizeof role, "%s%s", role_word(rows[i].role, rows[i].name, en),
                 rows[i].is_scrutiny ? TR(en, ", komisja skrutacyjna", ", scrutiny committee")
                                     : "");
        for (int k = 0; k < p->n_checks; k++)
            if (rows[i].user_id &&
                is_in_list(json_object_get(p->checks[k].ended, "present"), rows[i].user_id))
                buf_printf(&at, "%s%d", at.len ? ", " : "", k + 1);
        if (rows[i].user_id)
            movements(&mv, p, rows[i].user_id, en);
        const char *cells[5] = {no, rows[i].name, role, at.len ? buf_str(&at) : "—",
                                buf_str(&mv)};
        lay_table_row(l, cells);
        buf_free(&at);
        buf_free(&mv);
    }
    lay_table_end(l);
    free(rows);
}

/* Who voted through a proxy holder at this meeting, from the log's
 * vote.ballot events (api/vote_proxy.c), each pair once: "B (pełnomocnik:
 * A)". Nothing when nobody did. */
static void proxies_note(struct lay *l, struct proto *p, bool en)
{
    struct buf pairs = BUF_INIT, one = BUF_INIT;
    for (int i = 0; i < p->rm.n_ev; i++) {
        const struct report_event *e = &p->rm.ev[i];
        if (strcmp(e->type, "vote.ballot") ||
            !json_is_true(json_object_get(e->payload, "by_proxy")))
            continue;
        const char *who = report_ev_str(e, "name"), *by = report_ev_str(e, "cast_by_name");
        buf_reset(&one);
        buf_printf(&one, "%s (%s %s)", who ? who : "", TR(en, "pełnomocnik:", "proxy holder:"),
                   by ? by : "");
        if (!strstr(buf_str(&pairs), buf_str(&one)))
            buf_printf(&pairs, "%s%s", pairs.len ? "; " : "", buf_str(&one));
    }
    if (pairs.len) {
        struct buf b = BUF_INIT;
        buf_printf(&b, "%s %s. %s",
                   TR(en, "Głosowali przez pełnomocnika:", "Voted through a proxy holder:"),
                   buf_str(&pairs),
                   TR(en, "Dokumenty pełnomocnictw przechowuje biuro.",
                      "The office keeps the proxy documents."));
        lay_para(l, LAY_BODY, buf_str(&b));
        buf_free(&b);
    }
    buf_free(&pairs);
    buf_free(&one);
}

static void agenda(struct lay *l, struct proto *p, bool en)
{
    const struct meeting_state *st = p->rm.st;
    lay_heading(l, LAY_H1, TR(en, "2. Porządek obrad (w brzmieniu zrealizowanym)",
                              "2. Agenda (as held)"));
    if (!st->n_items)
        lay_para(l, LAY_BODY, TR(en, "Brak punktów porządku obrad.", "The agenda was empty."));
    for (int i = 0; i < st->n_items; i++) {
        const struct ms_item *it = &st->items[i];
        int64_t taken = 0, offset = -1;
        struct audio_anchor a = {0}; /* #14: where the item lies in the recording */
        for (int k = 0; k < p->rm.n_ev && !taken; k++) {
            const struct report_event *e = &p->rm.ev[k];
            if (!strcmp(e->type, "audio.started"))
                audio_anchor_set(&a, e->ts_ms, json_integer_value(json_object_get(e->payload, "offset_ms")));
            if (!strcmp(e->type, "item.current") && !strcmp(report_ev_str(e, "item_id"), it->id)) {
                taken = e->ts_ms;
                offset = audio_anchor_offset(&a, taken);
            }
        }
        char hm[16], s[1400];
        report_format_hm(hm, sizeof hm, taken, p->rm.org.time_zone);
        snprintf(s, sizeof s, "%d. %s%s%s%s%s", it->position, it->title,
                 it->is_amendment ? TR(en, " [zmiana porządku obrad — punkt dodany w trakcie posiedzenia]",
                                       " [agenda amendment — item added during the meeting]")
                                  : "",
                 taken ? TR(en, " (rozpatrywany od ", " (taken up at ") : "", taken ? hm : "",
                 taken ? ")" : "");
        lay_para_indent(l, it->is_amendment ? LAY_BOLD : LAY_BODY, 8, s);
        if (offset >= 0) {
            char at[32], line[600];
            audio_offset_text(at, sizeof at, offset);
            snprintf(line, sizeof line, "%s (%s): %s/meetings/%s/listen?t=%lld",
                     TR(en, "Nagranie od tego punktu", "Recording from this item"), at,
                     report_public_url(), p->rm.m.id, (long long)(offset / 1000));
            lay_para_indent(l, LAY_SMALL, 16, line);
        }
    }
}

/* "Za (3): A, B, C" for one choice of an open vote's named list, in the
 * list's order (the engine sorts it by surname). The names with choice; NULL: present without a ballot; "absent": absent
 * without a ballot. An answer entered in a roll call by hand is marked. */
static void choice_line(struct lay *l, const json_t *named, const char *choice, const char *label,
                        bool en)
{
    bool want_absent = choice && !strcmp(choice, "absent");
    if (want_absent)
        choice = NULL;
    struct buf names = BUF_INIT, b = BUF_INIT;
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(named); i++) {
        json_t *e = json_array_get(named, i);
        const char *c = json_string_value(json_object_get(e, "choice"));
        bool is_absent = json_is_true(json_object_get(e, "absent"));
        if (!((!c && !choice && is_absent == want_absent) || (c && choice && !strcmp(c, choice))))
            continue;
        const char *name = json_string_value(json_object_get(e, "name"));
        char weight[64];
        buf_printf(&names, "%s%s%s%s", n++ ? ", " : "", name ? name : "",
                   report_weight_suffix(e, en, weight, sizeof weight),
                   json_is_true(json_object_get(e, "by_hand")) ? TR(en, " (ręcznie)", " (by hand)")
                                                               : "");
        const char *proxy = json_string_value(json_object_get(e, "cast_by_name"));
        if (proxy) /* a ballot a proxy holder cast (api/vote_proxy.c) */
            buf_printf(&names, "%s%s", report_proxy_words(en), proxy);
    }
    buf_printf(&b, "%s (%zu): %s", label, n, n ? buf_str(&names) : "—");
    lay_para_indent(l, LAY_BODY, 8, buf_str(&b));
    buf_free(&b);
    buf_free(&names);
}

static int res_int(const json_t *res, const char *key)
{
    return (int)json_integer_value(json_object_get(res, key));
}

static const char *res_lang(const json_t *res, const char *key, bool en)
{
    const char *s = json_string_value(json_object_get(json_object_get(res, key), en ? "en" : "pl"));
    return s ? s : "";
}

/* "Głosowanie imienne przeprowadzone ręcznie" when the chair entered any
 * answer by name (roll call, vote_hand.c), with how many and by whom. */
static void hand_note(struct lay *l, const json_t *named, bool en)
{
    struct buf who = BUF_INIT;
    int n = 0;
    for (size_t i = 0; i < json_array_size(named); i++) {
        const json_t *e = json_array_get(named, i);
        if (!json_is_true(json_object_get(e, "by_hand")))
            continue;
        n++;
        const char *by = json_string_value(json_object_get(e, "entered_by"));
        if (by && !strstr(buf_str(&who), by))
            buf_printf(&who, "%s%s", who.len ? ", " : "", by);
    }
    if (n) {
        struct buf b = BUF_INIT;
        buf_printf(&b,
                   TR(en, "Głosowanie imienne przeprowadzone ręcznie: odpowiedzi %d osób wpisał(a): %s "
                          "(oznaczone „ręcznie”).",
                      "Roll-call vote taken by hand: the answers of %d members entered by: %s "
                      "(marked \"by hand\")."),
                   n, buf_str(&who));
        lay_para(l, LAY_BODY, buf_str(&b));
        buf_free(&b);
    }
    buf_free(&who);
}

/* An election: each candidate's votes, the outcome, and for an open vote
 * who chose whom. */
static void election_summary(struct lay *l, const struct vote *v, bool en)
{
    const json_t *res = v->result, *cands = json_object_get(res, "candidates");
    struct buf b = BUF_INIT;
    buf_printf(&b, TR(en, "Oddane karty: %d, nie głosowało: %d. ", "Ballots cast: %d, did not vote: %d. "),
               res_int(res, "cast"), res_int(res, "not_voted"));
    for (size_t i = 0; i < json_array_size(cands); i++) {
        json_t *c = json_array_get(cands, i);
        buf_printf(&b, "%s%s: %d%s", i ? "; " : "", json_string_value(json_object_get(c, "name")),
                   (int)json_integer_value(json_object_get(c, "votes")),
                   json_is_true(json_object_get(c, "elected")) ? TR(en, " (wybrany)", " (elected)") : "");
    }
    lay_para(l, LAY_BODY, buf_str(&b));
    buf_reset(&b);
    buf_printf(&b, "%s: %s", TR(en, "Wynik", "Outcome"), res_lang(res, "verdict", en));
    lay_para(l, LAY_BOLD, buf_str(&b));
    const json_t *named = json_object_get(res, "named");
    hand_note(l, named, en);
    buf_reset(&b);
    for (size_t i = 0; i < json_array_size(named); i++) {
        json_t *e = json_array_get(named, i), *ch = json_object_get(e, "choices");
        buf_printf(&b, "%s%s", i ? "; " : "", json_string_value(json_object_get(e, "name")));
        const char *proxy = json_string_value(json_object_get(e, "cast_by_name"));
        if (proxy)
            buf_printf(&b, "%s%s", report_proxy_words(en), proxy);
        buf_puts(&b, " — ");
        if (!json_is_array(ch))
            buf_puts(&b, report_no_ballot_word(json_is_true(json_object_get(e, "absent")), en));
        else if (!json_array_size(ch))
            buf_puts(&b, TR(en, "karta pusta", "blank ballot"));
        for (size_t k = 0; json_is_array(ch) && k < json_array_size(ch); k++) {
            size_t at = (size_t)json_integer_value(json_array_get(ch, k));
            const char *c = json_string_value(json_object_get(json_array_get(cands, at), "name"));
            buf_printf(&b, "%s%s", k ? ", " : "", c ? c : "?");
        }
        if (json_is_true(json_object_get(e, "by_hand")))
            buf_puts(&b, TR(en, " (ręcznie)", " (by hand)"));
    }
    if (b.len)
        lay_para_indent(l, LAY_BODY, 8, buf_str(&b));
    buf_free(&b);
}

/* Who on the scrutiny committee confirmed the result and when, objections
 * with their reasons, and who announced it (vote_confirm.c). */
static void confirmation_note(struct lay *l, struct proto *p, const json_t *conf, bool en)
{
    struct buf b = BUF_INIT;
    char hm[16];
    const json_t *by = json_object_get(conf, "by");
    int n = 0;
    buf_puts(&b, TR(en, "Wynik potwierdziła komisja skrutacyjna: ", "The result was confirmed by the scrutiny committee: "));
    for (size_t i = 0; i < json_array_size(by); i++) {
        const json_t *e = json_array_get(by, i);
        if (!json_is_null(json_object_get(e, "objection")))
            continue;
        report_format_hm(hm, sizeof hm, json_integer_value(json_object_get(e, "at")), p->rm.org.time_zone);
        buf_printf(&b, "%s%s (%s)", n++ ? ", " : "", json_string_value(json_object_get(e, "name")), hm);
    }
    for (size_t i = 0, k = 0; i < json_array_size(by); i++) {
        const json_t *e = json_array_get(by, i);
        const char *obj = json_string_value(json_object_get(e, "objection"));
        if (!obj)
            continue;
        report_format_hm(hm, sizeof hm, json_integer_value(json_object_get(e, "at")), p->rm.org.time_zone);
        buf_printf(&b, en ? "%s%s (%s): \"%s\"" : "%s%s (%s): „%s”",
                   k++ ? "; " : TR(en, ". Zastrzeżenia: ", ". Objections: "),
                   json_string_value(json_object_get(e, "name")), hm, obj);
    }
    report_format_hm(hm, sizeof hm, json_integer_value(json_object_get(conf, "announced_at")),
                     p->rm.org.time_zone);
    buf_printf(&b, TR(en, ". Wynik ogłosił(a) %s o %s.", ". Announced by %s at %s."),
               json_string_value(json_object_get(conf, "announced_by_name")), hm);
    lay_para(l, LAY_BODY, buf_str(&b));
    buf_free(&b);
}

static void one_vote(struct lay *l, struct proto *p, const struct vote *v, int no, bool en)
{
    const json_t *res = v->result;
    bool is_secret = !strcmp(v->kind, "secret");
    char s[1600], t[64];
    snprintf(s, sizeof s, "%s %d: %s", TR(en, "Głosowanie nr", "Vote no."), no, v->title);
    lay_heading(l, LAY_H2, s);
    const char *item = "";
    for (int i = 0; i < p->rm.st->n_items; i++)
        if (!strcmp(p->rm.st->items[i].id, v->item_id))
            item = p->rm.st->items[i].title;
    report_format_hm(t, sizeof t, v->closed_ms, p->rm.org.time_zone);
    snprintf(s, sizeof s, "%s%s%s%s. %s: %s. %s %s.", item[0] ? TR(en, "Punkt: ", "Item: ") : "",
             item, item[0] ? ". " : "",
             is_secret ? TR(en, "Głosowanie tajne", "Secret vote")
                       : TR(en, "Głosowanie jawne imienne", "Open vote by name"),
             TR(en, "Zasada", "Rule"), res_lang(res, "rule_text", en),
             TR(en, "Zamknięte o", "Closed at"), t);
    lay_para(l, LAY_BODY, s);
    if (v->repeat_of[0]) {
        struct buf r = BUF_INIT;
        buf_printf(&r, "%s: %s", TR(en, "Reasumpcja — powód", "Repeat — reason"),
                   v->repeat_reason);
        lay_para(l, LAY_BODY, buf_str(&r));
        buf_free(&r);
    }
    if (!strcmp(v->status, "confirming")) {
        lay_para(l, LAY_BOLD, TR(en, "Wynik oczekuje na potwierdzenie komisji skrutacyjnej.",
                                 "The result awaits the scrutiny committee's confirmation."));
        return;
    }
    const json_t *conf = json_object_get(res, "confirmation");
    if (conf)
        confirmation_note(l, p, conf, en);
    if (!strcmp(v->method, "election")) {
        election_summary(l, v, en);
        return;
    }
    snprintf(s, sizeof s,
             TR(en, "Za: %d, przeciw: %d, wstrzymało się: %d, nie głosowało: %d (uprawnionych %d, "
                    "obecnych przy otwarciu %d, przy zamknięciu %d).",
                "Yes: %d, no: %d, abstained: %d, did not vote: %d (eligible %d, present at "
                "opening %d, at closing %d)."),
             res_int(res, "yes"), res_int(res, "no"), res_int(res, "abstain"),
             res_int(res, "not_voted"), res_int(res, "eligible"), res_int(res, "present_at_open"),
             res_int(res, "present"));
    lay_para(l, LAY_BODY, s);
    report_weights_para(l, res, en);
    snprintf(s, sizeof s, "%s: %s", TR(en, "Wynik", "Outcome"), res_lang(res, "verdict", en));
    lay_para(l, LAY_BOLD, s);
    if (is_secret) {
        const char *hash = json_string_value(json_object_get(res, "board_hash"));
        json_t *cast = json_object_get(res, "ballots_cast");
        snprintf(s, sizeof s, TR(en, "Oddano kart: %d; skrót tablicy ogłoszeń: %s",
                                 "Ballots cast: %d; bulletin board hash: %s"),
                 cast ? (int)json_integer_value(cast) : res_int(res, "cast"), hash ? hash : "—");
        lay_para(l, LAY_SMALL, s);
        return;
    }
    const json_t *named = json_object_get(res, "named");
    hand_note(l, named, en);
    choice_line(l, named, "yes", TR(en, "Za", "Yes"), en);
    choice_line(l, named, "no", TR(en, "Przeciw", "No"), en);
    choice_line(l, named, "abstain", TR(en, "Wstrzymali się", "Abstained"), en);
    choice_line(l, named, NULL, TR(en, "Obecni, nie głosowali", "Present, did not vote"), en);
    choice_line(l, named, "absent", TR(en, "Nieobecni", "Absent"), en);
}

static int cmp_number(const void *a, const void *b)
{
    return ((const struct vote *)a)->number - ((const struct vote *)b)->number;
}

/* The closed votes in the order they were opened, each with its number
 * (a vote still open leaves a gap, never a different number). */
static void votes(struct lay *l, struct proto *p, bool en)
{
    lay_heading(l, LAY_H1, TR(en, "3. Głosowania", "3. Votes"));
    if (!p->n_votes)
        lay_para(l, LAY_BODY, TR(en, "Nie przeprowadzono głosowań.", "No vote was held."));
    qsort(p->votes, (size_t)p->n_votes, sizeof *p->votes, cmp_number);
    for (int i = 0; i < p->n_votes; i++)
        one_vote(l, p, &p->votes[i], p->votes[i].number, en);
}

static void speakers(struct lay *l, struct proto *p, bool en)
{
    const struct report_meeting *rm = &p->rm;
    lay_heading(l, LAY_H1, TR(en, "4. Wystąpienia", "4. Speakers"));
    static const double w[5] = {0.06, 0.1, 0.3, 0.2, 0.34};
    const char *hd[5] = {TR(en, "Lp.", "No."), TR(en, "Godzina", "Time"),
                         TR(en, "Imię i nazwisko", "Name"), TR(en, "Rodzaj", "Kind"),
                         TR(en, "Punkt porządku", "Agenda item")};
    const char *current = NULL;
    int n = 0;
    for (int i = 0; i < rm->n_ev; i++) {
        const struct report_event *e = &rm->ev[i];
        if (!strcmp(e->type, "item.current"))
            current = report_ev_str(e, "item_id");
        if (strcmp(e->type, "floor.granted"))
            continue;
        const char *kind = "normal";
        for (int k = i - 1; k >= 0; k--)
            if (!strcmp(rm->ev[k].type, "floor.requested") &&
                !strcmp(report_ev_str(&rm->ev[k], "request_id"), report_ev_str(e, "request_id"))) {
                kind = report_ev_str(&rm->ev[k], "kind");
                break;
            }
        const char *item = "";
        for (int k = 0; current && k < rm->st->n_items; k++)
            if (!strcmp(rm->st->items[k].id, current))
                item = rm->st->items[k].title;
        if (!n++)
            lay_table_begin(l, 5, w, hd, NULL);
        char no[16], hm[16];
        snprintf(no, sizeof no, "%d.", n);
        report_format_hm(hm, sizeof hm, e->ts_ms, rm->org.time_zone);
        const char *kw = !strcmp(kind, "formal")     ? TR(en, "wniosek formalny", "formal motion")
                         : !strcmp(kind, "ad_vocem") ? "ad vocem"
                                                     : TR(en, "zwykłe", "normal");
        const char *cells[5] = {no, hm, report_ev_str(e, "name"), kw, item};
        lay_table_row(l, cells);
    }
    if (n)
        lay_table_end(l);
    else
        lay_para(l, LAY_BODY, TR(en, "Nikt nie zabierał głosu.", "Nobody took the floor."));
}

static void render_protocol(struct lay *l, void *arg)
{
    struct proto *p = arg;
    bool en = p->rm.is_en;
    head(l, p, en);
    checks(l, p, en);
    attendance_list(l, p, en);
    proxies_note(l, p, en);
    agenda(l, p, en);
    votes(l, p, en);
    speakers(l, p, en);
    char s[400], t[64];
    report_format_time(t, sizeof t, p->now_ms, p->rm.org.time_zone, en);
    lay_space(l, 10);
    snprintf(s, sizeof s, "%s: %s", TR(en, "Wygenerowano", "Generated"), t);
    lay_para(l, LAY_SMALL, s);
    snprintf(s, sizeof s,
             TR(en, "Dziennik posiedzenia — liczba zdarzeń: %lld; skrót ostatniego zdarzenia:",
                "Meeting log: %lld events; hash of the last event:"),
             (long long)p->rm.head_seq);
    lay_para(l, LAY_SMALL, s);
    lay_para(l, LAY_MONO, p->rm.head);
    report_key_lines(l, en);
    lay_signatures(l, TR(en, chair_is_woman(&p->rm) ? "Przewodnicząca obrad" : "Przewodniczący obrad",
                         "Chair of the meeting"),
                   TR(en, "Protokolant", "Recorder"));
}

int report_protocol_pdf(struct db *db, const char *meeting_id, struct buf *out,
                        struct lay_stats *stats)
{
    struct proto *p = calloc(1, sizeof *p);
    if (!p)
        return OBR_ENOMEM;
    p->db = db;
    p->now_ms = clock_now_ms();
    int rc = report_meeting_load(db, meeting_id, &p->rm);
    if (!rc)
        rc = gather(p);
    if (!rc) {
        char title[NAME_SIZE + 64];
        snprintf(title, sizeof title, "%s — %s", p->rm.is_en ? "Minutes" : "Protokół",
                 p->rm.m.title);
        snprintf(p->footer, sizeof p->footer, "obrady · %s %.16s…",
                 p->rm.is_en ? "log" : "dziennik", p->rm.head);
        struct lay_opts o = {.title = title,
                             .footer_page = p->rm.is_en ? "page %d of %d" : "strona %d z %d",
                             .footer_left = p->footer};
        rc = lay_render_pdf(render_protocol, p, &o, out, stats);
    }
    for (int i = 0; i < p->n_votes; i++)
        vote_clear(&p->votes[i]);
    free(p->votes);
    free(p->checks);
    report_meeting_free(&p->rm);
    free(p);
    return rc;
}
