/* backup_crypt.c — the chunked AES-256-GCM container (see backup_crypt.h and
 * docs/backup-format.md). Keys: HKDF-SHA256 over the backup key with the
 * file's random salt gives the file key, a 4-byte nonce prefix and a key
 * check; chunk i's nonce is prefix || i (64-bit big endian), unique per file
 * key. Additional data of chunk i: SHA-256 of the clear part || i || flags ||
 * length, so a chunk authenticates only at its place in its own file. */
#include "ops/backup_crypt.h"

#include <errno.h>
#include <fcntl.h>
#include <nettle/gcm.h>
#include <nettle/hkdf.h>
#include <nettle/hmac.h>
#include <nettle/memops.h>
#include <nettle/sha2.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/err.h"

static const unsigned char MAGIC[8] = {'O', 'B', 'R', 'A', 'D', 'Y', 'B', 'K'};
#define SALT_BYTES 32
#define PREFIX_BYTES 4
#define CHECK_BYTES 16
#define TAG_BYTES 16
#define FLAG_LAST 1u
#define SYNC_EVERY_CHUNKS 8
#define CLEAR_FIXED (8 + 4 + 4 + SALT_BYTES + 4)

struct keys {
    unsigned char file_key[32];
    unsigned char prefix[PREFIX_BYTES];
    unsigned char check[CHECK_BYTES];
};

struct bk_writer {
    FILE *f;
    struct keys k;
    unsigned char header_hash[32];
    uint64_t index;
    size_t fill;
    unsigned char *buf; /* BACKUP_CHUNK_BYTES + TAG_BYTES */
};

struct bk_reader {
    FILE *f;
    struct keys k;
    json_t *header;
    unsigned char header_hash[32];
    uint32_t chunk_bytes;
    uint64_t index; /* next chunk to read */
    bool is_done;   /* the last chunk was read */
    unsigned char *buf;
    size_t have, pos; /* plaintext in buf[pos..have) */
};

static void put32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8), p[3] = (unsigned char)v;
}

static uint32_t get32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put64(unsigned char *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (unsigned char)v;
}

static void derive(const unsigned char key[BACKUP_KEY_BYTES], const unsigned char salt[SALT_BYTES],
                   struct keys *k)
{
    struct hmac_sha256_ctx mac;
    unsigned char prk[SHA256_DIGEST_SIZE];
    hmac_sha256_set_key(&mac, SALT_BYTES, salt);
    hkdf_extract(&mac, (nettle_hash_update_func *)hmac_sha256_update,
                 (nettle_hash_digest_func *)hmac_sha256_digest, SHA256_DIGEST_SIZE,
                 BACKUP_KEY_BYTES, key, prk);
    hmac_sha256_set_key(&mac, sizeof prk, prk);
    static const char *const info[3] = {"obrady backup v1 key", "obrady backup v1 nonce",
                                        "obrady backup v1 check"};
    unsigned char *dst[3] = {k->file_key, k->prefix, k->check};
    size_t len[3] = {sizeof k->file_key, PREFIX_BYTES, CHECK_BYTES};
    for (int i = 0; i < 3; i++)
        hkdf_expand(&mac, (nettle_hash_update_func *)hmac_sha256_update,
                    (nettle_hash_digest_func *)hmac_sha256_digest, SHA256_DIGEST_SIZE,
                    strlen(info[i]), (const uint8_t *)info[i], len[i], dst[i]);
    sodium_memzero(prk, sizeof prk);
    sodium_memzero(&mac, sizeof mac);
}

/* Sets up ctx for chunk index with its additional data. */
static void chunk_start(struct gcm_aes256_ctx *ctx, const struct keys *k,
                        const unsigned char header_hash[32], uint64_t index, unsigned flags,
                        uint32_t len)
{
    unsigned char nonce[12], ad[32 + 8 + 1 + 4];
    memcpy(nonce, k->prefix, PREFIX_BYTES);
    put64(nonce + PREFIX_BYTES, index);
    memcpy(ad, header_hash, 32);
    put64(ad + 32, index);
    ad[40] = (unsigned char)flags;
    put32(ad + 41, len);
    gcm_aes256_set_key(ctx, k->file_key);
    gcm_aes256_set_iv(ctx, sizeof nonce, nonce);
    gcm_aes256_update(ctx, sizeof ad, ad);
}

