/* backup_snapshot.c — the backup's snapshot step and the few facts about a
 * data directory that backups record: which entries may be in a backup and
 * the installation id. A PostgreSQL backend plugs in here (pg_dump into dst)
 * without the container, verification or restore changing. */
#include "ops/backup.h"

#include <ctype.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ops/backup_pg.h"
#include "ops/secrets.h"
#include "store/db_snapshot.h"
#include "util/err.h"
#include "util/ids.h"

#define DB_ENTRY "obrady.db"
#define PAGES_PER_STEP 256

struct page_progress {
    backup_progress_fn fn;
    void *ctx;
};

static void on_pages(void *ctx, int done, int total)
{
    struct page_progress *p = ctx;
    p->fn(p->ctx, "snapshot", (uint64_t)done, (uint64_t)total);
}

int backup_snapshot_db(const char *data_dir, const char *dst, const char **entry_name,
                       backup_progress_fn progress, void *ctx)
{
    char src[BACKUP_PATH_MAX];
    if (snprintf(src, sizeof src, "%s/" DB_ENTRY, data_dir) >= (int)sizeof src)
        return OBR_EINVAL;
    struct page_progress p = {progress, ctx};
    *entry_name = DB_ENTRY;
    return db_snapshot_sqlite(src, dst, PAGES_PER_STEP, progress ? on_pages : NULL, &p);
}

static bool is_hex64(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!isxdigit((unsigned char)s[n]) || isupper((unsigned char)s[n]))
            return false;
    return n == 64;
}

bool backup_entry_name_ok(const char *name)
{
    if (!strcmp(name, DB_ENTRY) || !strcmp(name, BACKUP_PG_ENTRY) || !strcmp(name, "secret.key") ||
        !strcmp(name, "signing.key"))
        return true;
    /* audio/<meeting id>.opus: a meeting's recording (media/audio_rec.c) */
    size_t n = strlen(name);
    if (!strncmp(name, "audio/", 6) && n > 11 && n < 6 + ID_SIZE + 5 &&
        !strcmp(name + n - 5, ".opus")) {
        char id[ID_SIZE];
        snprintf(id, sizeof id, "%.*s", (int)(n - 11), name + 6);
        return id_is_valid(id);
    }
    return !strncmp(name, "files/", 6) && is_hex64(name + 6);
}

int backup_installation_id(const char *data_dir, char out[33])
{
    unsigned char key[TOKEN_KEY_BYTES], d[SHA256_DIGEST_SIZE];
    int rc = secrets_load(data_dir, key);
    if (rc)
        return rc;
    static const char label[] = "obrady installation id";
    struct sha256_ctx h;
    sha256_init(&h);
    sha256_update(&h, sizeof label, (const uint8_t *)label);
    sha256_update(&h, sizeof key, key);
    sha256_digest(&h, sizeof d, d);
    for (int i = 0; i < 16; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
    return 0;
}

void backup_lower_priority(void)
{
    /* Linux: both apply to the calling thread only (its tid). */
    pid_t tid = (pid_t)syscall(SYS_gettid);
    setpriority(PRIO_PROCESS, (id_t)tid, 10);
#ifdef SYS_ioprio_set
    enum { IOPRIO_WHO_PROCESS = 1, IOPRIO_CLASS_BE = 2, IOPRIO_CLASS_SHIFT = 13 };
    syscall(SYS_ioprio_set, IOPRIO_WHO_PROCESS, tid, IOPRIO_CLASS_BE << IOPRIO_CLASS_SHIFT | 7);
#endif
}
