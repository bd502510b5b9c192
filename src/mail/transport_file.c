/* transport_file.c — the embedded default transport: each message becomes
 * DATA/mail/<created_ms>-<id>.eml, readable by any mail client and by the
 * tests. Files appear atomically (temporary file, fsync, rename), so a reader
 * never sees half a message; the name is fixed by the row, so delivering the
 * same row twice after a crash rewrites the same file. Runs on the worker. */
#include "mail/mail.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/err.h"
#include "util/ids.h"

static int fail(char *err, size_t err_size, const char *what, int e)
{
    snprintf(err, err_size, "file: %s: %s", what, strerror(e));
    return e == ENOSPC ? OBR_EFULL : OBR_EIO;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w, n -= (size_t)w;
    }
    return 0;
}

int mail_transport_file_send(const char *dir, const char *id, int64_t created_ms, const void *msg,
                             size_t len, char *err, size_t err_size)
{
    if (!dir || !dir[0] || !id_is_valid(id)) {
        snprintf(err, err_size, "file: no mail directory or a bad id");
        return OBR_EINVAL;
    }
    char path[1024], tmp[1024];
    int n1 = snprintf(path, sizeof path, "%s/%lld-%s.eml", dir, (long long)created_ms, id);
    int n2 = snprintf(tmp, sizeof tmp, "%s/.%lld-%s.eml.tmp", dir, (long long)created_ms, id);
    if (n1 < 0 || n2 < 0 || (size_t)n2 >= sizeof tmp) {
        snprintf(err, err_size, "file: mail directory path too long");
        return OBR_EINVAL;
    }
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return fail(err, err_size, "mkdir", errno);

    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return fail(err, err_size, "open", errno);
    if (write_all(fd, msg, len) != 0 || fsync(fd) != 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        return fail(err, err_size, "write", e);
    }
    if (close(fd) != 0) {
        int e = errno;
        unlink(tmp);
        return fail(err, err_size, "close", e);
    }
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return fail(err, err_size, "rename", e);
    }
    /* the rename is durable only once the directory itself is synced */
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return 0;
}
