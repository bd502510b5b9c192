/* secrets.c — the installation key file (see secrets.h). */
#include "ops/secrets.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <unistd.h>

#include "util/diag.h"
#include "util/err.h"

static int read_all(int fd, unsigned char *p, size_t n)
{
    while (n) {
        ssize_t r = read(fd, p, n);
        if (r <= 0)
            return -1;
        p += r, n -= (size_t)r;
    }
    return 0;
}

int secrets_load(const char *data_dir, unsigned char key[TOKEN_KEY_BYTES])
{
    char path[1024];
    snprintf(path, sizeof path, "%s/secret.key", data_dir);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        int rc = read_all(fd, key, TOKEN_KEY_BYTES);
        close(fd);
        if (rc)
            diag(DIAG_ERROR, "%s is shorter than %d bytes", path, TOKEN_KEY_BYTES);
        return rc ? OBR_ECORRUPT : 0;
    }
    if (errno != ENOENT)
        return OBR_EIO;
    randombytes_buf(key, TOKEN_KEY_BYTES);
    char tmp[1040];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return OBR_EIO;
    bool is_ok = write(fd, key, TOKEN_KEY_BYTES) == TOKEN_KEY_BYTES && fsync(fd) == 0;
    close(fd);
    /* link() fails if another process made the file first: then use theirs. */
    if (!is_ok || (link(tmp, path) && errno != EEXIST)) {
        unlink(tmp);
        return OBR_EIO;
    }
    unlink(tmp);
    diag(DIAG_INFO, "created the installation key %s", path);
    return secrets_load(data_dir, key);
}
