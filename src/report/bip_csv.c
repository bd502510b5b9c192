/* bip_csv.c — the words of the exports and the CSV files (see bip.h). */
#include "report/bip.h"

#include <stdio.h>
#include <string.h>

#include "core/role_words.h"
#include "mail/invitations.h"
#include "report/report_text.h"
#include "util/buf.h"
#include "util/clock.h"

static bool is_en(const char *lang)
{
    return lang && !strcmp(lang, "en");
}

struct word {
    const char *code, *pl, *en;
};

static const char *lookup(const struct word *w, const char *code, const char *lang)
{
    for (; w->code; w++)
        if (code && !strcmp(w->code, code))
            return is_en(lang) ? w->en : w->pl;
    return code ? code : "";
}

const char *bip_choice_word(const char *choice, const char *lang)
{
    static const struct word W[] = {
        {"yes", "za", "yes"},
        {"no", "przeciw", "no"},
        {"abstain", "wstrzymuję się", "abstain"},
        {NULL, NULL, NULL},
    };
    if (!choice)
        return is_en(lang) ? "did not vote" : "nie głosował(a)";
    return lookup(W, choice, lang);
}

const char *bip_no_ballot_word(const json_t *row, const char *lang)
{
    if (json_is_true(json_object_get(row, "absent")))
        return is_en(lang) ? "absent" : "nieobecny/nieobecna";
    return bip_choice_word(NULL, lang);
}

const char *bip_blank_word(const char *lang)
{
    return is_en(lang) ? "blank ballot" : "głos pusty";
}

const char *bip_outcome_word(const char *outcome, const char *lang)
{
    static const struct word W[] = {
        {"adopted", "podjęta", "adopted"},
        {"rejected", "odrzucona", "rejected"},
        {"invalid", "nieważne", "invalid"},
        {NULL, NULL, NULL},
    };
    return lookup(W, outcome, lang);
}

const char *bip_status_word(const char *status, const char *lang)
{
    static const struct word W[] = {
        {"draft", "w przygotowaniu", "in preparation"}, {"convened", "zwołane", "convened"},
        {"in_progress", "w toku", "in progress"},       {"closed", "zakończone", "closed"},
        {"archived", "zarchiwizowane", "archived"},     {"open", "trwa", "open"},
        {"counting", "liczenie głosów", "counting"},    {NULL, NULL, NULL},
    };
    return lookup(W, status, lang);
}

const char *bip_kind_word(const char *kind, const char *lang)
{
    static const struct word W[] = {
        {"open", "jawne imienne", "open (named)"},
        {"secret", "tajne", "secret"},
        {NULL, NULL, NULL},
    };
    return lookup(W, kind, lang);
}

const char *bip_mode_word(const char *mode, const char *lang)
{
    static const struct word W[] = {
        {"in_person", "stacjonarne", "in person"},
        {"remote", "zdalne", "remote"},
        {"hybrid", "hybrydowe", "hybrid"},
        {NULL, NULL, NULL},
    };
    return lookup(W, mode, lang);
}

void bip_local_time(char *out, size_t size, const char *rfc3339, const char *time_zone)
{
    int64_t ms;
    out[0] = '\0';
    if (!rfc3339 || clock_parse_rfc3339(rfc3339, &ms) || ms <= 0)
        return;
    struct invitation_local_time lt;
    invitation_local_time(ms, time_zone, &lt);
    snprintf(out, size, "%04d-%02d-%02d %02d:%02d", lt.year, lt.month, lt.day, lt.hour, lt.minute);
}

void bip_csv_field(struct buf *b, const char *s)
{
    if (!s)
        s = "";
    bool is_formula = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@';
    bool is_quoted = is_formula || strpbrk(s, ",\"\r\n") != NULL;
    if (is_quoted)
        buf_putc(b, '"');
    if (is_formula)
        buf_putc(b, '\'');
    for (; *s; s++) {
        if (*s == '"')
            buf_putc(b, '"');
        buf_putc(b, *s);
    }
    if (is_quoted)
        buf_putc(b, '"');
}

static void row(struct buf *b, int n, const char *const *cells)
{
    for (int i = 0; i < n; i++) {
        if (i)
            buf_putc(b, ',');
        bip_csv_field(b, cells[i]);
    }
    buf_puts(b, "\r\n");
}

static const char *str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* An election ballot's choices joined by "; ", a blank ballot, or not voted. */
static void choices_text(struct buf *t, const json_t *row, const char *lang)
{
    const json_t *choices = json_object_get(row, "choices");
    if (!json_is_array(choices)) {
        buf_puts(t, bip_no_ballot_word(row, lang));
        return;
    }
    if (!json_array_size(choices)) {
        buf_puts(t, bip_blank_word(lang));
        return;
    }
    size_t i;
    json_t *c;
    json_array_foreach (choices, i, c) {
        if (i)
            buf_puts(t, "; ");
        buf_puts(t, json_string_value(c) ? json_string_value(c) : "");
    }
}

