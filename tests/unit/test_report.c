/* test_report.c — the reports over a meeting written into the store: the
 * report of a closed vote lists every eligible member; an open vote has no
 * report (OBR_ECONFLICT) and an unknown one is OBR_ENOTFOUND; the protocol
 * grows with the votes; the cache returns the same bytes and keeps a file
 * named by the log head. */
#include <sodium.h>

#include "store/files.h"
#include "util/ids.h"
#include "testutil.h"

#include <sys/stat.h>

#include "report/layout.h"
#include "report/report.h"
#include "report_seed.h"
#include "util/buf.h"
#include "util/diag.h"

/* Pango and fontconfig keep process-wide caches that are never freed. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig\n";
}

struct fixture {
    char *dir;
    struct db *db;
    struct report_seed seed;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->dir = testutil_tmpdir();
    f->db = testutil_open_db(f->dir, true);
    assert_int_equal(report_seed(f->db, 12, 3, &f->seed), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    db_close(f->db);
    testutil_rmdir(f->dir);
    free(f);
    return 0;
}

static void test_vote_report_lists_every_eligible_member(void **state)
{
    struct fixture *f = *state;
    struct buf pdf = BUF_INIT;
    struct lay_stats st;
    assert_int_equal(report_vote_pdf(f->db, f->seed.first_vote_id, "https://obrady.example", NULL, &pdf, &st), 0);
    assert_memory_equal(pdf.p, "%PDF-", 5);
    assert_int_equal(st.rows, 1 + 12); /* the counts row and one row per eligible member */
    assert_true(st.pages >= 1);
    buf_free(&pdf);
}

static void test_open_or_unknown_vote_has_no_report(void **state)
{
    struct fixture *f = *state;
    struct buf pdf = BUF_INIT;
    assert_int_equal(report_vote_pdf(f->db, f->seed.open_vote_id, "", NULL, &pdf, NULL), OBR_ECONFLICT);
    assert_int_equal(report_vote_pdf(f->db, "nosuchvote00000000000", "", NULL, &pdf, NULL), OBR_ENOTFOUND);
    assert_int_equal(pdf.len, 0);
    struct report_file rf;
    assert_int_equal(report_get(f->db, f->dir, "", NULL, REPORT_VOTE, f->seed.open_vote_id, &rf),
                     OBR_ECONFLICT);
    assert_int_equal(report_protocol_pdf(f->db, "nosuchmeeting00000000", &pdf, NULL), OBR_ENOTFOUND);
    buf_free(&pdf);
}

static void test_protocol_grows_with_the_votes(void **state)
{
    struct fixture *f = *state;
    struct buf small = BUF_INIT;
    struct lay_stats st_small;
    assert_int_equal(report_protocol_pdf(f->db, f->seed.meeting_id, &small, &st_small), 0);
    /* attendance: 1 check + 12 people; speakers: 1 per 5 votes */
    assert_int_equal(st_small.rows, 1 + 12 + 1);

    char *dir = testutil_tmpdir();
    struct db *db = testutil_open_db(dir, true);
    struct report_seed big;
    assert_int_equal(report_seed(db, 30, 50, &big), 0);
    struct buf pdf = BUF_INIT;
    struct lay_stats st;
    assert_int_equal(report_protocol_pdf(db, big.meeting_id, &pdf, &st), 0);
    assert_int_equal(st.rows, 1 + 30 + 10);
    assert_true(st.pages > st_small.pages + 5);
    /* The attendance table's header repeats on each page it reaches; the
     * speakers' table starts once more. */
    assert_true(st.header_rows >= 3);
    buf_free(&pdf);
    buf_free(&small);
    db_close(db);
    testutil_rmdir(dir);
}

static void test_cache_returns_the_same_file_by_head(void **state)
{
    struct fixture *f = *state;
    struct report_file a, b;
    assert_int_equal(report_get(f->db, f->dir, "", NULL, REPORT_PROTOCOL, f->seed.meeting_id, &a), 0);
    assert_int_equal(report_get(f->db, f->dir, "", NULL, REPORT_PROTOCOL, f->seed.meeting_id, &b), 0);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    assert_string_equal(a.head, b.head);
    assert_int_equal(strncmp(a.filename, "protokol-posiedzenia-", 21), 0);
    if (files_in_db(f->db)) { /* PostgreSQL: cached in the store for every node */
        char sha[FILES_SHA256_HEX + 1], want[FILES_SHA256_HEX + 1];
        unsigned char d[crypto_hash_sha256_BYTES];
        crypto_hash_sha256(d, (const unsigned char *)a.data, a.len);
        hex_encode(want, d, sizeof d);
        assert_int_equal(files_report_get(f->db, f->seed.meeting_id, a.head, sha), 0);
        assert_string_equal(sha, want);
    } else {
        char path[1024];
        snprintf(path, sizeof path, "%s/reports/%s-%s.pdf", f->dir, f->seed.meeting_id, a.head);
        struct stat s;
        assert_int_equal(stat(path, &s), 0);
        assert_int_equal((size_t)s.st_size, a.len);
    }
    report_file_free(&a);
    report_file_free(&b);
}

int main(void)
{
    diag_set_level(DIAG_WARN); /* one line per seeded event otherwise */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_vote_report_lists_every_eligible_member, setup, teardown),
        cmocka_unit_test_setup_teardown(test_open_or_unknown_vote_has_no_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_protocol_grows_with_the_votes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cache_returns_the_same_file_by_head, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
