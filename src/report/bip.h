/* bip.h — the BIP exports (Biuletyn Informacji Publicznej): named vote lists
 * and whole meetings as CSV, and the words both the CSV and the public pages
 * use. Input is the publication model of api/public_model.h (a vote as
 * pub_vote_json, a meeting as pub_meeting_json); no I/O here.
 *
 * CSV (RFC 4180): UTF-8, a header row, fields separated by commas, records
 * ended by CRLF; a field holding a comma, quote, CR or LF is quoted and its
 * quotes doubled. A field starting with = + - @ (which a spreadsheet would
 * run as a formula) gets a leading apostrophe. With with_bom the file starts
 * with a UTF-8 byte order mark, so spreadsheets read Polish letters right. */
#ifndef OBR_REPORT_BIP_H
#define OBR_REPORT_BIP_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

struct buf;

/* Words, lang "en" or anything else for Polish. Never NULL. */
const char *bip_choice_word(const char *choice, const char *lang); /* NULL: did not vote */
/* A named-list row without a ballot: "nieobecny/nieobecna" when the row says
 * absent, else "nie głosował(a)". */
const char *bip_no_ballot_word(const json_t *row, const char *lang);
const char *bip_outcome_word(const char *outcome, const char *lang);
const char *bip_status_word(const char *status, const char *lang);
const char *bip_kind_word(const char *kind, const char *lang);
const char *bip_mode_word(const char *mode, const char *lang);
/* "blank" for an empty election ballot. */
const char *bip_blank_word(const char *lang);

/* One CSV field (quoted when needed), without the separator. */
void bip_csv_field(struct buf *b, const char *s);

/* The named list of one vote: "Lp.,Imię i nazwisko,Głos" (en: "No.,Name,
 * Choice"), one row per eligible voter in the list's order; an election's
 * choice is the chosen candidates joined by "; ". A secret vote has no
 * named list: the header only. */
void bip_vote_csv(struct buf *b, const json_t *vote, const char *lang, bool with_bom);

/* The whole meeting in one table "Sekcja,Nr,Tytuł,Osoba,Wartość" (en:
 * "Section,No.,Title,Person,Value"): the meeting, the agenda, the members,
 * each attendance check with who was present, each vote with its outcome,
 * counts and named list. local_time formats times (see bip_local_time). */
void bip_meeting_csv(struct buf *b, const json_t *export, const char *lang, bool with_bom);

/* An RFC 3339 time from the model as "YYYY-MM-DD HH:MM" on the wall clock of
 * time_zone (NULL: Europe/Warsaw); "" for NULL or a malformed time. */
void bip_local_time(char *out, size_t size, const char *rfc3339, const char *time_zone);

#endif
