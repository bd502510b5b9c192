/* compress.c — content codings for responses: which ones a client accepts
 * (Accept-Encoding with q-values) and gzip, with zlib, for large JSON and
 * HTML answers made in memory (the meeting state, boards, the public pages).
 * Static files are compressed at build time instead (static.c serves
 * FILE.br and FILE.gz). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "http/req_impl.h"

bool http_accepts_coding(const char *ae, const char *coding)
{
    size_t n = strlen(coding);
    int star = -1;
    while (ae && *ae) {
        while (*ae == ' ' || *ae == ',' || *ae == '\t')
            ae++;
        const char *tok = ae;
        size_t len = strcspn(ae, ";, \t");
        ae += len;
        double q = 1.0;
        const char *end = ae + strcspn(ae, ",");
        const char *qs = strstr(ae, "q=");
        if (qs && qs < end)
            q = strtod(qs + 2, NULL);
        ae = end;
        if (len == n && !strncasecmp(tok, coding, n))
            return q > 0;
        if (len == 1 && *tok == '*')
            star = q > 0;
    }
    return star == 1;
}

/* Smaller answers fit in a few packets either way; compressing them costs
 * more than it saves. Larger than the maximum, a reply is sent as it is
 * (zlib counts in 32 bits). */
#define GZIP_MIN_BYTES 1024
#define GZIP_MAX_BYTES (256u << 20)

char *http_gzip(const char *in, size_t len, size_t *out_len)
{
    if (!in || len < GZIP_MIN_BYTES || len > GZIP_MAX_BYTES)
        return NULL;
    z_stream z = {0};
    /* windowBits 15 + 16: a gzip wrapper rather than zlib's own. */
    if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return NULL;
    uLong cap = deflateBound(&z, (uLong)len);
    char *out = malloc(cap);
    if (!out) {
        deflateEnd(&z);
        return NULL;
    }
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)len;
    z.next_out = (Bytef *)out;
    z.avail_out = (uInt)cap;
    int rc = deflate(&z, Z_FINISH);
    *out_len = cap - z.avail_out;
    deflateEnd(&z);
    if (rc != Z_STREAM_END || *out_len >= len) {
        free(out);
        return NULL;
    }
    return out;
}

bool req_accepts_gzip(struct req *rq)
{
    return http_accepts_coding(req_header(rq, "Accept-Encoding"), "gzip");
}

void http_maybe_gzip(struct req *rq)
{
    if (!rq->data || rq->data_len < GZIP_MIN_BYTES || rq->data_len > GZIP_MAX_BYTES ||
        !rq->content_type ||
        (strncmp(rq->content_type, "application/json", 16) &&
         strncmp(rq->content_type, "text/html", 9)))
        return;
    for (int i = 0; i < rq->n_headers; i++)
        if (!strcasecmp(rq->hdr_names[i], "Content-Encoding"))
            return; /* coded by the handler (reply_coded) */
    reply_header(rq, "Vary", "Accept-Encoding");
    if (!req_accepts_gzip(rq))
        return;
    size_t out_len = 0;
    char *out = http_gzip(rq->data, rq->data_len, &out_len);
    if (!out)
        return;
    free(rq->data);
    rq->data = out;
    rq->data_len = out_len;
    reply_header(rq, "Content-Encoding", "gzip");
}