static void hex(const unsigned char *p, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++)
        out[2 * i] = digits[p[i] >> 4], out[2 * i + 1] = digits[p[i] & 15];
    out[2 * n] = 0;
}

static int write_err(void)
{
    return errno == ENOSPC || errno == EDQUOT ? OBR_EFULL : OBR_EIO;
}

static int put(FILE *f, const void *p, size_t n)
{
    return fwrite(p, 1, n, f) == n ? 0 : write_err();
}

struct bk_writer *bk_writer_new(FILE *f, const unsigned char key[BACKUP_KEY_BYTES], json_t *header)
{
    struct bk_writer *w = calloc(1, sizeof *w);
    if (!w || !(w->buf = malloc(BACKUP_CHUNK_BYTES + TAG_BYTES))) {
        free(w);
        return NULL;
    }
    w->f = f;
    unsigned char clear[CLEAR_FIXED];
    memcpy(clear, MAGIC, 8);
    put32(clear + 8, BACKUP_FORMAT);
    put32(clear + 12, BACKUP_CHUNK_BYTES);
    randombytes_buf(clear + 16, SALT_BYTES);
    derive(key, clear + 16, &w->k);
    char check[2 * CHECK_BYTES + 1];
    hex(w->k.check, CHECK_BYTES, check);
    json_object_set_new(header, "key_check", json_string(check));
    char *text = json_dumps(header, JSON_COMPACT | JSON_SORT_KEYS);
    size_t len = text ? strlen(text) : 0;
    if (!text || len > BACKUP_HEADER_MAX) {
        free(text);
        bk_writer_free(w);
        return NULL;
    }
    put32(clear + 16 + SALT_BYTES, (uint32_t)len);
    struct sha256_ctx h;
    sha256_init(&h);
    sha256_update(&h, sizeof clear, clear);
    sha256_update(&h, len, (const uint8_t *)text);
    sha256_digest(&h, sizeof w->header_hash, w->header_hash);
    int rc = put(f, clear, sizeof clear);
    rc = rc ? rc : put(f, text, len);
    free(text);
    if (rc) {
        bk_writer_free(w);
        return NULL;
    }
    return w;
}

static int flush_chunk(struct bk_writer *w, unsigned flags)
{
    struct gcm_aes256_ctx ctx;
    uint32_t len = (uint32_t)w->fill;
    chunk_start(&ctx, &w->k, w->header_hash, w->index, flags, len);
    gcm_aes256_encrypt(&ctx, len, w->buf, w->buf);
    gcm_aes256_digest(&ctx, TAG_BYTES, w->buf + len);
    sodium_memzero(&ctx, sizeof ctx);
    unsigned char frame[5];
    frame[0] = (unsigned char)flags;
    put32(frame + 1, len);
    int rc = put(w->f, frame, sizeof frame);
    rc = rc ? rc : put(w->f, w->buf, len + TAG_BYTES);
    w->index++;
    w->fill = 0;
    /* Starts write-back every few chunks (without waiting for it), so dirty
     * pages stay bounded and the server's own syncs of the log never wait
     * behind gigabytes of backup written back at once. */
    if (!rc && w->index % SYNC_EVERY_CHUNKS == 0) {
        if (fflush(w->f))
            rc = write_err();
        else
            sync_file_range(fileno(w->f), 0, 0, SYNC_FILE_RANGE_WRITE);
    }
    return rc;
}

int bk_write(struct bk_writer *w, const void *data, size_t len)
{
    const unsigned char *p = data;
    while (len) {
        if (w->fill == BACKUP_CHUNK_BYTES) {
            int rc = flush_chunk(w, 0);
            if (rc)
                return rc;
        }
        size_t n = BACKUP_CHUNK_BYTES - w->fill;
        n = n < len ? n : len;
        memcpy(w->buf + w->fill, p, n);
        w->fill += n, p += n, len -= n;
    }
    return 0;
}

int bk_writer_finish(struct bk_writer *w)
{
    return flush_chunk(w, FLAG_LAST);
}

