/* log_hash_fast.c — the hash of a stored event without re-parsing it. A
 * stored payload is the canonical text log_append hashed, so the canonical
 * envelope can be written around it directly: when the other fields need
 * no escaping, this gives the same bytes log_compute_hash would, several
 * times faster (verify and restore recompute millions). Anything unusual
 * is left to log_compute_hash, and so is any mismatch (see check_row). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log/eventlog.h"
#include "util/ids.h"

/* Text that canonical JSON writes as is inside quotes. */
static bool is_plain(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\')
            return false;
    }
    return true;
}

bool log_hash_stored(const char *meeting_id, int64_t seq, int64_t ts_ms, const char *actor,
                     const char *type, const char *payload, int visibility, const char *prev_hash,
                     char hash_out[EVENT_HASH_HEX + 1])
{
    if (!meeting_id || !actor || !type || !payload || !prev_hash || !is_plain(meeting_id) ||
        !is_plain(actor) || !is_plain(type) || !is_plain(prev_hash))
        return false;
    size_t plen = strlen(payload);
    if (plen < 2 || payload[0] != '{' || payload[plen - 1] != '}')
        return false;
    char head[1024], tail[512];
    int hn = snprintf(head, sizeof head, "{\"actor\":\"%s\",\"meeting\":\"%s\",\"payload\":", actor,
                      meeting_id);
    int tn = snprintf(tail, sizeof tail,
                      ",\"prev\":\"%s\",\"seq\":%lld,\"ts\":%lld,\"type\":\"%s\",\"vis\":%d}",
                      prev_hash, (long long)seq, (long long)ts_ms, type, visibility);
    if (hn < 0 || tn < 0 || (size_t)hn >= sizeof head || (size_t)tn >= sizeof tail)
        return false;
    crypto_hash_sha256_state st;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)head, (size_t)hn);
    crypto_hash_sha256_update(&st, (const unsigned char *)payload, plen);
    crypto_hash_sha256_update(&st, (const unsigned char *)tail, (size_t)tn);
    crypto_hash_sha256_final(&st, digest);
    hex_encode(hash_out, digest, sizeof digest);
    return true;
}
