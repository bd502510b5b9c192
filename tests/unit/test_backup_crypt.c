/* test_backup_crypt.c — the encrypted backup container: content of every
 * size around the chunk boundary comes back byte for byte; a flipped bit in
 * any chunk, a cut, a wrong key are refused; the backup settings parse. */
#include "testutil.h"

#include <sodium.h>

#include "ops/backup_crypt.h"
#include "ops/config.h"

static unsigned char key[BACKUP_KEY_BYTES];

/* Writes content of n bytes (a counter pattern) into a memory file. */
static char *make(size_t n, size_t *len)
{
    char *mem = NULL;
    FILE *f = open_memstream(&mem, len);
    json_t *h = json_pack("{s:s}", "kind", "test");
    struct bk_writer *w = bk_writer_new(f, key, h);
    assert_non_null(w);
    unsigned char block[4096];
    for (size_t done = 0; done < n;) {
        size_t k = n - done < sizeof block ? n - done : sizeof block;
        for (size_t i = 0; i < k; i++)
            block[i] = (unsigned char)((done + i) * 7);
        assert_int_equal(bk_write(w, block, k), 0);
        done += k;
    }
    assert_int_equal(bk_writer_finish(w), 0);
    bk_writer_free(w);
    json_decref(h);
    fclose(f);
    return mem;
}

/* Reads everything back; returns 0 with the byte count in *n, or the error. */
static int read_back(const char *mem, size_t len, const unsigned char *k, size_t *n, char *why)
{
    FILE *f = fmemopen((void *)mem, len, "rb");
    struct bk_reader *r = bk_reader_new(f, k, why, BACKUP_WHY_MAX);
    int rc = r ? 0 : OBR_EINVAL;
    *n = 0;
    unsigned char buf[3000];
    while (!rc) {
        size_t got;
        rc = bk_read(r, buf, sizeof buf, &got, why, BACKUP_WHY_MAX);
        for (size_t i = 0; !rc && i < got; i++)
            if (buf[i] != (unsigned char)((*n + i) * 7))
                rc = -100;
        *n += got;
        if (!got)
            break;
    }
    bk_reader_free(r);
    fclose(f);
    return rc;
}

static void test_content_round_trips_at_every_chunk_boundary(void **state)
{
    size_t sizes[] = {0,
                      1,
                      BACKUP_CHUNK_BYTES - 1,
                      BACKUP_CHUNK_BYTES,
                      BACKUP_CHUNK_BYTES + 1,
                      3 * BACKUP_CHUNK_BYTES + 17};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        size_t len, n;
        char why[BACKUP_WHY_MAX] = "";
        char *mem = make(sizes[i], &len);
        assert_int_equal(read_back(mem, len, key, &n, why), 0);
        assert_int_equal(n, sizes[i]);
        free(mem);
    }
}

static void test_a_flipped_bit_in_a_chunk_is_refused_naming_it(void **state)
{
    size_t len, n;
    char *mem = make(2 * BACKUP_CHUNK_BYTES + 5, &len);
    size_t at = len - 20; /* inside the last chunk (chunk 2: 5 + 5 + 16 bytes) */
    mem[at] ^= 4;
    char why[BACKUP_WHY_MAX] = "";
    assert_int_equal(read_back(mem, len, key, &n, why), OBR_ECORRUPT);
    assert_non_null(strstr(why, "chunk 2 fails authentication"));
    free(mem);
}

static void test_a_cut_at_a_chunk_boundary_is_refused(void **state)
{
    size_t len, n;
    char *mem = make(2 * BACKUP_CHUNK_BYTES + 5, &len);
    char why[BACKUP_WHY_MAX] = "";
    size_t last_frame = 5 + 5 + 16; /* the last chunk holds 5 bytes */
    assert_int_equal(read_back(mem, len - last_frame, key, &n, why), OBR_ECORRUPT);
    assert_non_null(strstr(why, "truncated"));
    free(mem);
}

static void test_a_wrong_key_is_refused_before_any_content(void **state)
{
    size_t len, n;
    char *mem = make(100, &len);
    unsigned char other[BACKUP_KEY_BYTES];
    memcpy(other, key, sizeof other);
    other[0] ^= 1;
    char why[BACKUP_WHY_MAX] = "";
    assert_int_equal(read_back(mem, len, other, &n, why), OBR_EINVAL);
    assert_non_null(strstr(why, "wrong key"));
    assert_int_equal(n, 0);
    free(mem);
}

static void test_backup_settings_parse(void **state)
{
    struct config c;
    config_defaults(&c);
    assert_int_equal(c.backup_time_min, 150);
    assert_int_equal(c.backup_keep, 10);
    assert_int_equal(config_set(&c, "backup_time", "23:59"), 0);
    assert_int_equal(c.backup_time_min, 23 * 60 + 59);
    const char *bad[] = {"24:00", "2:30", "02:60", "0230", "ab:cd", ""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(config_set(&c, "backup_time", bad[i]), -1);
    assert_int_equal(config_set(&c, "backup_keep", "0"), -1);
    assert_int_equal(config_set(&c, "backup_keep", "3"), 0);
    assert_int_equal(c.backup_keep, 3);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    randombytes_buf(key, sizeof key);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_content_round_trips_at_every_chunk_boundary),
        cmocka_unit_test(test_a_flipped_bit_in_a_chunk_is_refused_naming_it),
        cmocka_unit_test(test_a_cut_at_a_chunk_boundary_is_refused),
        cmocka_unit_test(test_a_wrong_key_is_refused_before_any_content),
        cmocka_unit_test(test_backup_settings_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
