/* archive_run.c — after a meeting's bundle is written (archive.c), the live
 * meeting becomes "archived": in one log transaction its access links are
 * deleted, its chat messages' text redacted in the live log, the e-mail
 * addresses and sessions of guests who have nothing
 * else here removed (store/archive_repo.c), its status set and a
 * meeting.archived event appended that names the bundle, its SHA-256 and
 * the log head it holds, and what was removed. */
#include <nettle/sha2.h>
#include <stdio.h>
#include <string.h>

#include "api/archive.h"
#include "api/meeting_cache.h"
#include "log/eventlog.h"
#include "store/auth.h"
#include "store/db.h"
#include "store/meetings.h"
#include "util/clock.h"
#include "util/diag.h"
#include "util/err.h"

static int file_sha256(const char *path, char out[65])
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return OBR_EIO;
    struct sha256_ctx h;
    sha256_init(&h);
    unsigned char buf[65536], d[SHA256_DIGEST_SIZE];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sha256_update(&h, n, buf);
    bool is_ok = !ferror(f);
    fclose(f);
    sha256_digest(&h, sizeof d, d);
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
    return is_ok ? 0 : OBR_EIO;
}

static int mark_archived(struct db *db, struct hub *hub, const char *meeting_id, const char *path)
{
    char sha[65];
    int rc = file_sha256(path, sha);
    if (rc)
        return rc;
    const char *name = strrchr(path, '/');
    struct log_tx tx;
    if ((rc = log_tx_begin(&tx, db, hub)))
        return rc;
    int64_t links = 0, seq = 0, guests = 0, sessions = 0, chat = 0;
    char head[EVENT_HASH_HEX + 1];
    rc = log_head(db, meeting_id, &seq, head);
    rc = rc ? rc : access_links_delete_meeting(db, meeting_id, &links);
    rc = rc ? rc : archive_purge_guests(db, meeting_id, &guests, &sessions);
    /* The bundle, written and checked before, holds the whole log; the live
     * copy keeps each chat message's place and hash, not its text. */
    rc = rc ? rc : archive_redact_chat(db, meeting_id, &chat);
    rc = rc ? rc : meetings_set_status(db, meeting_id, "archived", clock_now_ms());
    json_t *payload =
        json_pack("{s:s,s:s,s:s,s:{s:I,s:I,s:I,s:I}}", "bundle", name ? name + 1 : path, "sha256",
                  sha, "log_head", head, "removed", "access_links", (json_int_t)links,
                  "guest_emails", (json_int_t)guests, "guest_sessions", (json_int_t)sessions,
                  "chat_messages", (json_int_t)chat);
    rc = rc        ? rc
         : payload ? log_append(&tx, meeting_id, "system", "meeting.archived", payload,
                                EVENT_PUBLIC, NULL)
                   : OBR_ENOMEM;
    json_decref(payload);
    if (rc) {
        log_tx_rollback(&tx);
        return rc;
    }
    rc = log_tx_commit(&tx);
    if (!rc)
        meeting_cache_forget(meeting_id); /* its state still held the chat */
    return rc;
}

int archive_due_run(struct db *db, struct hub *hub, const char *data_dir, const char *public_url,
                    const char *out_dir, int *n_done)
{
    *n_done = 0;
    json_t *ids = meetings_due_for_archive_json(db, clock_now_ms());
    if (!ids)
        return OBR_EDB;
    int first = 0;
    size_t i;
    json_t *v;
    json_array_foreach (ids, i, v) {
        const char *id = json_string_value(v);
        char path[ARCHIVE_PATH_MAX], why[512];
        int rc = archive_meeting(db, data_dir, public_url, id, out_dir, path, why, sizeof why);
        if (rc == OBR_EEXISTS)
            rc = 0; /* bundled before, not yet marked (a crash in between) */
        if (!rc && (rc = mark_archived(db, hub, id, path)))
            snprintf(why, sizeof why, "cannot mark it archived: %s", obr_strerror(rc));
        if (rc) {
            diag(DIAG_ERROR, "archive: meeting %s FAILED: %s", id, why);
            first = first ? first : rc;
        } else {
            diag(DIAG_INFO, "archive: meeting %s archived into %s", id, path);
            (*n_done)++;
        }
    }
    json_decref(ids);
    return first;
}
