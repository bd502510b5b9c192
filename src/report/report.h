/* report.h — the PDF protocols of obrady (DESIGN.md: "the PDF report of a
 * vote is the protocol"): the report of one closed vote (report_vote.c) and
 * the protocol of a meeting (report_protocol.c), laid out by layout.h from a
 * snapshot of the meeting's log (report_data.h), Polish or English after the
 * organisation's language; and a cache of rendered files keyed by the log's
 * head (report_cache.c). */
#ifndef OBR_REPORT_H
#define OBR_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "log/event.h"
#include "util/ids.h"

struct buf;
struct db;
struct lay_stats;

enum report_kind { REPORT_VOTE, REPORT_PROTOCOL };

/* Renders the report of vote_id (closed) into out. public_url is where the
 * verification page lives (secret votes); with board_secret (the server's
 * TOKEN_KEY_BYTES secret key, may be NULL) its address carries the board key
 * (crypto/tokens.h) that lets anyone holding the report read the board.
 * OBR_ENOTFOUND, OBR_ECONFLICT when
 * the vote is not closed, or another error. stats may be NULL. */
int report_vote_pdf(struct db *db, const char *vote_id, const char *public_url,
                    const unsigned char *board_secret, struct buf *out,
                    struct lay_stats *stats);

/* The installation's public signing key (ops/signing_key.h), printed on
 * every protocol and vote report; main.c sets it once at start. */
void report_set_installation_key(const unsigned char pk[32]);
/* Where the installation answers (main.c sets it once the server listens):
 * the protocol's "listen from this item" links. */
void report_set_public_url(const char *url);

/* Renders the protocol of meeting_id, marked as a draft while the meeting
 * is not closed. */
int report_protocol_pdf(struct db *db, const char *meeting_id, struct buf *out,
                        struct lay_stats *stats);

/* What a rendered report is and where it came from. */
struct report_file {
    char *data; /* malloc'd PDF */
    size_t len;
    char meeting_id[ID_SIZE];
    char head[EVENT_HASH_HEX + 1]; /* the log head the file shows */
    char filename[96];             /* "protokol-glosowania-<id>.pdf" / "vote-report-<id>.pdf" */
};

/* The report of kind for id (a vote or a meeting id), from
 * data_dir/reports/<id>-<head>.pdf when rendered before at the log's current
 * head, else rendered and written there atomically (best effort: a report
 * that cannot be cached is still returned). Errors as the renderers. */
int report_get(struct db *db, const char *data_dir, const char *public_url,
               const unsigned char *board_secret, enum report_kind kind, const char *id,
               struct report_file *out);
void report_file_free(struct report_file *f);

#endif
