/* layout.h — a tiny page layout layer on cairo + pango for the PDF protocols:
 * A4 pages with fixed margins, headings, wrapped paragraphs that break
 * between lines, tables whose rows break across pages with the header row
 * repeated, a QR code, signature lines, and a footer "strona X z Y" on every
 * page. The document is a render function run twice: once to count the
 * pages (nothing is drawn), once to draw with the total known.
 *
 * Text is UTF-8 and set as plain text (never markup). Errors are sticky: a
 * failed allocation or cairo error makes lay_render_pdf fail at the end. */
#ifndef OBR_REPORT_LAYOUT_H
#define OBR_REPORT_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

struct buf;
struct lay;

#define LAY_PAGE_W 595.276 /* A4 in points */
#define LAY_PAGE_H 841.890
#define LAY_MARGIN 56.693 /* 2 cm */
#define LAY_TABLE_MAX_COLS 8

enum lay_style {
    LAY_BODY,  /* DejaVu Sans 10 */
    LAY_BOLD,  /* DejaVu Sans Bold 10 */
    LAY_SMALL, /* DejaVu Sans 8 */
    LAY_MONO,  /* DejaVu Sans Mono 8: hashes, ids */
    LAY_TITLE, /* DejaVu Sans Bold 15 */
    LAY_H1,    /* DejaVu Sans Bold 12.5 */
    LAY_H2,    /* DejaVu Sans Bold 10.5 */
    LAY_HEAD,  /* DejaVu Sans Bold 8.5: table header rows */
    LAY__STYLES
};

struct lay_opts {
    const char *title;       /* PDF metadata; may be NULL */
    const char *footer_page; /* printf format with two %d: "strona %d z %d" */
    const char *footer_left; /* small text left in every footer; may be NULL */
};

/* What the last render did, for tests and benchmarks. */
struct lay_stats {
    int pages;
    int rows;        /* table body rows drawn */
    int header_rows; /* table header rows drawn (once per page a table is on) */
};

typedef void (*lay_render_fn)(struct lay *l, void *arg);

/* Runs render twice and appends the PDF to out. stats may be NULL.
 * 0, OBR_ENOMEM, or OBR_EIO when cairo fails. */
int lay_render_pdf(lay_render_fn render, void *arg, const struct lay_opts *o, struct buf *out,
                   struct lay_stats *stats);

/* Headings keep at least a few lines of what follows on their page. */
void lay_heading(struct lay *l, enum lay_style s, const char *text);
/* A paragraph in the content width; breaks between lines at the page end. */
void lay_para(struct lay *l, enum lay_style s, const char *text);
/* A paragraph indented by indent_pt. */
void lay_para_indent(struct lay *l, enum lay_style s, double indent_pt, const char *text);
void lay_space(struct lay *l, double pt);
/* Starts a new page unless the current one is still empty. */
void lay_new_page(struct lay *l);
/* Starts a new page when less than pt remains on this one. */
void lay_need(struct lay *l, double pt);

/* Tables: widths are fractions of the content width (summing to 1);
 * header may be NULL (no header row). Cells may be NULL (empty). A row is
 * never split; a row that does not fit goes to the next page, which starts
 * with the header row again. styles (may be NULL: LAY_BODY) is per column. */
void lay_table_begin(struct lay *l, int n_cols, const double *widths, const char *const *header,
                     const enum lay_style *styles);
void lay_table_row(struct lay *l, const char *const *cells);
void lay_table_end(struct lay *l);

/* A label and its value as a two-column row without borders. */
void lay_field(struct lay *l, const char *label, const char *value);

/* A QR code of text, size_pt square, at the left margin, with caption to its
 * right (may be NULL). Nothing is drawn when text cannot be encoded. */
void lay_qr(struct lay *l, const char *text, double size_pt, const char *caption);

/* Two signature lines side by side with a caption under each. */
void lay_signatures(struct lay *l, const char *left, const char *right);

/* The current page (1-based) and the space left on it in points. */
int lay_page(const struct lay *l);
double lay_room(const struct lay *l);

#endif
