/* test_files_repo.c — file blobs in the store (store/files.h): chunked
 * storage and reading, idempotent stores, a short file refused whole, the
 * report cache, the sweep of unreferenced blobs and a node's local copy
 * fetched and hash-checked. Run plain on SQLite (the tables exist there
 * too), with OBRADY_TEST_PG (make test-store-pg) on PostgreSQL. */
#include "testutil.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>

#include "store/files.h"
#include "store/interp_files.h"
#include "store/interpellations.h"
#include "util/ids.h"

static void hash_hex(const void *p, size_t n, char *hex)
{
    unsigned char d[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(d, p, n);
    hex_encode(hex, d, sizeof d);
}

struct collect {
    unsigned char *p;
    size_t len, calls, max_chunk;
};

static int collect(void *ctx, const void *data, size_t len)
{
    struct collect *c = ctx;
    c->p = realloc(c->p, c->len + len + 1);
    memcpy(c->p + c->len, data, len);
    c->len += len;
    c->calls++;
    if (len > c->max_chunk)
        c->max_chunk = len;
    return 0;
}

static unsigned char *random_bytes(size_t n)
{
    unsigned char *p = malloc(n ? n : 1);
    randombytes_buf(p, n);
    return p;
}

static void test_blob_round_trip_in_chunks(void **state)
{
    struct testutil_store *fx = *state;
    size_t n = 2 * FILES_CHUNK_BYTES + 7;
    unsigned char *bytes = random_bytes(n);
    char sha[FILES_SHA256_HEX + 1];
    hash_hex(bytes, n, sha);
    assert_int_equal(files_touch(fx->db, sha, NULL), OBR_ENOTFOUND);
    assert_int_equal(files_put_mem(fx->db, sha, bytes, n), 0);
    assert_int_equal(files_put_mem(fx->db, sha, bytes, n), 0); /* stored once */
    int64_t size = 0;
    assert_int_equal(files_touch(fx->db, sha, &size), 0);
    assert_int_equal(size, (int64_t)n);
    struct collect c = {0};
    assert_int_equal(files_read(fx->db, sha, collect, &c), 0);
    assert_int_equal(c.len, n);
    assert_int_equal(c.calls, 3);
    assert_int_equal(c.max_chunk, FILES_CHUNK_BYTES);
    assert_memory_equal(c.p, bytes, n);
    free(c.p);
    free(bytes);
}

static void test_empty_blob_reads_empty(void **state)
{
    struct testutil_store *fx = *state;
    char sha[FILES_SHA256_HEX + 1];
    hash_hex("", 0, sha);
    assert_int_equal(files_put_mem(fx->db, sha, NULL, 0), 0);
    struct collect c = {0};
    assert_int_equal(files_read(fx->db, sha, collect, &c), 0);
    assert_int_equal(c.len, 0);
    free(c.p);
}

static void test_short_file_stores_nothing(void **state)
{
    struct testutil_store *fx = *state;
    char path[600];
    snprintf(path, sizeof path, "%s/short", fx->dir);
    unsigned char *bytes = random_bytes(FILES_CHUNK_BYTES + 10);
    int fd = open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, bytes, FILES_CHUNK_BYTES + 10), FILES_CHUNK_BYTES + 10);
    const char *sha = "1111111111111111111111111111111111111111111111111111111111111111";
    /* Claims more bytes than the file has: refused, and not half stored. */
    assert_int_equal(files_put_fd(fx->db, sha, fd, FILES_CHUNK_BYTES + 11), OBR_EIO);
    assert_int_equal(files_touch(fx->db, sha, NULL), OBR_ENOTFOUND);
    char good[FILES_SHA256_HEX + 1];
    hash_hex(bytes, FILES_CHUNK_BYTES + 10, good);
    assert_int_equal(files_put_fd(fx->db, good, fd, FILES_CHUNK_BYTES + 10), 0);
    close(fd);
    struct collect c = {0};
    assert_int_equal(files_read(fx->db, good, collect, &c), 0);
    assert_int_equal(c.len, FILES_CHUNK_BYTES + 10);
    assert_memory_equal(c.p, bytes, c.len);
    free(c.p);
    free(bytes);
}

