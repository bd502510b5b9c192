/* test_jobs_repo.c — what several nodes share through the store (store/jobs.h
 * and the claims in deadlines_repo.c, auth_repo.c), on SQLite plain and on
 * PostgreSQL with OBRADY_TEST_PG (make test-store-pg): leases taken, renewed,
 * refused and taken over after expiry; rate buckets; deadline claims; sign-in
 * tries counted before the comparison; the directory generation. */
#include "testutil.h"

#include "store/auth.h"
#include "store/directory.h"
#include "store/jobs.h"
#include "store/meetings.h"

static void test_lease_taken_refused_renewed_and_taken_over(void **state)
{
    struct db *db = ((struct testutil_store *)*state)->db;
    assert_int_equal(job_lease_take(db, "backup:1", "n1", 1000, 500), 1);
    assert_int_equal(job_lease_take(db, "backup:1", "n2", 1200, 500), 0); /* n1 holds it */
    assert_int_equal(job_lease_take(db, "backup:1", "n1", 1400, 500), 1); /* renewed to 1900 */
    assert_int_equal(job_lease_take(db, "backup:1", "n2", 1800, 500), 0);
    assert_int_equal(job_lease_take(db, "backup:1", "n2", 1900, 500), 1); /* expired: taken over */
    assert_int_equal(job_lease_release(db, "backup:1", "n1"), 0);          /* not n1's any more */
    assert_int_equal(job_lease_take(db, "backup:1", "n1", 2000, 500), 0);
    assert_int_equal(job_lease_release(db, "backup:1", "n2"), 0);
    assert_int_equal(job_lease_take(db, "backup:1", "n1", 2000, 500), 1);
    assert_int_equal(job_lease_take(db, "backup:2", "n2", 2000, 500), 1); /* another name */
    const char *id = node_id();
    assert_true(strlen(id) > 10 && strlen(id) < NODE_ID_SIZE);
    assert_string_equal(id, node_id());
}

DB_QUERY(q_buckets, "test_count_buckets", "SELECT count(*) FROM rate_buckets");

static int64_t count_buckets(struct db *db)
{
    struct db_stmt *s = db_prepare(db, &q_buckets);
    int64_t n = db_step(s) == DB_ROW ? db_col_int(s, 0) : -1;
    db_stmt_done(s);
    return n;
}

static void test_rate_bucket_allows_burst_then_one_per_interval(void **state)
{
    struct db *db = ((struct testutil_store *)*state)->db;
    int64_t retry = -1;
    for (int i = 0; i < 3; i++)
        assert_int_equal(rate_buckets_take(db, "code_email:a@b.pl", 10000, 1000, 3, &retry), 1);
    assert_int_equal(rate_buckets_take(db, "code_email:a@b.pl", 10000, 1000, 3, &retry), 0);
    assert_int_equal(retry, 1000);
    assert_int_equal(rate_buckets_take(db, "code_email:a@b.pl", 10400, 1000, 3, &retry), 0);
    assert_int_equal(retry, 600);
    assert_int_equal(rate_buckets_take(db, "code_email:x@b.pl", 10400, 1000, 3, &retry), 1);
    assert_int_equal(rate_buckets_take(db, "code_email:a@b.pl", 11000, 1000, 3, &retry), 1);
    assert_int_equal(rate_buckets_take(db, "code_email:a@b.pl", 11000, 1000, 3, &retry), 0);
    /* idle long enough: the full burst again, never more */
    for (int i = 0; i < 3; i++)
        assert_int_equal(rate_buckets_take(db, "code_email:a@b.pl", 60000, 1000, 3, &retry), 1);
    assert_int_equal(rate_buckets_take(db, "code_email:a@b.pl", 60000, 1000, 3, &retry), 0);
    assert_int_equal(rate_buckets_sweep(db, 62999), 0); /* a@ still owes: kept */
    assert_int_equal(count_buckets(db), 1);
    assert_int_equal(rate_buckets_take(db, "code_email:a@b.pl", 62999, 1000, 1, &retry), 0);
    assert_int_equal(rate_buckets_sweep(db, 63000), 0); /* full again: forgotten */
    assert_int_equal(count_buckets(db), 0);
}

