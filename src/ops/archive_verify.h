/* archive_verify.h — `obrady archive verify BUNDLE`: checks an archive bundle
 * (api/archive.h) with nothing but the ZIP: every file against SHA256SUMS and
 * the manifest (no file missing, none added), the log's hash chain and head,
 * and every secret vote's board. */
#ifndef OBR_ARCHIVE_VERIFY_H
#define OBR_ARCHIVE_VERIFY_H

#include <stddef.h>
#include <stdint.h>

struct archive_summary {
    char meeting[64];
    int n_files;
    int64_t n_events;
    int n_boards;
    char head[65];
};

/* 0 when everything holds; otherwise OBR_ECORRUPT (or an I/O error) with
 * why naming the changed file, the broken event or the failing board. */
int archive_verify(const char *path, struct archive_summary *s, char *why, size_t why_size);

#endif
