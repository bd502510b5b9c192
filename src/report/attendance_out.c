/* attendance_out.c — the attendance model (attendance.h) as a CSV and as a
 * PDF: a summary table (meetings, attended, absences, votes entitled, cast
 * and not cast per member) and, per member, each meeting with the times of
 * the attendance checks they answered and their arrivals and departures. */
#include <stdio.h>
#include <string.h>

#include "report/attendance.h"
#include "report/bip.h"
#include "report/layout.h"
#include "report/report_text.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/err.h"

static const char *jstr(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static int jint(const json_t *o, const char *key)
{
    return (int)json_integer_value(json_object_get(o, key));
}

static const json_t *meeting_of(const json_t *model, const char *id)
{
    size_t i;
    json_t *m;
    json_array_foreach (json_object_get(model, "meetings"), i, m)
        if (!strcmp(jstr(m, "id"), id))
            return m;
    return NULL;
}

/* "10:02, 11:30" from the check times. */
static void checks_text(struct buf *b, const json_t *row)
{
    size_t i;
    json_t *c;
    json_array_foreach (json_object_get(row, "checks"), i, c)
        buf_printf(b, "%s%s", i ? ", " : "", json_string_value(c));
}

/* "wyjście 10:45; przybycie 11:02". */
static void moves_text(struct buf *b, const json_t *row, bool en)
{
    size_t i;
    json_t *c;
    json_array_foreach (json_object_get(row, "movements"), i, c) {
        bool in = json_is_true(json_object_get(c, "present"));
        buf_printf(b, "%s%s %s", i ? "; " : "",
                   in ? TR(en, "przybycie", "arrived") : TR(en, "wyjście", "left"), jstr(c, "at"));
    }
}

/* "2025-01-31" as the language writes a date. */
static void day_text(char out[16], const char *ymd, bool en)
{
    if (en || strlen(ymd) != 10)
        snprintf(out, 16, "%s", ymd);
    else
        snprintf(out, 16, "%.2s.%.2s.%.4s", ymd + 8, ymd + 5, ymd);
}

static void csv_row(struct buf *b, int n, const char *const *cells)
{
    for (int i = 0; i < n; i++) {
        if (i)
            buf_puts(b, ",");
        bip_csv_field(b, cells[i]);
    }
    buf_puts(b, "\r\n");
}

void attendance_csv(struct buf *b, const json_t *model, bool en, bool with_bom)
{
    static const char *const H_PL[10] = {
        "Imię i nazwisko",     "Data",       "Nr",
        "Posiedzenie",         "Obecność",   "Sprawdzenia obecności",
        "Przybycia i wyjścia", "Głosowania", "Oddane głosy",
        "Nieoddane głosy"};
    static const char *const H_EN[10] = {"Name",
                                         "Date",
                                         "No.",
                                         "Meeting",
                                         "Attendance",
                                         "Attendance checks",
                                         "Arrivals and departures",
                                         "Votes",
                                         "Votes cast",
                                         "Votes not cast"};
    if (with_bom)
        buf_puts(b, "\xEF\xBB\xBF");
    csv_row(b, 10, en ? H_EN : H_PL);
    size_t i, k;
    json_t *mem, *row;
    json_array_foreach (json_object_get(model, "members"), i, mem) {
        json_array_foreach (json_object_get(mem, "per_meeting"), k, row) {
            const json_t *m = meeting_of(model, jstr(row, "meeting_id"));
            struct buf ch = BUF_INIT, mv = BUF_INIT;
            char e[12], c[12], nc[12], day[16];
            checks_text(&ch, row);
            moves_text(&mv, row, en);
            snprintf(e, sizeof e, "%d", jint(row, "votes_eligible"));
            snprintf(c, sizeof c, "%d", jint(row, "votes_cast"));
            snprintf(nc, sizeof nc, "%d", jint(row, "votes_not_cast"));
            day_text(day, jstr(m, "date"), en);
            bool in = json_is_true(json_object_get(row, "present"));
            const char *cells[10] = {jstr(mem, "name"),
                                     day,
                                     jstr(m, "number"),
                                     jstr(m, "title"),
                                     in ? TR(en, "obecny/obecna", "present")
                                        : TR(en, "nieobecny/nieobecna", "absent"),
                                     buf_str(&ch),
                                     buf_str(&mv),
                                     e,
                                     c,
                                     nc};
            csv_row(b, 10, cells);
            buf_free(&ch);
            buf_free(&mv);
        }
        char att[64], e[12], c[12], nc[12];
        snprintf(att, sizeof att, "%d/%d", jint(mem, "attended"), jint(mem, "meetings"));
        snprintf(e, sizeof e, "%d", jint(mem, "votes_eligible"));
        snprintf(c, sizeof c, "%d", jint(mem, "votes_cast"));
        snprintf(nc, sizeof nc, "%d", jint(mem, "votes_not_cast"));
        const char *cells[10] = {
            jstr(mem, "name"), "", "", TR(en, "RAZEM", "TOTAL"), att, "", "", e, c, nc};
        csv_row(b, 10, cells);
    }
}

/* ---- PDF ---- */

struct att_pdf {
    const json_t *model;
    bool en;
};

static void summary(struct lay *l, const json_t *model, bool en)
{
    /* header words short enough for their columns (DejaVu Sans Bold 8.5) */
    static const double w[7] = {0.05, 0.23, 0.16, 0.14, 0.16, 0.13, 0.13};
    const char *hd[7] = {TR(en, "Lp.", "No."),
                         TR(en, "Imię i nazwisko", "Name"),
                         TR(en, "Posiedzeń", "Meetings"),
                         TR(en, "Obecny", "Attended"),
                         TR(en, "Nieobecny", "Absent"),
                         TR(en, "Głosy oddane", "Votes cast"),
                         TR(en, "Bez głosu", "Not cast")};
    lay_heading(l, LAY_H1, TR(en, "1. Zestawienie", "1. Summary"));
    lay_para(l, LAY_SMALL,
             TR(en,
                "Obecność: osoba potwierdziła obecność w sprawdzeniu obecności, przybyła na "
                "posiedzenie lub oddała głos. Głosy: z głosowań zamkniętych, do których osoba "
                "była uprawniona.",
                "Attended: the person answered an attendance check, arrived or cast a vote. "
                "Votes: of the closed votes the person was entitled to."));
    lay_table_begin(l, 7, w, hd, NULL);
    size_t i;
    json_t *mem;
    json_array_foreach (json_object_get(model, "members"), i, mem) {
        char no[24], m[12], a[12], ab[12], c[28], nc[12];
        snprintf(no, sizeof no, "%zu.", i + 1);
        snprintf(m, sizeof m, "%d", jint(mem, "meetings"));
        snprintf(a, sizeof a, "%d", jint(mem, "attended"));
        snprintf(ab, sizeof ab, "%d", jint(mem, "absences"));
        snprintf(c, sizeof c, "%d/%d", jint(mem, "votes_cast"), jint(mem, "votes_eligible"));
        snprintf(nc, sizeof nc, "%d", jint(mem, "votes_not_cast"));
        const char *cells[7] = {no, jstr(mem, "name"), m, a, ab, c, nc};
        lay_table_row(l, cells);
    }
    lay_table_end(l);
}

static void details(struct lay *l, const json_t *model, bool en)
{
    static const double w[5] = {0.14, 0.30, 0.18, 0.24, 0.14};
    static const enum lay_style st[5] = {LAY_SMALL, LAY_BODY, LAY_SMALL, LAY_SMALL, LAY_BODY};
    const char *hd[5] = {
        TR(en, "Data", "Date"), TR(en, "Posiedzenie", "Meeting"), TR(en, "Obecność", "Attendance"),
        TR(en, "Sprawdzenia; przybycia i wyjścia", "Checks; arrivals and departures"),
        TR(en, "Głosy oddane", "Votes cast")};
    lay_heading(l, LAY_H1, TR(en, "2. Posiedzenia poszczególnych osób", "2. Meetings per person"));
    size_t i, k;
    json_t *mem, *row;
    json_array_foreach (json_object_get(model, "members"), i, mem) {
        char h[900];
        snprintf(h, sizeof h, "%zu. %s", i + 1, jstr(mem, "name"));
        lay_heading(l, LAY_H2, h);
        if (!json_array_size(json_object_get(mem, "per_meeting"))) {
            lay_para(l, LAY_BODY,
                     TR(en, "Brak posiedzeń w okresie.", "No meetings in the period."));
            continue;
        }
        lay_table_begin(l, 5, w, hd, st);
        json_array_foreach (json_object_get(mem, "per_meeting"), k, row) {
            const json_t *m = meeting_of(model, jstr(row, "meeting_id"));
            struct buf t = BUF_INIT, mv = BUF_INIT;
            char day[16], title[900], c[24];
            day_text(day, jstr(m, "date"), en);
            if (*jstr(m, "number"))
                snprintf(title, sizeof title, "%s %s — %s", TR(en, "nr", "no."), jstr(m, "number"),
                         jstr(m, "title"));
            else
                snprintf(title, sizeof title, "%s", jstr(m, "title"));
            checks_text(&t, row);
            moves_text(&mv, row, en);
            if (mv.len)
                buf_printf(&t, "%s%s", t.len ? "; " : "", buf_str(&mv));
            snprintf(c, sizeof c, "%d/%d", jint(row, "votes_cast"), jint(row, "votes_eligible"));
            bool in = json_is_true(json_object_get(row, "present"));
            const char *cells[5] = {
                day, title, in ? TR(en, "obecny/a", "present") : TR(en, "nieobecny/a", "absent"),
                t.len ? buf_str(&t) : "—", c};
            lay_table_row(l, cells);
            buf_free(&t);
            buf_free(&mv);
        }
        lay_table_end(l);
    }
}

static void render(struct lay *l, void *arg)
{
    const struct att_pdf *p = arg;
    const json_t *model = p->model;
    bool en = p->en;
    char s[200], a[16], b[16];
    lay_para(l, LAY_TITLE,
             TR(en, "Obecność i aktywność członków organu w okresie",
                "Attendance and activity of members over a period"));
    lay_space(l, 6);
    lay_field(l, TR(en, "Organizacja", "Organisation"),
              jstr(json_object_get(model, "org"), "name"));
    lay_field(l, TR(en, "Organ", "Body"), jstr(json_object_get(model, "body"), "name"));
    day_text(a, jstr(model, "from"), en);
    day_text(b, jstr(model, "to"), en);
    snprintf(s, sizeof s, "%s — %s", a, b);
    lay_field(l, TR(en, "Okres", "Period"), s);
    snprintf(s, sizeof s, "%zu", json_array_size(json_object_get(model, "meetings")));
    lay_field(l, TR(en, "Posiedzenia w okresie", "Meetings in the period"), s);
    int64_t at = 0;
    clock_parse_rfc3339(jstr(model, "generated_at"), &at);
    report_format_time(s, sizeof s, at, jstr(json_object_get(model, "org"), "time_zone"), en);
    lay_field(l, TR(en, "Sporządzono", "Generated"), s);
    lay_space(l, 8);
    summary(l, model, en);
    lay_space(l, 8);
    details(l, model, en);
}

int attendance_pdf(const json_t *model, bool en, struct buf *out)
{
    struct att_pdf p = {.model = model, .en = en};
    char footer[120];
    snprintf(footer, sizeof footer, "obrady · %s %s — %s", TR(en, "obecność", "attendance"),
             jstr(model, "from"), jstr(model, "to"));
    struct lay_opts o = {.title = TR(en, "Obecność i aktywność", "Attendance and activity"),
                         .footer_page = en ? "page %d of %d" : "strona %d z %d",
                         .footer_left = footer};
    return lay_render_pdf(render, &p, &o, out, NULL);
}
