/* report_text.h — words and formats shared by the reports: times on the
 * organisation's wall clock and the names of choices and outcomes. Names
 * are ordered by core/pl_collate.h, as on the engine's named lists. */
#ifndef OBR_REPORT_TEXT_H
#define OBR_REPORT_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Picks the Polish or the English text. */
#define TR(is_en, pl, en) ((is_en) ? (en) : (pl))

/* "23.11.2026 13:05 CET" (Polish) or "2026-11-23 13:05 CET" (English) on the
 * wall clock of zone (NULL: Europe/Warsaw). "—" for 0. */
void report_format_time(char *out, size_t size, int64_t ms, const char *zone, bool is_en);
/* "13:05" on the wall clock of zone; "—" for 0. */
void report_format_hm(char *out, size_t size, int64_t ms, const char *zone);
/* The date alone: "23.11.2026" or "2026-11-23". */
void report_format_date(char *out, size_t size, int64_t ms, const char *zone, bool is_en);

/* yes|no|abstain|NULL (not voted) in words. */
const char *report_choice_word(const char *choice, bool is_en);
/* A named-list row without a ballot: absent ("nieobecny/nieobecna") or
 * present but did not vote ("nie głosował(a)"). */
const char *report_no_ballot_word(bool is_absent, bool is_en);
/* " — oddany przez pełnomocnika " / " — cast by proxy holder ": put
 * between a named-list row's name and the name of who cast its ballot. */
const char *report_proxy_words(bool is_en);
/* adopted|rejected|invalid in words. */
const char *report_outcome_word(const char *outcome, bool is_en);
struct lay;
/* report_set_public_url's address ("" until set). */
const char *report_public_url(void);
/* The footer lines naming the installation key (report_set_installation_key). */
void report_key_lines(struct lay *l, bool is_en);

#endif
