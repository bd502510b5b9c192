/* layout.c — see layout.h. Both passes lay out on a PDF surface (the first
 * with no writer), so pango measures text identically and the page count of
 * the first pass is the page count of the second. */
#include "report/layout.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <string.h>

#include "util/buf.h"
#include "util/err.h"

#define CONTENT_W (LAY_PAGE_W - 2 * LAY_MARGIN)
#define CONTENT_BOTTOM (LAY_PAGE_H - LAY_MARGIN)
#define FOOTER_Y (LAY_PAGE_H - LAY_MARGIN + 18)
#define CELL_PAD 3.0
#define PARA_GAP 4.0
#define HEADING_KEEP 60.0 /* room a heading wants below itself */

struct lay_table {
    int n_cols;
    double widths[LAY_TABLE_MAX_COLS]; /* points */
    const char *header[LAY_TABLE_MAX_COLS];
    enum lay_style styles[LAY_TABLE_MAX_COLS];
    bool has_header;
    bool is_header_on_page; /* drawn on the current page already */
    bool is_borderless;
};

struct lay {
    cairo_surface_t *surface;
    cairo_t *cr;
    PangoLayout *layout;
    PangoFontDescription *fonts[LAY__STYLES];
    bool is_drawing; /* second pass */
    int page, total_pages;
    double y;            /* next free line, from the top of the page */
    bool is_page_empty;  /* nothing placed on the current page yet */
    const struct lay_opts *opts;
    struct lay_table table;
    bool is_in_table;
    struct lay_stats stats;
    bool failed;
};

static const char *const FONT_NAMES[LAY__STYLES] = {
    [LAY_BODY] = "DejaVu Sans 10",       [LAY_BOLD] = "DejaVu Sans Bold 10",
    [LAY_SMALL] = "DejaVu Sans 8",       [LAY_MONO] = "DejaVu Sans Mono 8",
    [LAY_TITLE] = "DejaVu Sans Bold 15", [LAY_H1] = "DejaVu Sans Bold 12.5",
    [LAY_H2] = "DejaVu Sans Bold 10.5",   [LAY_HEAD] = "DejaVu Sans Bold 8.5",
};

/* ---- text ---- */

/* Sets the shared layout to text in style s wrapped at width_pt; returns its height. */
static double set_text(struct lay *l, enum lay_style s, const char *text, double width_pt)
{
    pango_layout_set_font_description(l->layout, l->fonts[s]);
    pango_layout_set_width(l->layout, (int)(width_pt * PANGO_SCALE));
    if (text && !g_utf8_validate(text, -1, NULL)) {
        char *valid = g_utf8_make_valid(text, -1); /* a name cut mid-character */
        pango_layout_set_text(l->layout, valid, -1);
        g_free(valid);
    } else {
        pango_layout_set_text(l->layout, text ? text : "", -1);
    }
    int w, h;
    pango_layout_get_size(l->layout, &w, &h);
    return (double)h / PANGO_SCALE;
}

static void draw_layout_at(struct lay *l, double x, double y)
{
    if (!l->is_drawing)
        return;
    cairo_move_to(l->cr, x, y);
    pango_cairo_show_layout(l->cr, l->layout);
}

static void draw_footer(struct lay *l)
{
    if (!l->is_drawing)
        return;
    char page[96];
    snprintf(page, sizeof page, l->opts->footer_page ? l->opts->footer_page : "%d / %d", l->page,
             l->total_pages);
    cairo_set_source_rgb(l->cr, 0.6, 0.6, 0.6);
    cairo_set_line_width(l->cr, 0.5);
    cairo_move_to(l->cr, LAY_MARGIN, FOOTER_Y - 4);
    cairo_line_to(l->cr, LAY_PAGE_W - LAY_MARGIN, FOOTER_Y - 4);
    cairo_stroke(l->cr);
    cairo_set_source_rgb(l->cr, 0.25, 0.25, 0.25);
    pango_layout_set_alignment(l->layout, PANGO_ALIGN_RIGHT);
    set_text(l, LAY_SMALL, page, CONTENT_W);
    draw_layout_at(l, LAY_MARGIN, FOOTER_Y);
    pango_layout_set_alignment(l->layout, PANGO_ALIGN_LEFT);
    if (l->opts->footer_left) {
        set_text(l, LAY_SMALL, l->opts->footer_left, CONTENT_W * 0.7);
        draw_layout_at(l, LAY_MARGIN, FOOTER_Y);
    }
    cairo_set_source_rgb(l->cr, 0, 0, 0);
}

