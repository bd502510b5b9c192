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

struct hub;
/* The daily archiving: every closed meeting past its organisation's
 * retention period is bundled into out_dir, then, in one transaction, its
 * access links are deleted, it becomes "archived" and a meeting.archived
 * event records the bundle, its SHA-256 and what was removed. hub may be
 * NULL (the CLI). *n_done counts the meetings archived. 0, or the first
 * error (the rest are still tried; each failure is logged). */
int archive_due_run(struct db *db, struct hub *hub, const char *data_dir, const char *public_url,
                    const char *out_dir, int *n_done);

/* `obrady archive run|verify`; argv after "archive". Exit code. */
int archive_cli_main(int argc, char **argv);

#endif
