/* attendance.h — attendance and activity of a body's members over a period
 * (a term or any date range), as offices use it for allowances (diety):
 * per member, the meetings held in the period and which of them they
 * attended (with the times of the attendance checks they answered and their
 * arrivals and departures), the votes they were entitled to and which of
 * them they cast, and the absences. One JSON model (attendance_data.c) read
 * from the meetings' logs, printed as CSV and PDF (attendance_out.c). */
#ifndef OBR_REPORT_ATTENDANCE_H
#define OBR_REPORT_ATTENDANCE_H

#include <jansson.h>
#include <stdbool.h>

struct buf;
struct db;

/* A day as the number yyyymmdd (20250131). */
#define ATT_YMD(y, m, d) ((y)*10000 + (m)*100 + (d))

/* Parses "YYYY-MM-DD" (a real calendar day, years 2000..2199) into *ymd.
 * 0, or -1 when malformed. */
int attendance_parse_day(const char *s, int *ymd);

/* The model of body_id for the days from_ymd..to_ymd (inclusive, on the
 * organisation's wall clock). Meetings counted: those of the body that were
 * started (in progress, closed or archived) on a day of the period. Members:
 * the body's members (as the meetings' logs know them).
 * {body {id, name}, org {id, name, time_zone, lang}, from, to, generated_at,
 *  meetings [{id, number, title, date, started_at, status, checks}],
 *  members [{user_id, name, role, meetings, attended, absences,
 *            votes_eligible, votes_cast, votes_not_cast,
 *            per_meeting [{meeting_id, present, checks ["HH:MM"...],
 *                          movements [{at "HH:MM", present}], votes_eligible,
 *                          votes_cast, votes_not_cast}]}]}
 * A member "attended" a meeting when they answered an attendance check,
 * arrived (presence.changed) or cast a vote in it. 0 and *out (caller
 * decrefs), OBR_ENOTFOUND for an unknown body, or a store error. */
int attendance_model(struct db *db, const char *body_id, int from_ymd, int to_ymd, json_t **out);

/* The CSV (RFC 4180, see report/bip.h): one row per member and meeting,
 * "Imię i nazwisko,Data,Nr,Posiedzenie,Obecność,Sprawdzenia obecności,
 * Przybycia i wyjścia,Głosowania,Oddane głosy,Nieoddane głosy" (en: "Name,
 * Date,No.,Meeting,Attendance,Attendance checks,Arrivals and departures,
 * Votes,Votes cast,Votes not cast"), then per member a total row. */
void attendance_csv(struct buf *b, const json_t *model, bool is_en, bool with_bom);

/* The PDF: a summary table and per member the meetings. 0, OBR_ENOMEM, OBR_EIO. */
int attendance_pdf(const json_t *model, bool is_en, struct buf *out);

#endif
