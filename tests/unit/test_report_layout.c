/* test_report_layout.c — the PDF layout layer: an empty document is one
 * page; paragraphs and tables break across pages; a table's header row is
 * drawn once on every page the table reaches; the page count in the footer
 * equals the pages written; the output is a PDF with that many pages. */
#include "testutil.h"

#include "report/layout.h"
#include "util/buf.h"

/* Pango and fontconfig keep process-wide caches that are never freed. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig\n";
}

struct doc {
    int n_paras;
    const char *para;
    int n_rows;
    int pages_at_end;
};

static void render(struct lay *l, void *arg)
{
    struct doc *d = arg;
    lay_heading(l, LAY_TITLE, "Protokół — Żółć gęślą jaźń");
    for (int i = 0; i < d->n_paras; i++)
        lay_para(l, LAY_BODY, d->para);
    if (d->n_rows) {
        static const double w[3] = {0.1, 0.6, 0.3};
        static const char *const head[3] = {"Lp.", "Imię i nazwisko", "Głos"};
        lay_table_begin(l, 3, w, head, NULL);
        for (int i = 0; i < d->n_rows; i++) {
            char n[16];
            snprintf(n, sizeof n, "%d", i + 1);
            const char *cells[3] = {n, "Ścibor Ćwik", i % 2 ? "za" : "przeciw"};
            lay_table_row(l, cells);
        }
        lay_table_end(l);
    }
    d->pages_at_end = lay_page(l);
}

static int count_pages_in_pdf(const struct buf *b)
{
    /* The PDF holds binary streams: search by length, not as a C string. */
    int n = 0;
    const char *p = b->p, *end = b->p + b->len;
    while ((p = memmem(p, (size_t)(end - p), "/Type /Page", 11)) && p + 11 < end) {
        n += p[11] != 's';
        p += 11;
    }
    return n;
}

static void render_doc(struct doc *d, struct lay_stats *st, struct buf *out)
{
    struct lay_opts o = {.title = "test", .footer_page = "strona %d z %d"};
    assert_int_equal(lay_render_pdf(render, d, &o, out, st), 0);
    assert_true(out->len > 100);
    assert_memory_equal(out->p, "%PDF-", 5);
    assert_int_equal(st->pages, d->pages_at_end);
    assert_int_equal(count_pages_in_pdf(out), st->pages);
}

static void test_empty_document_is_one_page(void **state)
{
    struct doc d = {0};
    struct lay_stats st;
    struct buf out = BUF_INIT;
    render_doc(&d, &st, &out);
    assert_int_equal(st.pages, 1);
    assert_int_equal(st.rows, 0);
    assert_int_equal(st.header_rows, 0);
    buf_free(&out);
}

static void test_long_table_breaks_with_header_on_every_page(void **state)
{
    struct doc d = {.n_rows = 300};
    struct lay_stats st;
    struct buf out = BUF_INIT;
    render_doc(&d, &st, &out);
    /* A 10 pt row is about 18 pt high: some 40 rows fit on a page. */
    assert_true(st.pages >= 5 && st.pages <= 12);
    assert_int_equal(st.rows, 300);
    assert_int_equal(st.header_rows, st.pages);
    buf_free(&out);
}

static void test_short_table_stays_on_one_page(void **state)
{
    struct doc d = {.n_rows = 10};
    struct lay_stats st;
    struct buf out = BUF_INIT;
    render_doc(&d, &st, &out);
    assert_int_equal(st.pages, 1);
    assert_int_equal(st.header_rows, 1);
    buf_free(&out);
}

static void test_paragraphs_break_between_lines(void **state)
{
    /* One paragraph longer than a page: it must continue on the next. */
    struct buf para = BUF_INIT;
    for (int i = 0; i < 700; i++)
        buf_puts(&para, "Rada uchwala zmianę budżetu gminy. ");
    struct doc d = {.n_paras = 1, .para = buf_str(&para)};
    struct lay_stats st;
    struct buf out = BUF_INIT;
    render_doc(&d, &st, &out);
    assert_true(st.pages >= 2);
    /* Twice the text takes about twice the pages. */
    struct doc d2 = {.n_paras = 2, .para = buf_str(&para)};
    struct lay_stats st2;
    struct buf out2 = BUF_INIT;
    render_doc(&d2, &st2, &out2);
    assert_true(st2.pages >= 2 * st.pages - 1 && st2.pages <= 2 * st.pages);
    buf_free(&para);
    buf_free(&out);
    buf_free(&out2);
}

static void test_page_count_grows_with_content(void **state)
{
    int last = 0;
    for (int rows = 0; rows <= 400; rows += 100) {
        struct doc d = {.n_rows = rows};
        struct lay_stats st;
        struct buf out = BUF_INIT;
        render_doc(&d, &st, &out);
        assert_true(st.pages >= last);
        last = st.pages;
        buf_free(&out);
    }
    assert_true(last > 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_document_is_one_page),
        cmocka_unit_test(test_long_table_breaks_with_header_on_every_page),
        cmocka_unit_test(test_short_table_stays_on_one_page),
        cmocka_unit_test(test_paragraphs_break_between_lines),
        cmocka_unit_test(test_page_count_grows_with_content),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
