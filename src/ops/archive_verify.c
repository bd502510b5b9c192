/* archive_verify.c — see archive_verify.h. Entries are read through libzip
 * with size caps (a bundle is hostile input); the log is recomputed line by
 * line with the same hash function the server appends with. */
#include "ops/archive_verify.h"

#include <jansson.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "crypto/evote.h"
#include "log/eventlog.h"
#include "util/err.h"

/* Entries read whole (the log, the manifest, boards); others are hashed as
 * a stream, so a document of any size costs no memory. */
#define ENTRY_MAX ((zip_uint64_t)1 << 30) /* 1 GiB */
#define SUMS_MAX (16u << 20)

/* Reads a whole entry (at most ENTRY_MAX) into a malloc'd, NUL-ended buffer. */
static char *read_entry(zip_t *za, zip_int64_t idx, size_t *len)
{
    zip_stat_t st;
    if (zip_stat_index(za, (zip_uint64_t)idx, 0, &st) || !(st.valid & ZIP_STAT_SIZE) ||
        st.size > ENTRY_MAX)
        return NULL;
    zip_file_t *f = zip_fopen_index(za, (zip_uint64_t)idx, 0);
    char *buf = f ? malloc(st.size + 1) : NULL;
    zip_int64_t n = buf ? zip_fread(f, buf, st.size) : -1;
    if (f)
        zip_fclose(f);
    if (n < 0 || (zip_uint64_t)n != st.size) {
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    *len = (size_t)n;
    return buf;
}

static void sha_hex(const char *p, size_t n, char out[65])
{
    struct sha256_ctx h;
    unsigned char d[SHA256_DIGEST_SIZE];
    sha256_init(&h);
    sha256_update(&h, n, (const uint8_t *)p);
    sha256_digest(&h, sizeof d, d);
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* Hashes an entry as a stream; false when it cannot be read. */
static bool hash_entry(zip_t *za, zip_int64_t idx, char out[65])
{
    zip_file_t *f = zip_fopen_index(za, (zip_uint64_t)idx, 0);
    if (!f)
        return false;
    struct sha256_ctx h;
    unsigned char d[SHA256_DIGEST_SIZE];
    char buf[65536];
    zip_int64_t n;
    sha256_init(&h);
    while ((n = zip_fread(f, buf, sizeof buf)) > 0)
        sha256_update(&h, (size_t)n, (const uint8_t *)buf);
    zip_fclose(f);
    if (n < 0)
        return false;
    sha256_digest(&h, sizeof d, d);
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
    return true;
}

static bool is_board(const char *name);

/* Entries whose content is checked beyond its hash, so read whole. */
static bool is_read_whole(const char *name)
{
    return !strcmp(name, "events.jsonl") || !strcmp(name, "manifest.json") || is_board(name);
}

/* SHA256SUMS as {name: sha}. */
static json_t *parse_sums(const char *text)
{
    json_t *sums = json_object();
    const char *p = text;
    while (sums && *p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len < 67 || p[64] != ' ' || p[65] != ' ') {
            json_decref(sums);
            return NULL;
        }
        char sha[65], name[1024];
        memcpy(sha, p, 64);
        sha[64] = 0;
        size_t nlen = len - 66 < sizeof name - 1 ? len - 66 : sizeof name - 1;
        memcpy(name, p + 66, nlen);
        name[nlen] = 0;
        if (json_object_get(sums, name) || json_object_set_new(sums, name, json_string(sha))) {
            json_decref(sums);
            return NULL;
        }
        p += len + (nl ? 1 : 0);
    }
    return sums;
}

static int check_log(const char *text, size_t len, struct archive_summary *s, char *why,
                     size_t why_size)
{
    char prev[EVENT_HASH_HEX + 1] = LOG_GENESIS_HASH;
    int64_t n = 0;
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
        json_t *e = json_loadb(p, l, JSON_REJECT_DUPLICATES, NULL);
        n++;
        const char *hash = json_string_value(json_object_get(e, "hash"));
        char *payload = json_dumps(json_object_get(e, "payload"), JSON_COMPACT | JSON_SORT_KEYS);
        char computed[EVENT_HASH_HEX + 1] = "";
        int rc =
            !e || !hash || !payload || json_integer_value(json_object_get(e, "seq")) != n ||
            strcmp(json_string_value(json_object_get(e, "prev")) ?: "", prev) ||
            log_compute_hash(json_string_value(json_object_get(e, "meeting")), n,
                             json_integer_value(json_object_get(e, "ts")),
                             json_string_value(json_object_get(e, "actor")),
                             json_string_value(json_object_get(e, "type")), payload,
                             (int)json_integer_value(json_object_get(e, "vis")), prev, computed) ||
            strcmp(computed, hash);
        free(payload);
        if (!rc)
            memcpy(prev, hash, sizeof prev);
        json_decref(e);
        if (rc) {
            snprintf(why, why_size, "events.jsonl: the hash chain breaks at seq %lld (line %lld)",
                     (long long)n, (long long)n);
            return OBR_ECORRUPT;
        }
        p += l + 1;
    }
    s->n_events = n;
    memcpy(s->head, prev, sizeof s->head);
    return 0;
}

