/* public_html_impl.h — what the files of the public pages share
 * (public_html.c: home and meeting; public_html_vote.c: a vote;
 * public_html_parts.c: the pieces below). Not for use outside report/. */
#ifndef OBR_REPORT_PUBLIC_HTML_IMPL_H
#define OBR_REPORT_PUBLIC_HTML_IMPL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct buf;

/* The text in the page's language (needs a variable lang in scope). */
#define T(pl, en) (ph_is_en(lang) ? (en) : (pl))

bool ph_is_en(const char *lang);
/* A string member of o, or NULL. */
const char *ph_str(const json_t *o, const char *key);
long long ph_num(const json_t *o, const char *key);
/* {pl, en} object → the text in lang ("" when absent). */
const char *ph_texts(const json_t *o, const char *lang);
/* <section aria-labelledby=id><h2 id=id>heading</h2> ... </section> */
void ph_section_begin(struct buf *b, const char *id, const char *heading);
void ph_section_end(struct buf *b);
/* "number — title" or the title, escaped. */
void ph_meeting_name(struct buf *b, const json_t *m);
/* The RFC 3339 time m[key] on the wall clock of the meeting's organisation. */
void ph_local_time(char *out, size_t size, const json_t *m, const char *key);
/* Public meetings › the meeting › last (last NULL: the meeting is the page). */
void ph_breadcrumbs(struct buf *b, const char *lang, const json_t *meeting, const char *last);
/* Verdict, rule, result table and named list (or the secret-vote note) of a
 * vote; the named list's heading is h<h> with id. */
void ph_vote_body(struct buf *b, const json_t *v, const char *lang, int h, const char *id);

#endif