static void draw_table_header(struct lay *l);

static void next_page(struct lay *l)
{
    draw_footer(l);
    if (l->is_drawing)
        cairo_show_page(l->cr);
    l->page++;
    l->y = LAY_MARGIN;
    l->is_page_empty = true;
    l->table.is_header_on_page = false;
    if (l->is_in_table)
        draw_table_header(l);
}

void lay_new_page(struct lay *l)
{
    if (!l->is_page_empty)
        next_page(l);
}

void lay_need(struct lay *l, double pt)
{
    if (lay_room(l) < pt)
        lay_new_page(l);
}

int lay_page(const struct lay *l)
{
    return l->page;
}

double lay_room(const struct lay *l)
{
    return CONTENT_BOTTOM - l->y;
}

void lay_space(struct lay *l, double pt)
{
    if (!l->is_page_empty)
        l->y += pt;
}

/* Places the text set in the layout at x, line by line, breaking pages
 * between lines. */
static void flow_lines(struct lay *l, double x)
{
    /* A copy: a page break draws the footer with the shared layout. */
    PangoLayout *pl = pango_layout_copy(l->layout);
    PangoLayoutIter *it = pango_layout_get_iter(pl);
    double offset = 0, bottom = 0; /* layout y of the first line on this page; of the last line */
    bool is_first_on_page = true;
    do {
        PangoRectangle logical;
        pango_layout_iter_get_line_extents(it, NULL, &logical);
        double top = (double)logical.y / PANGO_SCALE;
        double height = (double)logical.height / PANGO_SCALE;
        if (l->y + (top + height - offset) > CONTENT_BOTTOM && !(is_first_on_page && l->is_page_empty)) {
            l->y += bottom - offset;
            next_page(l);
            offset = top;
        }
        if (l->is_drawing) {
            double baseline = (double)pango_layout_iter_get_baseline(it) / PANGO_SCALE;
            cairo_move_to(l->cr, x + (double)logical.x / PANGO_SCALE, l->y + baseline - offset);
            pango_cairo_show_layout_line(l->cr, pango_layout_iter_get_line_readonly(it));
        }
        bottom = top + height;
        is_first_on_page = false;
        l->is_page_empty = false;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    g_object_unref(pl);
    l->y += bottom - offset;
}

void lay_para_indent(struct lay *l, enum lay_style s, double indent_pt, const char *text)
{
    set_text(l, s, text, CONTENT_W - indent_pt);
    flow_lines(l, LAY_MARGIN + indent_pt);
    l->y += PARA_GAP;
}

void lay_para(struct lay *l, enum lay_style s, const char *text)
{
    lay_para_indent(l, s, 0, text);
}

void lay_heading(struct lay *l, enum lay_style s, const char *text)
{
    double h = set_text(l, s, text, CONTENT_W);
    lay_space(l, s == LAY_H2 ? 4 : 8);
    lay_need(l, h + HEADING_KEEP);
    lay_para(l, s, text);
}

/* ---- tables ---- */

static double row_height(struct lay *l, const char *const *cells, bool is_header)
{
    double h = 0;
    for (int i = 0; i < l->table.n_cols; i++) {
        enum lay_style s = is_header ? LAY_HEAD : l->table.styles[i];
        double ch = set_text(l, s, cells[i], l->table.widths[i] - 2 * CELL_PAD);
        if (ch > h)
            h = ch;
    }
    return h + 2 * CELL_PAD;
}

static void draw_row(struct lay *l, const char *const *cells, bool is_header, double h)
{
    if (l->is_drawing) {
        if (is_header) {
            cairo_set_source_rgb(l->cr, 0.9, 0.9, 0.9);
            cairo_rectangle(l->cr, LAY_MARGIN, l->y, CONTENT_W, h);
            cairo_fill(l->cr);
            cairo_set_source_rgb(l->cr, 0, 0, 0);
        }
        double x = LAY_MARGIN;
        for (int i = 0; i < l->table.n_cols; i++) {
            set_text(l, is_header ? LAY_HEAD : l->table.styles[i], cells[i],
                     l->table.widths[i] - 2 * CELL_PAD);
            draw_layout_at(l, x + CELL_PAD, l->y + CELL_PAD);
            x += l->table.widths[i];
        }
        if (!l->table.is_borderless) {
            cairo_set_source_rgb(l->cr, 0.55, 0.55, 0.55);
            cairo_set_line_width(l->cr, 0.4);
            cairo_move_to(l->cr, LAY_MARGIN, l->y + h);
            cairo_line_to(l->cr, LAY_MARGIN + CONTENT_W, l->y + h);
            cairo_stroke(l->cr);
            cairo_set_source_rgb(l->cr, 0, 0, 0);
        }
    }
    l->y += h;
    l->is_page_empty = false;
}

static void draw_table_header(struct lay *l)
{
    if (!l->table.has_header || l->table.is_header_on_page)
        return;
    double h = row_height(l, l->table.header, true);
    draw_row(l, l->table.header, true, h);
    l->table.is_header_on_page = true;
    l->stats.header_rows++;
}

void lay_table_begin(struct lay *l, int n_cols, const double *widths, const char *const *header,
                     const enum lay_style *styles)
{
    struct lay_table *t = &l->table;
    memset(t, 0, sizeof *t);
    t->n_cols = n_cols < 1 ? 1 : n_cols > LAY_TABLE_MAX_COLS ? LAY_TABLE_MAX_COLS : n_cols;
    for (int i = 0; i < t->n_cols; i++) {
        t->widths[i] = widths[i] * CONTENT_W;
        t->header[i] = header && header[i] ? header[i] : "";
        t->styles[i] = styles ? styles[i] : LAY_BODY;
    }
    t->has_header = header != NULL;
    l->is_in_table = true;
    if (t->has_header) {
        /* The header never stands alone at the foot of a page. */
        double h = row_height(l, t->header, true);
        lay_need(l, 2.5 * h);
        draw_table_header(l);
    }
}

void lay_table_row(struct lay *l, const char *const *cells)
{
    const char *c[LAY_TABLE_MAX_COLS];
    for (int i = 0; i < l->table.n_cols; i++)
        c[i] = cells[i] ? cells[i] : "";
    double h = row_height(l, c, false);
    if (l->y + h > CONTENT_BOTTOM && !l->is_page_empty)
        next_page(l);
    draw_row(l, c, false, h);
    l->stats.rows++;
}

void lay_table_end(struct lay *l)
{
    l->is_in_table = false;
    l->y += PARA_GAP * 2;
}

void lay_field(struct lay *l, const char *label, const char *value)
{
    static const double w[2] = {0.34, 0.66};
    static const enum lay_style s[2] = {LAY_BOLD, LAY_BODY};
    lay_table_begin(l, 2, w, NULL, s);
    l->table.is_borderless = true;
    const char *cells[2] = {label, value};
    lay_table_row(l, cells);
    l->stats.rows--; /* a field is not a table row */
    l->is_in_table = false;
}

/* ---- QR code and signatures ---- */

void lay_qr(struct lay *l, const char *text, double size_pt, const char *caption)
{
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!q)
        return;
    lay_need(l, size_pt + 8);
    if (l->is_drawing) {
        double m = size_pt / (q->width + 8); /* 4 modules of quiet zone each side */
        double x0 = LAY_MARGIN + 4 * m, y0 = l->y + 4 * m;
        for (int r = 0; r < q->width; r++)
            for (int c = 0; c < q->width; c++)
                if (q->data[r * q->width + c] & 1)
                    cairo_rectangle(l->cr, x0 + c * m, y0 + r * m, m, m);
        cairo_fill(l->cr);
    }
    QRcode_free(q);
    if (caption) {
        set_text(l, LAY_SMALL, caption, CONTENT_W - size_pt - 12);
        draw_layout_at(l, LAY_MARGIN + size_pt + 12, l->y + 12);
    }
    l->y += size_pt + 4;
    l->is_page_empty = false;
}