void bk_writer_free(struct bk_writer *w)
{
    if (!w)
        return;
    sodium_memzero(&w->k, sizeof w->k);
    if (w->buf)
        sodium_memzero(w->buf, BACKUP_CHUNK_BYTES + TAG_BYTES);
    free(w->buf);
    free(w);
}

static int get(FILE *f, void *p, size_t n)
{
    return fread(p, 1, n, f) == n ? 0 : OBR_ECORRUPT;
}

/* Reads the clear part; fills clear[] and the header. */
static int read_clear(FILE *f, unsigned char clear[CLEAR_FIXED], json_t **header,
                      unsigned char header_hash[32], char *why, size_t why_size)
{
    if (get(f, clear, CLEAR_FIXED) || memcmp(clear, MAGIC, 8)) {
        snprintf(why, why_size, "not an obrady backup (no OBRADYBK header)");
        return OBR_ECORRUPT;
    }
    if (get32(clear + 8) != BACKUP_FORMAT) {
        snprintf(why, why_size, "backup format %u is not known to this obrady (knows %u)",
                 get32(clear + 8), (unsigned)BACKUP_FORMAT);
        return OBR_ECORRUPT;
    }
    uint32_t chunk = get32(clear + 12), len = get32(clear + 16 + SALT_BYTES);
    if (chunk == 0 || chunk > (64u << 20) || len > BACKUP_HEADER_MAX) {
        snprintf(why, why_size, "header damaged: impossible sizes");
        return OBR_ECORRUPT;
    }
    char *text = malloc(len + 1);
    if (!text)
        return OBR_ENOMEM;
    if (get(f, text, len)) {
        free(text);
        snprintf(why, why_size, "header damaged: file ends inside it");
        return OBR_ECORRUPT;
    }
    json_error_t err;
    *header = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    if (header_hash) {
        struct sha256_ctx h;
        sha256_init(&h);
        sha256_update(&h, CLEAR_FIXED, clear);
        sha256_update(&h, len, (const uint8_t *)text);
        sha256_digest(&h, 32, header_hash);
    }
    free(text);
    if (!json_is_object(*header)) {
        json_decref(*header);
        *header = NULL;
        snprintf(why, why_size, "header damaged: not a JSON object");
        return OBR_ECORRUPT;
    }
    return 0;
}

int bk_header_read(FILE *f, json_t **header, char *why, size_t why_size)
{
    unsigned char clear[CLEAR_FIXED];
    return read_clear(f, clear, header, NULL, why, why_size);
}

struct bk_reader *bk_reader_new(FILE *f, const unsigned char key[BACKUP_KEY_BYTES], char *why,
                                size_t why_size)
{
    struct bk_reader *r = calloc(1, sizeof *r);
    unsigned char clear[CLEAR_FIXED];
    if (!r || read_clear(f, clear, &r->header, r->header_hash, why, why_size)) {
        if (r && !*why)
            snprintf(why, why_size, "out of memory");
        free(r);
        return NULL;
    }
    r->f = f;
    r->chunk_bytes = get32(clear + 12);
    derive(key, clear + 16, &r->k);
    char check[2 * CHECK_BYTES + 1];
    hex(r->k.check, CHECK_BYTES, check);
    const char *stored = json_string_value(json_object_get(r->header, "key_check"));
    if (!stored || strlen(stored) != 2 * CHECK_BYTES ||
        !memeql_sec(stored, check, 2 * CHECK_BYTES)) {
        snprintf(why, why_size,
                 "wrong key: this backup was made with another backup key "
                 "(or its header's salt or key_check was altered)");
        bk_reader_free(r);
        return NULL;
    }
    if (!(r->buf = malloc((size_t)r->chunk_bytes + TAG_BYTES))) {
        snprintf(why, why_size, "out of memory");
        bk_reader_free(r);
        return NULL;
    }
    return r;
}

json_t *bk_reader_header(struct bk_reader *r)
{
    return r->header;
}

uint64_t bk_reader_chunks(const struct bk_reader *r)
{
    return r->index;
}