/* The choice cell of one named-list row. t is reset and reused. */
static const char *choice_cell(struct buf *t, const json_t *vote, const json_t *r, const char *lang)
{
    buf_reset(t);
    if (!strcmp(str(vote, "method") ? str(vote, "method") : "", "election"))
        choices_text(t, r, lang);
    else if (!str(r, "choice"))
        buf_puts(t, bip_no_ballot_word(r, lang));
    else
        buf_puts(t, bip_choice_word(str(r, "choice"), lang));
    if (json_is_true(json_object_get(r, "by_hand"))) /* roll call by hand */
        buf_puts(t, is_en(lang) ? " (by hand)" : " (ręcznie)");
    if (str(r, "cast_by_name")) /* a proxy holder cast it */
        buf_printf(t, "%s%s", report_proxy_words(is_en(lang)), str(r, "cast_by_name"));
    return buf_str(t);
}

void bip_vote_csv(struct buf *b, const json_t *vote, const char *lang, bool with_bom)
{
    static const char *const H_PL[] = {"Lp.", "Imię i nazwisko", "Głos", "Waga"};
    static const char *const H_EN[] = {"No.", "Name", "Choice", "Weight"};
    /* A body with weights: each voter's weight (frozen at the opening) too. */
    int n_cols = json_is_object(json_object_get(json_object_get(vote, "result"), "weighted")) ? 4 : 3;
    if (with_bom)
        buf_puts(b, "\xEF\xBB\xBF");
    row(b, n_cols, is_en(lang) ? H_EN : H_PL);
    struct buf t = BUF_INIT;
    size_t i;
    json_t *r;
    json_array_foreach (json_object_get(vote, "named"), i, r) {
        char no[24];
        snprintf(no, sizeof no, "%zu", i + 1);
        const char *cells[] = {no, str(r, "name"), choice_cell(&t, vote, r, lang), str(r, "weight")};
        row(b, n_cols, cells);
    }
    if (buf_failed(&t))
        b->failed = true;
    buf_free(&t);
}

/* ---- the whole meeting ---- */

struct mcsv {
    struct buf *b;
    const char *lang;
    const char *tz;
};

static void mrow(struct mcsv *c, const char *section_pl, const char *section_en, const char *no,
                 const char *title, const char *person, const char *value)
{
    const char *cells[] = {is_en(c->lang) ? section_en : section_pl, no, title, person, value};
    row(c->b, 5, cells);
}

static void int_text(char *out, size_t size, const json_t *v)
{
    if (json_is_integer(v))
        snprintf(out, size, "%lld", (long long)json_integer_value(v));
    else
        out[0] = '\0';
}

static void meeting_rows(struct mcsv *c, const json_t *m)
{
    char when[40];
    bip_local_time(when, sizeof when, str(m, "starts_at"), c->tz);
    mrow(c, "posiedzenie", "meeting", str(m, "number"), str(m, "title"), NULL, when);
    const json_t *org = json_object_get(m, "org"), *body = json_object_get(m, "body");
    mrow(c, "organizacja", "organisation", NULL, str(org, "name"), NULL, NULL);
    mrow(c, "organ", "body", NULL, str(body, "name"), NULL, NULL);
    mrow(c, "status", "status", NULL, NULL, NULL, bip_status_word(str(m, "status"), c->lang));
}

static void agenda_rows(struct mcsv *c, const json_t *agenda)
{
    size_t i;
    json_t *it;
    json_array_foreach (agenda, i, it) {
        char no[24];
        int_text(no, sizeof no, json_object_get(it, "position"));
        bool is_amendment = json_is_true(json_object_get(it, "is_amendment"));
        mrow(c, "porządek obrad", "agenda", no, str(it, "title"), NULL,
             is_amendment ? (is_en(c->lang) ? "amendment" : "zmiana porządku") : NULL);
    }
}

static void member_rows(struct mcsv *c, const json_t *members)
{
    static const struct word ROLES[] = {
        {"chair", "przewodniczący", "chair"}, {"vice_chair", "wiceprzewodniczący", "vice-chair"},
        {"member", "członek", "member"},      {"secretary", "sekretarz", "secretary"},
        {"guest", "gość", "guest"},           {NULL, NULL, NULL},
    };
    size_t i;
    json_t *p;
    json_array_foreach (members, i, p) {
        char no[24];
        snprintf(no, sizeof no, "%zu", i + 1);
        /* Polish: the word agrees with the person ("przewodnicząca"). */
        mrow(c, "skład", "member", no, NULL, str(p, "name"),
             is_en(c->lang) ? lookup(ROLES, str(p, "role"), c->lang)
                            : role_words_pl(str(p, "role"), str(p, "name"), false));
    }
}

static void attendance_rows(struct mcsv *c, const json_t *checks)
{
    size_t i;
    json_t *ch;
    json_array_foreach (checks, i, ch) {
        char no[24], when[40], count[64];
        snprintf(no, sizeof no, "%zu", i + 1);
        bip_local_time(when, sizeof when, str(ch, "ended_at"), c->tz);
        snprintf(count, sizeof count, "%lld/%lld",
                 (long long)json_integer_value(json_object_get(ch, "present_count")),
                 (long long)json_integer_value(json_object_get(ch, "required")));
        mrow(c, "sprawdzenie obecności", "attendance check", no, when, NULL, count);
        size_t k;
        json_t *name;
        json_array_foreach (json_object_get(ch, "present"), k, name) {
            mrow(c, "obecny", "present", no, when, json_string_value(name),
                 is_en(c->lang) ? "present" : "obecny");
        }
    }
}