void lay_signatures(struct lay *l, const char *left, const char *right)
{
    double col = CONTENT_W / 2;
    lay_need(l, 80);
    l->y += 40;
    for (int i = 0; i < 2; i++) {
        double x = LAY_MARGIN + i * col;
        if (l->is_drawing) {
            cairo_set_line_width(l->cr, 0.6);
            cairo_move_to(l->cr, x + 10, l->y);
            cairo_line_to(l->cr, x + col - 20, l->y);
            cairo_stroke(l->cr);
        }
        set_text(l, LAY_SMALL, i ? right : left, col - 30);
        draw_layout_at(l, x + 10, l->y + 3);
    }
    l->y += 24;
    l->is_page_empty = false;
}

/* ---- the two passes ---- */

static cairo_status_t write_buf(void *closure, const unsigned char *data, unsigned int len)
{
    struct buf *b = closure;
    buf_append(b, data, len);
    return buf_failed(b) ? CAIRO_STATUS_WRITE_ERROR : CAIRO_STATUS_SUCCESS;
}

static int run_pass(struct lay *l, lay_render_fn render, void *arg, struct buf *out)
{
    l->surface = cairo_pdf_surface_create_for_stream(out ? write_buf : NULL, out, LAY_PAGE_W,
                                                     LAY_PAGE_H);
    if (out && l->opts->title)
        cairo_pdf_surface_set_metadata(l->surface, CAIRO_PDF_METADATA_TITLE, l->opts->title);
    if (out)
        cairo_pdf_surface_set_metadata(l->surface, CAIRO_PDF_METADATA_CREATOR, "obrady");
    l->cr = cairo_create(l->surface);
    l->layout = pango_cairo_create_layout(l->cr);
    if (!l->layout)
        return OBR_ENOMEM;
    pango_layout_set_wrap(l->layout, PANGO_WRAP_WORD_CHAR);
    l->page = 1;
    l->y = LAY_MARGIN;
    l->is_page_empty = true;
    l->is_in_table = false;
    memset(&l->stats, 0, sizeof l->stats);
    render(l, arg);
    draw_footer(l);
    if (l->is_drawing)
        cairo_show_page(l->cr);
    l->stats.pages = l->page;
    g_object_unref(l->layout);
    l->layout = NULL;
    cairo_destroy(l->cr);
    cairo_surface_finish(l->surface);
    cairo_status_t st = cairo_surface_status(l->surface);
    cairo_surface_destroy(l->surface);
    if (st == CAIRO_STATUS_NO_MEMORY)
        return OBR_ENOMEM;
    return st == CAIRO_STATUS_SUCCESS ? 0 : OBR_EIO;
}

int lay_render_pdf(lay_render_fn render, void *arg, const struct lay_opts *o, struct buf *out,
                   struct lay_stats *stats)
{
    struct lay l;
    memset(&l, 0, sizeof l);
    l.opts = o;
    for (int i = 0; i < LAY__STYLES; i++)
        l.fonts[i] = pango_font_description_from_string(FONT_NAMES[i]);
    int rc = run_pass(&l, render, arg, NULL);
    if (!rc) {
        l.total_pages = l.page;
        l.is_drawing = true;
        rc = run_pass(&l, render, arg, out);
    }
    if (!rc && buf_failed(out))
        rc = OBR_ENOMEM;
    for (int i = 0; i < LAY__STYLES; i++)
        pango_font_description_free(l.fonts[i]);
    if (stats)
        *stats = l.stats;
    return rc;
}
