/* static.c — the front end's files from the web directory: strict path
 * checks, MIME types by extension, ETag revalidation (Cache-Control no-cache,
 * so a deployment is picked up at once while unchanged files cost a 304), and
 * index.html for client-side routes (a last segment without a dot). */
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
    const char *last = strrchr(path, '/');
    if (!strchr(last, '.'))
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
    int fd = open(full, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        not_found(rq);
        return;
    }
    char etag[64];
    snprintf(etag, sizeof etag, "\"%llx-%llx\"", (unsigned long long)st.st_size,
             (unsigned long long)st.st_mtim.tv_sec * 1000000000ull +
                 (unsigned long long)st.st_mtim.tv_nsec);
    reply_header(rq, "ETag", etag);
    reply_header(rq, "Cache-Control", "no-cache");
    const char *inm = req_header(rq, "If-None-Match");
    if (inm && strstr(inm, etag)) {
        close(fd);
        reply_empty(rq, 304);
        return;
    }
    reply_fd(rq, 200, type, fd, (uint64_t)st.st_size);
}