static int next_chunk(struct bk_reader *r, char *why, size_t why_size)
{
    unsigned char frame[5];
    size_t n = fread(frame, 1, sizeof frame, r->f);
    unsigned long long idx = (unsigned long long)r->index;
    if (n == 0 && feof(r->f)) {
        snprintf(why, why_size,
                 "truncated: the file ends before its last chunk (chunk %llu "
                 "missing)",
                 idx);
        return OBR_ECORRUPT;
    }
    uint32_t len = n == sizeof frame ? get32(frame + 1) : UINT32_MAX;
    if (len > r->chunk_bytes || (frame[0] & ~FLAG_LAST) ||
        get(r->f, r->buf, (size_t)len + TAG_BYTES)) {
        snprintf(why, why_size, "chunk %llu is damaged or cut short", idx);
        return OBR_ECORRUPT;
    }
    struct gcm_aes256_ctx ctx;
    chunk_start(&ctx, &r->k, r->header_hash, r->index, frame[0], len);
    unsigned char tag[TAG_BYTES];
    gcm_aes256_decrypt(&ctx, len, r->buf, r->buf);
    gcm_aes256_digest(&ctx, TAG_BYTES, tag);
    sodium_memzero(&ctx, sizeof ctx);
    if (!memeql_sec(tag, r->buf + len, TAG_BYTES)) {
        sodium_memzero(r->buf, len);
        snprintf(why, why_size,
                 "chunk %llu fails authentication: altered, reordered, cut or "
                 "taken from another backup",
                 idx);
        return OBR_ECORRUPT;
    }
    r->index++;
    r->have = len, r->pos = 0;
    if (frame[0] & FLAG_LAST) {
        r->is_done = true;
        if (fgetc(r->f) != EOF) {
            snprintf(why, why_size, "data after the last chunk (chunk %llu)", idx);
            return OBR_ECORRUPT;
        }
    }
    return 0;
}

int bk_read(struct bk_reader *r, void *out, size_t len, size_t *got, char *why, size_t why_size)
{
    *got = 0;
    unsigned char *p = out;
    while (len) {
        if (r->pos == r->have) {
            if (r->is_done)
                break;
            int rc = next_chunk(r, why, why_size);
            if (rc)
                return rc;
            continue;
        }
        size_t n = r->have - r->pos;
        n = n < len ? n : len;
        memcpy(p, r->buf + r->pos, n);
        r->pos += n, p += n, len -= n, *got += n;
    }
    return 0;
}

void bk_reader_free(struct bk_reader *r)
{
    if (!r)
        return;
    sodium_memzero(&r->k, sizeof r->k);
    if (r->buf)
        sodium_memzero(r->buf, (size_t)r->chunk_bytes + TAG_BYTES);
    free(r->buf);
    json_decref(r->header);
    free(r);
}

int bk_key_load(const char *path, unsigned char key[BACKUP_KEY_BYTES], char *why, size_t why_size)
{
    if (!path || !*path) {
        snprintf(why, why_size,
                 "no backup key: set backup_key_file (make one with "
                 "'obrady backup keygen FILE')");
        return OBR_ENOTFOUND;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, why_size, "cannot read the backup key %s: %s", path, strerror(errno));
        return errno == ENOENT ? OBR_ENOTFOUND : OBR_EIO;
    }
    unsigned char buf[BACKUP_KEY_BYTES + 1];
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    if (n != BACKUP_KEY_BYTES) {
        sodium_memzero(buf, sizeof buf);
        snprintf(why, why_size, "the backup key %s must be exactly %d bytes", path,
                 BACKUP_KEY_BYTES);
        return OBR_ECORRUPT;
    }
    memcpy(key, buf, BACKUP_KEY_BYTES);
    sodium_memzero(buf, sizeof buf);
    return 0;
}

int bk_keygen(const char *path, char *why, size_t why_size)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        snprintf(why, why_size, "cannot create %s: %s", path, strerror(errno));
        return errno == EEXIST ? OBR_EEXISTS : OBR_EIO;
    }
    unsigned char key[BACKUP_KEY_BYTES];
    randombytes_buf(key, sizeof key);
    bool is_ok = write(fd, key, sizeof key) == (ssize_t)sizeof key && fsync(fd) == 0;
    sodium_memzero(key, sizeof key);
    close(fd);
    if (!is_ok) {
        snprintf(why, why_size, "cannot write %s: %s", path, strerror(errno));
        unlink(path);
        return OBR_EIO;
    }
    return 0;
}
