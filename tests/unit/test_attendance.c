/* test_attendance.c — attendance over a period (report/attendance.h): the
 * days a period may name, and the model of a seeded closed meeting (one
 * attendance check, three closed votes and one open): who attended, who was
 * absent, votes entitled and cast per member, the period's bounds, and the
 * CSV's rows. Runs on PostgreSQL too (make test-store-pg). */
#include "testutil.h"

#include "report/attendance.h"
#include "report_seed.h"
#include "util/buf.h"
#include "util/diag.h"

const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig\n";
}

static void test_parse_day_accepts_only_calendar_days(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        int ymd; /* 0: refused */
    } T[] = {
        {"2026-01-31", 20260131}, {"2024-02-29", 20240229},
        {"2000-02-29", 20000229}, {"2025-02-29", 0},
        {"2100-02-29", 0},        {"2026-13-01", 0},
        {"2026-00-10", 0},        {"2026-04-31", 0},
        {"2026-1-1", 0},          {"2026/01/01", 0},
        {"1999-12-31", 0},        {"2200-01-01", 0},
        {"2026-01-01x", 0},       {"", 0},
        {"+026-01-01", 0},
    };
    for (size_t i = 0; i < sizeof T / sizeof T[0]; i++) {
        int ymd = -1;
        int rc = attendance_parse_day(T[i].s, &ymd);
        if (T[i].ymd) {
            assert_int_equal(rc, 0);
            assert_int_equal(ymd, T[i].ymd);
        } else {
            assert_int_equal(rc, -1);
        }
    }
    int ymd;
    assert_int_equal(attendance_parse_day(NULL, &ymd), -1);
}

static void test_model_counts_attendance_and_votes(void **state)
{
    (void)state;
    char *dir = testutil_tmpdir();
    struct db *db = testutil_open_db(dir, true);
    struct report_seed seed;
    assert_int_equal(report_seed(db, 10, 3, &seed), 0);
    struct meeting m;
    assert_int_equal(meetings_get(db, seed.meeting_id, &m), 0);
    /* the seed closes the meeting without starting it: give it a start */
    assert_int_equal(meetings_set_status(db, m.id, "in_progress", 1795000000000LL), 0);
    assert_int_equal(meetings_set_status(db, m.id, "closed", 1795003600000LL), 0);

    json_t *model = NULL;
    assert_int_equal(
        attendance_model(db, m.body_id, ATT_YMD(2026, 11, 18), ATT_YMD(2026, 11, 18), &model), 0);
    assert_int_equal(json_array_size(json_object_get(model, "meetings")), 1);
    json_t *members = json_object_get(model, "members");
    assert_int_equal(json_array_size(members), 10);
    int attended = 0, absent = 0, eligible = 0, cast = 0, not_cast = 0;
    size_t i;
    json_t *x;
    json_array_foreach (members, i, x) {
        int a = (int)json_integer_value(json_object_get(x, "attended"));
        attended += a;
        absent += (int)json_integer_value(json_object_get(x, "absences"));
        eligible += (int)json_integer_value(json_object_get(x, "votes_eligible"));
        cast += (int)json_integer_value(json_object_get(x, "votes_cast"));
        not_cast += (int)json_integer_value(json_object_get(x, "votes_not_cast"));
        if (!a)
            assert_int_equal(json_integer_value(json_object_get(x, "votes_cast")), 0);
    }
    assert_int_equal(attended, 8); /* the seed's check: all but a fifth */
    assert_int_equal(absent, 2);
    assert_int_equal(eligible, 10 * 3); /* the closed votes only; the open one is not counted */
    assert_int_equal(cast + not_cast, eligible);
    assert_true(cast > 0 && cast <= 8 * 3);

    struct buf csv = BUF_INIT;
    attendance_csv(&csv, model, false, false);
    int rows = 0;
    for (const char *p = buf_str(&csv); (p = strstr(p, "\r\n")); p += 2)
        rows++;
    assert_int_equal(rows, 1 + 10 * 2); /* header, a meeting row and a total per member */
    assert_non_null(strstr(buf_str(&csv), ",XII,Sesja budżetowa,"));
    buf_free(&csv);
    struct buf pdf = BUF_INIT;
    assert_int_equal(attendance_pdf(model, true, &pdf), 0);
    assert_memory_equal(pdf.p, "%PDF-", 5);
    buf_free(&pdf);
    json_decref(model);

    /* the next day: no meeting, every member without one */
    assert_int_equal(
        attendance_model(db, m.body_id, ATT_YMD(2026, 11, 19), ATT_YMD(2027, 1, 1), &model), 0);
    assert_int_equal(json_array_size(json_object_get(model, "meetings")), 0);
    json_array_foreach (json_object_get(model, "members"), i, x)
        assert_int_equal(json_integer_value(json_object_get(x, "meetings")), 0);
    json_decref(model);
    assert_int_equal(attendance_model(db, "00000000000000000000", 20260101, 20261231, &model),
                     OBR_ENOTFOUND);
    assert_null(model);
    db_close(db);
    testutil_rmdir(dir);
}

int main(void)
{
    diag_set_level(DIAG_WARN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_day_accepts_only_calendar_days),
        cmocka_unit_test(test_model_counts_attendance_and_votes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
