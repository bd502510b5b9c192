/* static.c — the front end's files from the web directory: strict path
 * checks, MIME types by extension, index.html for client-side routes (a last
 * segment without a dot). Files under /v/<version>/ (made by
 * scripts/build-web.mjs, the version a hash of them all) are immutable and
 * cached for a year; every other file, the shell above all, is revalidated
 * (no-cache + ETag, so a deployment is picked up at once). A gzip or brotli
 * copy made at build time (FILE.gz, FILE.br) goes out when the client
 * accepts it. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/req_impl.h"

static const struct {
    const char *ext, *type;
} mime[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml; charset=utf-8"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
    {".csv", "text/csv; charset=utf-8"},
    {".webmanifest", "application/manifest+json; charset=utf-8"},
    {".wasm", "application/wasm"},
};

static const char *mime_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (dot)
        for (size_t i = 0; i < sizeof mime / sizeof mime[0]; i++)
            if (!strcasecmp(dot, mime[i].ext))
                return mime[i].type;
    return NULL;
}

/* Only plain names: letters, digits, '-', '_', '.', no segment starting with '.'. */
static bool is_safe_path(const char *p)
{
    if (p[0] != '/')
        return false;
    for (const char *s = p; *s; s++) {
        char c = *s;
        if (c == '/') {
            if (s[1] == '.' || s[1] == '/')
                return false;
            continue;
        }
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.'))
            return false;
    }
    return true;
}

static bool is_compressible(const char *type)
{
    return !strncmp(type, "text/", 5) || !strncmp(type, "application/json", 16) ||
           !strncmp(type, "image/svg", 9) || !strncmp(type, "application/manifest", 20) ||
           !strcmp(type, "application/wasm");
}

/* Opens full + suffix if it is a regular file; -1 otherwise. */
static int open_regular(const char *full, const char *suffix, struct stat *st)
{
    char name[1100];
    if ((size_t)snprintf(name, sizeof name, "%s%s", full, suffix) >= sizeof name)
        return -1;
    int fd = open(name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd >= 0 && (fstat(fd, st) || !S_ISREG(st->st_mode))) {
        close(fd);
        fd = -1;
    }
    return fd;
}

static void not_found(struct req *rq)
{
    reply_error(rq, ERR_NOT_FOUND, NULL);
}

void static_serve(struct req *rq)
{
    reply_static(rq, rq->path);
}

void reply_static(struct req *rq, const char *path)
{
    if (!strcmp(path, "/"))
        path = "/index.html";
    if (!is_safe_path(path)) {
        not_found(rq);
        return;
    }
    /* Versioned URLs name files only: a wrong or old version is a 404, never
     * the shell or another version's bytes under a year-long cache. */
    bool is_versioned = !strncmp(path, "/v/", 3);
    const char *last = strrchr(path, '/');
    if (!strchr(last, '.') && !is_versioned)
        path = "/index.html"; /* a client-side route */
    const char *type = mime_of(path);
    if (!type) {
        not_found(rq);
        return;
    }
    char full[1024];
    if ((size_t)snprintf(full, sizeof full, "%s%s", rq->srv->web_dir, path) >= sizeof full) {
        not_found(rq);
        return;
    }
    struct stat st;
    int fd = -1;
    const char *coding = NULL;
    bool may_vary = is_compressible(type);
    if (may_vary) {
        const char *ae = req_header(rq, "Accept-Encoding");
        if (http_accepts_coding(ae, "br") && (fd = open_regular(full, ".br", &st)) >= 0)
            coding = "br";
        else if (http_accepts_coding(ae, "gzip") && (fd = open_regular(full, ".gz", &st)) >= 0)
            coding = "gzip";
    }
    if (fd < 0 && (fd = open_regular(full, "", &st)) < 0) {
        not_found(rq);
        return;
    }
    char etag[80];
    snprintf(etag, sizeof etag, "\"%llx-%llx%s%s\"", (unsigned long long)st.st_size,
             (unsigned long long)st.st_mtim.tv_sec * 1000000000ull +
                 (unsigned long long)st.st_mtim.tv_nsec,
             coding ? "-" : "", coding ? coding : "");
    reply_header(rq, "ETag", etag);
    reply_header(rq, "Cache-Control",
                 is_versioned ? "public, max-age=31536000, immutable" : "no-cache");
    if (may_vary)
        reply_header(rq, "Vary", "Accept-Encoding");
    if (coding)
        reply_header(rq, "Content-Encoding", coding);
    const char *inm = req_header(rq, "If-None-Match");
    if (inm && strstr(inm, etag)) {
        close(fd);
        reply_empty(rq, 304);
        return;
    }
    reply_fd(rq, 200, type, fd, (uint64_t)st.st_size);
}