static void test_report_cache_replaces_its_row(void **state)
{
    struct testutil_store *fx = *state;
    char sha[FILES_SHA256_HEX + 1], got[FILES_SHA256_HEX + 1];
    hash_hex("pdf-1", 5, sha);
    assert_int_equal(files_put_mem(fx->db, sha, "pdf-1", 5), 0);
    assert_int_equal(files_report_get(fx->db, "meeting1", "head1", got), OBR_ENOTFOUND);
    assert_int_equal(files_report_put(fx->db, "meeting1", "head1", sha), 0);
    assert_int_equal(files_report_get(fx->db, "meeting1", "head1", got), 0);
    assert_string_equal(got, sha);
    assert_int_equal(files_report_put(fx->db, "meeting1", "head2", sha), 0);
    assert_int_equal(files_report_get(fx->db, "meeting1", "head1", got), OBR_ENOTFOUND);
    assert_int_equal(files_report_get(fx->db, "meeting1", "head2", got), 0);
}

static void test_sweep_removes_only_old_unreferenced(void **state)
{
    struct testutil_store *fx = *state;
    char old[FILES_SHA256_HEX + 1], kept[FILES_SHA256_HEX + 1], fresh[FILES_SHA256_HEX + 1];
    hash_hex("old", 3, old);
    hash_hex("kept", 4, kept);
    hash_hex("fresh", 5, fresh);
    assert_int_equal(files_put_mem(fx->db, old, "old", 3), 0);
    assert_int_equal(files_put_mem(fx->db, kept, "kept", 4), 0);
    assert_int_equal(files_put_mem(fx->db, fresh, "fresh", 5), 0);
    assert_int_equal(files_report_put(fx->db, "vote1", "h", kept), 0);
    assert_int_equal(db_exec(fx->db, "UPDATE file_blobs SET touched_ms = 1000"), 0);
    assert_int_equal(files_touch(fx->db, fresh, NULL), 0); /* about to be referenced */
    int removed = -1;
    assert_int_equal(files_sweep(fx->db, 10, &removed), 0);
    assert_int_equal(removed, 1);
    assert_int_equal(files_touch(fx->db, old, NULL), OBR_ENOTFOUND);
    struct collect c = {0};
    assert_int_equal(files_read(fx->db, old, collect, &c), OBR_ENOTFOUND);
    assert_int_equal(files_touch(fx->db, kept, NULL), 0);
    assert_int_equal(files_touch(fx->db, fresh, NULL), 0);
    free(c.p);
}

/* An interpellation's attachment keeps its blob from the sweep; once the
 * attachment is removed, the blob goes. */