static void test_deadline_claimed_by_one_node_until_its_lease_ends(void **state)
{
    struct db *db = ((struct testutil_store *)*state)->db;
    assert_int_equal(deadlines_add(db, "m1", "vote", "v1", 1000), 0);
    struct deadline due[4];
    int n = 0;
    assert_int_equal(deadlines_due(db, 1000, due, 4, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(deadlines_claim(db, due[0].id, "n1", 1000, 30000), 1);
    assert_int_equal(deadlines_claim(db, due[0].id, "n2", 1001, 30000), 0);
    assert_int_equal(deadlines_due(db, 2000, due, 4, &n), 0);
    assert_int_equal(n, 0); /* claimed: not due for anyone */
    assert_int_equal(deadlines_next_ms(db), 31000);
    /* n1 died: after the lease n2 takes it over */
    assert_int_equal(deadlines_due(db, 31000, due, 4, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(deadlines_claim(db, due[0].id, "n2", 31000, 30000), 1);
    /* a failed run gives it back at once; only the holder can */
    assert_int_equal(deadlines_unclaim(db, due[0].id, "n1"), 0);
    assert_int_equal(deadlines_next_ms(db), 61000);
    assert_int_equal(deadlines_unclaim(db, due[0].id, "n2"), 0);
    assert_int_equal(deadlines_next_ms(db), 1000);
    assert_int_equal(deadlines_claim(db, due[0].id, "n1", 32000, 30000), 1);
    assert_int_equal(deadlines_done(db, "m1", "vote", "v1", 32500), 0);
    assert_int_equal(deadlines_claim(db, due[0].id, "n2", 99000, 30000), 0); /* done */
    assert_int_equal(deadlines_next_ms(db), INT64_MAX);
}

static void test_sign_in_tries_are_counted_before_comparing(void **state)
{
    struct db *db = ((struct testutil_store *)*state)->db;
    assert_int_equal(login_codes_take_try(db, "a@b.pl", 5), 0); /* no code */
    assert_int_equal(login_codes_put(db, "a@b.pl", "hash", 99999999999999LL), 0);
    for (int i = 0; i < 5; i++)
        assert_int_equal(login_codes_take_try(db, "a@b.pl", 5), 1);
    assert_int_equal(login_codes_take_try(db, "a@b.pl", 5), 0);
    struct login_code lc;
    assert_int_equal(login_codes_get(db, "a@b.pl", &lc), 0);
    assert_int_equal(lc.tries, 5);
}

static void test_directory_generation_grows_with_people_changes(void **state)
{
    struct db *db = ((struct testutil_store *)*state)->db;
    uint64_t g0 = 0, g1 = 0, g2 = 0;
    assert_int_equal(store_directory_generation(db, &g0), 0);
    struct user u;
    assert_int_equal(users_create(db, "ala@example.org", "Ala Nowak", "pl", false, &u), 0);
    assert_int_equal(store_directory_generation(db, &g1), 0);
    assert_true(g1 > g0);
    /* a rolled-back change bumps nothing that another node could see */
    assert_int_equal(db_begin_write(db), 0);
    struct user v;
    assert_int_equal(users_create(db, "ola@example.org", "Ola Nowak", "pl", false, &v), 0);
    assert_int_equal(db_rollback(db), 0);
    assert_int_equal(store_directory_generation(db, &g2), 0);
    if (testutil_pg_base())
        assert_true(g2 == g1);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, testutil_store_setup, testutil_store_teardown)
    const struct CMUnitTest tests[] = {
        T(test_lease_taken_refused_renewed_and_taken_over),
        T(test_rate_bucket_allows_burst_then_one_per_interval),
        T(test_deadline_claimed_by_one_node_until_its_lease_ends),
        T(test_sign_in_tries_are_counted_before_comparing),
        T(test_directory_generation_grows_with_people_changes),
    };
#undef T
    return cmocka_run_group_tests_name(getenv("OBRADY_TEST_PG") ? "jobs repo (postgresql)"
                                                                : "jobs repo (sqlite)",
                                       tests, NULL, NULL);
}
