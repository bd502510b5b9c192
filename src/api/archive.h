/* archive.h — a closed meeting as a self-contained archive bundle (one ZIP,
 * docs/archive-format.md): the whole event log as JSON lines, the protocol and
 * every vote report (PDF), each secret vote's board, the documents, the
 * named lists (CSV and JSON), a manifest of SHA-256s, SHA256SUMS and a README
 * in Polish and English on checking it without obrady. Built by
 * `obrady archive run` for meetings past their organisation's retention
 * period; checked by `obrady archive verify` (ops/archive_verify.c). */
#ifndef OBR_API_ARCHIVE_H
#define OBR_API_ARCHIVE_H

#include <stddef.h>

struct db;

#define ARCHIVE_PATH_MAX 1024

/* Writes out_dir/obrady-archive-<meeting>.zip for a closed meeting (via a
 * temp file renamed at the end). OBR_EEXISTS when that bundle exists already,
 * OBR_ECONFLICT when the meeting is not closed. path_out gets the bundle. */
int archive_meeting(struct db *db, const char *data_dir, const char *public_url,
                    const char *meeting_id, const char *out_dir, char path_out[ARCHIVE_PATH_MAX],
                    char *why, size_t why_size);

/* `obrady archive run|verify`; argv after "archive". Exit code. */
int archive_cli_main(int argc, char **argv);

#endif