static void test_sweep_keeps_interpellation_attachments(void **state)
{
    struct testutil_store *fx = *state;
    struct org o = {0};
    struct body b = {0};
    snprintf(o.name, sizeof o.name, "Gmina");
    snprintf(o.time_zone, sizeof o.time_zone, "Europe/Warsaw");
    snprintf(o.default_lang, sizeof o.default_lang, "pl");
    o.retention_days = 92;
    assert_int_equal(orgs_create(fx->db, &o), 0);
    snprintf(b.org_id, sizeof b.org_id, "%s", o.id);
    snprintf(b.name, sizeof b.name, "Rada");
    snprintf(b.kind, sizeof b.kind, "council");
    snprintf(b.quorum_rule, sizeof b.quorum_rule, "half_statutory");
    b.statutory_size = 3;
    b.vote_duration_s = 600;
    assert_int_equal(bodies_create(fx->db, &b), 0);
    struct interpellation *it = calloc(1, sizeof *it);
    assert_non_null(it);
    snprintf(it->body_id, sizeof it->body_id, "%s", b.id);
    snprintf(it->kind, sizeof it->kind, "question");
    snprintf(it->author_id, sizeof it->author_id, "user1");
    snprintf(it->author_name, sizeof it->author_name, "Radna");
    snprintf(it->subject, sizeof it->subject, "Drogi");
    snprintf(it->text, sizeof it->text, "Kiedy?");
    assert_int_equal(interp_create(fx->db, it), 0);
    struct interp_file f = {0};
    hash_hex("scan", 4, f.sha256);
    assert_int_equal(files_put_mem(fx->db, f.sha256, "scan", 4), 0);
    snprintf(f.interp_id, sizeof f.interp_id, "%s", it->id);
    snprintf(f.part, sizeof f.part, "filing");
    snprintf(f.filename, sizeof f.filename, "skan.pdf");
    snprintf(f.content_type, sizeof f.content_type, "application/pdf");
    snprintf(f.added_by, sizeof f.added_by, "user1");
    f.size_bytes = 4;
    assert_int_equal(interp_files_add(fx->db, &f), 0);
    assert_int_equal(db_exec(fx->db, "UPDATE file_blobs SET touched_ms = 1000"), 0);
    int removed = -1;
    assert_int_equal(files_sweep(fx->db, 10, &removed), 0);
    assert_int_equal(removed, 0);
    assert_int_equal(files_touch(fx->db, f.sha256, NULL), 0);
    assert_int_equal(interp_files_remove(fx->db, f.id), 0);
    assert_int_equal(interp_files_remove(fx->db, f.id), OBR_ENOTFOUND);
    assert_int_equal(db_exec(fx->db, "UPDATE file_blobs SET touched_ms = 1000"), 0);
    assert_int_equal(files_sweep(fx->db, 10, &removed), 0);
    assert_int_equal(removed, 1);
    assert_int_equal(files_touch(fx->db, f.sha256, NULL), OBR_ENOTFOUND);
    free(it);
}

static void test_local_copy_is_fetched_and_checked(void **state)
{
    struct testutil_store *fx = *state;
    char files[600], path[700];
    snprintf(files, sizeof files, "%s/files", fx->dir);
    mkdir(files, 0700);
    size_t n = FILES_CHUNK_BYTES + 3;
    unsigned char *bytes = random_bytes(n);
    char sha[FILES_SHA256_HEX + 1];
    hash_hex(bytes, n, sha);
    assert_int_equal(files_put_mem(fx->db, sha, bytes, n), 0);
    assert_int_equal(files_local_path(fx->db, fx->dir, "../etc/passwd", path, sizeof path),
                     OBR_EINVAL);
    int rc = files_local_path(fx->db, fx->dir, sha, path, sizeof path);
    if (!files_in_db(fx->db)) {
        assert_int_equal(rc, OBR_ENOTFOUND); /* SQLite: the disk is the store */
        free(bytes);
        return;
    }
    assert_int_equal(rc, 0);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    unsigned char *back = malloc(n + 1);
    assert_int_equal(fread(back, 1, n + 1, f), n);
    fclose(f);
    assert_memory_equal(back, bytes, n);
    free(back);
    /* Stored bytes that do not hash to their name are never linked. */
    unlink(path);
    assert_int_equal(db_exec(fx->db, "UPDATE file_chunks SET data = overlay(data placing "
                                     "'\\x00'::bytea from 3)"),
                     0);
    assert_int_equal(files_local_path(fx->db, fx->dir, sha, path, sizeof path), OBR_ECORRUPT);
    assert_int_not_equal(access(path, F_OK), 0);
    free(bytes);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
#define T(f) cmocka_unit_test_setup_teardown(f, testutil_store_setup, testutil_store_teardown)
    const struct CMUnitTest tests[] = {
        T(test_blob_round_trip_in_chunks),     T(test_empty_blob_reads_empty),
        T(test_short_file_stores_nothing),     T(test_report_cache_replaces_its_row),
        T(test_sweep_removes_only_old_unreferenced),
        T(test_sweep_keeps_interpellation_attachments), T(test_local_copy_is_fetched_and_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