static void count_row(struct mcsv *c, const char *no, const char *title, const json_t *result,
                      const char *key, const char *pl, const char *en)
{
    const json_t *v = json_object_get(result, key);
    if (!json_is_integer(v))
        return;
    char n[24];
    int_text(n, sizeof n, v);
    mrow(c, "wynik", "count", no, title, is_en(c->lang) ? en : pl, n);
}

/* A body with weights: the shares per answer (exact decimal text) and which
 * count decided, as rows of the section "udziały" / "shares". */
static void weight_rows(struct mcsv *c, const char *no, const char *title, const json_t *result)
{
    const json_t *w = json_object_get(result, "weighted");
    if (!json_is_object(w))
        return;
    static const struct word KEYS[] = {
        {"yes", "za", "yes"},       {"no", "przeciw", "no"},
        {"abstain", "wstrzymało się", "abstained"}, {"cast", "oddane", "cast"},
        {"eligible", "uprawnionych", "eligible"},   {NULL, NULL, NULL},
    };
    for (const struct word *k = KEYS; k->code; k++)
        mrow(c, "udziały", "shares", no, title, is_en(c->lang) ? k->en : k->pl, str(w, k->code));
    const char *on = str(result, "decided_on");
    mrow(c, "udziały", "shares", no, title, is_en(c->lang) ? "decided on" : "rozstrzygnięto według",
         on && !strcmp(on, "weights") ? (is_en(c->lang) ? "shares" : "udziałów")
                                      : (is_en(c->lang) ? "heads" : "liczby osób"));
}

static void vote_rows(struct mcsv *c, const json_t *votes)
{
    struct buf t = BUF_INIT;
    size_t i;
    json_t *v;
    json_array_foreach (votes, i, v) {
        char no[24];
        json_t *number = json_object_get(v, "number"); /* in the order of opening */
        snprintf(no, sizeof no, "%lld",
                 json_is_integer(number) ? (long long)json_integer_value(number) : (long long)i + 1);
        const char *title = str(v, "title");
        const json_t *result = json_object_get(v, "result");
        const char *outcome = str(result, "outcome");
        mrow(c, "głosowanie", "vote", no, title, bip_kind_word(str(v, "kind"), c->lang),
             outcome ? bip_outcome_word(outcome, c->lang)
                     : bip_status_word(str(v, "status"), c->lang));
        if (!result)
            continue;
        count_row(c, no, title, result, "yes", "za", "yes");
        count_row(c, no, title, result, "no", "przeciw", "no");
        count_row(c, no, title, result, "abstain", "wstrzymało się", "abstained");
        count_row(c, no, title, result, "blank", "głosy puste", "blank");
        size_t k;
        json_t *cand;
        json_array_foreach (json_object_get(result, "candidates"), k, cand) {
            char n[24];
            int_text(n, sizeof n, json_object_get(cand, "votes"));
            mrow(c, "kandydat", "candidate", no, title, str(cand, "name"), n);
        }
        count_row(c, no, title, result, "not_voted", "nie głosowało", "did not vote");
        count_row(c, no, title, result, "absent", "w tym nieobecnych", "of them absent");
        count_row(c, no, title, result, "eligible", "uprawnionych", "eligible");
        weight_rows(c, no, title, result);
        json_t *r;
        struct buf who = BUF_INIT;
        json_array_foreach (json_object_get(v, "named"), k, r) {
            buf_reset(&who);
            buf_puts(&who, str(r, "name") ? str(r, "name") : "");
            if (str(r, "weight"))
                buf_printf(&who, is_en(c->lang) ? " (weight %s)" : " (waga %s)", str(r, "weight"));
            mrow(c, "imiennie", "named", no, title, buf_str(&who), choice_cell(&t, v, r, c->lang));
        }
        buf_free(&who);
    }
    if (buf_failed(&t))
        c->b->failed = true;
    buf_free(&t);
}

void bip_meeting_csv(struct buf *b, const json_t *export, const char *lang, bool with_bom)
{
    static const char *const H_PL[] = {"Sekcja", "Nr", "Tytuł", "Osoba", "Wartość"};
    static const char *const H_EN[] = {"Section", "No.", "Title", "Person", "Value"};
    const json_t *m = json_object_get(export, "meeting");
    struct mcsv c = {b, lang, str(json_object_get(m, "org"), "time_zone")};
    if (with_bom)
        buf_puts(b, "\xEF\xBB\xBF");
    row(b, 5, is_en(lang) ? H_EN : H_PL);
    meeting_rows(&c, m);
    agenda_rows(&c, json_object_get(export, "agenda"));
    member_rows(&c, json_object_get(export, "members"));
    attendance_rows(&c, json_object_get(export, "attendance"));
    vote_rows(&c, json_object_get(export, "votes"));
}