static int check_board(const char *name, const char *text, size_t len, char *why, size_t why_size)
{
    json_t *board = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
    struct evote_board_summary bs;
    char reason[EVOTE_WHY_MAX] = "not JSON";
    int rc = board ? evote_board_verify(board, 0, &bs, reason, sizeof reason) : OBR_ECORRUPT;
    json_decref(board);
    if (rc) {
        snprintf(why, why_size, "%s: the board does not verify: %s", name, reason);
        return OBR_ECORRUPT;
    }
    return 0;
}

static bool is_board(const char *name)
{
    size_t n = strlen(name);
    return !strncmp(name, "votes/", 6) && n > 17 && !strcmp(name + n - 11, "-board.json");
}

static int check_all(zip_t *za, struct archive_summary *s, char *why, size_t why_size)
{
    zip_int64_t sums_idx = zip_name_locate(za, "SHA256SUMS", 0);
    size_t len;
    char *text = sums_idx >= 0 ? read_entry(za, sums_idx, &len) : NULL;
    json_t *sums = text && len < SUMS_MAX ? parse_sums(text) : NULL;
    free(text);
    if (!sums) {
        snprintf(why, why_size, "SHA256SUMS is missing or malformed");
        return OBR_ECORRUPT;
    }
    int rc = 0;
    zip_int64_t n = zip_get_num_entries(za, 0);
    json_t *manifest = NULL;
    for (zip_int64_t i = 0; i < n && !rc; i++) {
        const char *name = zip_get_name(za, (zip_uint64_t)i, 0);
        if (!name || i == sums_idx)
            continue;
        const char *want = json_string_value(json_object_get(sums, name));
        bool is_whole = is_read_whole(name);
        char *data = want && is_whole ? read_entry(za, i, &len) : NULL;
        char sha[65] = "";
        bool is_read = false;
        if (data) {
            sha_hex(data, len, sha);
            is_read = true;
        } else if (want && !is_whole) {
            is_read = hash_entry(za, i, sha);
        }
        if (!want)
            snprintf(why, why_size, "%s: a file not listed in SHA256SUMS", name);
        else if (!is_read)
            snprintf(why, why_size, "%s: cannot be read (or is too large)", name);
        else if (strcmp(sha, want))
            snprintf(why, why_size, "%s: changed (its SHA-256 differs from SHA256SUMS)", name);
        rc = (!want || !is_read || strcmp(sha, want)) ? OBR_ECORRUPT : 0;
        if (!rc && !strcmp(name, "events.jsonl"))
            rc = check_log(data, len, s, why, why_size);
        if (!rc && !strcmp(name, "manifest.json"))
            manifest = json_loadb(data, len, JSON_REJECT_DUPLICATES, NULL);
        if (!rc && is_board(name)) {
            rc = check_board(name, data, len, why, why_size);
            s->n_boards++;
        }
        if (!rc) {
            json_object_del(sums, name);
            s->n_files++;
        }
        free(data);
    }
    if (!rc && json_object_size(sums)) {
        snprintf(why, why_size, "%s: listed in SHA256SUMS but missing",
                 json_object_iter_key(json_object_iter(sums)));
        rc = OBR_ECORRUPT;
    }
    json_t *log = json_object_get(manifest, "log");
    if (!rc && (!manifest || !s->head[0] ||
                strcmp(json_string_value(json_object_get(log, "head")) ?: "", s->head) ||
                json_integer_value(json_object_get(log, "events")) != s->n_events)) {
        snprintf(why, why_size, "manifest.json: missing, or its log head is not events.jsonl's");
        rc = OBR_ECORRUPT;
    }
    if (!rc)
        snprintf(s->meeting, sizeof s->meeting, "%s",
                 json_string_value(json_object_get(manifest, "meeting")) ?: "");
    json_decref(manifest);
    json_decref(sums);
    return rc;
}

int archive_verify(const char *path, struct archive_summary *s, char *why, size_t why_size)
{
    memset(s, 0, sizeof *s);
    *why = 0;
    int zerr = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    if (!za) {
        zip_error_t e;
        zip_error_init_with_code(&e, zerr);
        snprintf(why, why_size, "%s: not a readable ZIP (%s)", path, zip_error_strerror(&e));
        zip_error_fini(&e);
        return OBR_ECORRUPT;
    }
    int rc = check_all(za, s, why, why_size);
    zip_discard(za);
    return rc;
}
