/* backup_list.c — the backups in a directory, oldest first, read from their
 * clear headers (no key needed), ordered by the time in the header: what `obrady backup list`, the
 * daily job's rotation and the admin page show. Only finished backups count: their names are
 * obrady-<UTC time>[-n].obk; temp files are hidden (start with '.'). */
#include "ops/backup.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/err.h"

static bool is_backup_name(const char *n)
{
    size_t len = strlen(n), suf = strlen(BACKUP_SUFFIX);
    return !strncmp(n, "obrady-", 7) && len > 7 + suf && !strcmp(n + len - suf, BACKUP_SUFFIX);
}

/* By the time in the header, then by name (unreadable ones have no time: first). */
static int by_time(const void *a, const void *b)
{
    const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    json_int_t tx = json_integer_value(json_object_get(x, "created_ms"));
    json_int_t ty = json_integer_value(json_object_get(y, "created_ms"));
    if (tx != ty)
        return tx < ty ? -1 : 1;
    return strcmp(json_string_value(json_object_get(x, "name")),
                  json_string_value(json_object_get(y, "name")));
}

json_t *backup_list_json(const char *dir)
{
    json_t *out = json_array();
    DIR *d = opendir(dir);
    if (!d || !out)
        return out;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!is_backup_name(de->d_name))
            continue;
        char path[BACKUP_PATH_MAX], why[BACKUP_WHY_MAX] = "";
        struct stat st;
        if (backup_path(path, sizeof path, dir, de->d_name) || stat(path, &st) ||
            !S_ISREG(st.st_mode))
            continue;
        json_t *h = NULL;
        FILE *f = fopen(path, "rb");
        int rc = f ? bk_header_read(f, &h, why, sizeof why) : OBR_EIO;
        if (f)
            fclose(f);
        json_t *e = json_pack("{s:s,s:s,s:I}", "name", de->d_name, "path", path, "size",
                              (json_int_t)st.st_size);
        if (!e)
            continue;
        if (rc) {
            json_object_set_new(e, "error", json_string(why[0] ? why : "unreadable"));
        } else {
            json_object_set(e, "created", json_object_get(h, "created"));
            json_object_set(e, "created_ms", json_object_get(h, "created_ms"));
            json_object_set(e, "installation", json_object_get(h, "installation"));
            json_object_set_new(
                e, "files",
                json_integer((json_int_t)json_array_size(json_object_get(h, "contents"))));
            json_object_set_new(
                e, "logs", json_integer((json_int_t)json_array_size(json_object_get(h, "logs"))));
        }
        json_decref(h);
        json_array_append_new(out, e);
    }
    closedir(d);
    size_t n = json_array_size(out);
    json_t **items = malloc((n ? n : 1) * sizeof *items);
    if (!items)
        return out;
    for (size_t i = 0; i < n; i++)
        items[i] = json_incref(json_array_get(out, i));
    qsort(items, n, sizeof *items, by_time);
    json_array_clear(out);
    for (size_t i = 0; i < n; i++)
        json_array_append_new(out, items[i]);
    free(items);
    return out;
}
