/* archive.c — builds a meeting's archive bundle (see archive.h). Everything
 * is taken from the store as the public API and the reports give it; each
 * entry is hashed as it is added, and the manifest and SHA256SUMS list them
 * in the order they were added. The ZIP is written by libzip under a temp
 * name and renamed once closed, so a bundle is whole or absent. */
#include "api/archive.h"

#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#include "api/public_model.h"
#include "api/votes.h"
#include "log/eventlog.h"
#include "report/bip.h"
#include "report/report.h"
#include "store/db.h"
#include "media/audio_channel.h"
#include "store/documents.h"
#include "store/files.h"
#include "store/votes.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/err.h"

#define LOG_BATCH 512

struct bundle {
    zip_t *za;
    json_t *files; /* [{path, size, sha256}] in order */
    char *why;
    size_t why_size;
};

static void sha_hex(const void *p, size_t n, char out[65])
{
    struct sha256_ctx h;
    unsigned char d[SHA256_DIGEST_SIZE];
    sha256_init(&h);
    sha256_update(&h, n, p);
    sha256_digest(&h, sizeof d, d);
    for (int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* Adds a copy of data as name. */
static int add_bytes(struct bundle *b, const char *name, const void *data, size_t len)
{
    void *copy = malloc(len ? len : 1);
    if (!copy)
        return OBR_ENOMEM;
    memcpy(copy, data, len);
    zip_source_t *src = zip_source_buffer(b->za, copy, len, 1);
    if (!src) {
        free(copy);
        return OBR_ENOMEM;
    }
    if (zip_file_add(b->za, name, src, ZIP_FL_ENC_UTF_8) < 0) {
        zip_source_free(src);
        snprintf(b->why, b->why_size, "cannot add %s: %s", name, zip_strerror(b->za));
        return OBR_EIO;
    }
    char sha[65];
    sha_hex(data, len, sha);
    json_array_append_new(
        b->files, json_pack("{s:s,s:I,s:s}", "path", name, "size", (json_int_t)len, "sha256", sha));
    return 0;
}

static int add_buf(struct bundle *b, const char *name, struct buf *text)
{
    int rc = buf_failed(text) ? OBR_ENOMEM : add_bytes(b, name, text->p ? text->p : "", text->len);
    buf_free(text);
    return rc;
}

static int add_json(struct bundle *b, const char *name, json_t *v)
{
    char *text = v ? json_dumps(v, JSON_INDENT(1) | JSON_SORT_KEYS) : NULL;
    json_decref(v);
    int rc = text ? add_bytes(b, name, text, strlen(text)) : OBR_ENOMEM;
    free(text);
    return rc;
}

/* The whole log, one event a line: the fields the hash covers under the
 * names it uses ({actor, meeting, payload, prev, seq, ts, type, vis}) plus
 * "hash", so a line minus "hash", canonicalised, hashes to "hash". */
static int add_log(struct bundle *b, struct db *db, const char *meeting_id, json_t **head_out)
{
    struct buf out = BUF_INIT;
    int64_t from = 1, n_events = 0;
    char head[EVENT_HASH_HEX + 1] = LOG_GENESIS_HASH;
    for (;;) {
        struct event *evs[LOG_BATCH];
        int n = 0;
        int rc = log_read(db, meeting_id, from, evs, LOG_BATCH, &n);
        if (rc) {
            buf_free(&out);
            return rc;
        }
        for (int i = 0; i < n; i++) {
            const struct event *e = evs[i];
            json_t *p = json_loads(e->payload, 0, NULL);
            json_t *line =
                json_pack("{s:s,s:s,s:o,s:s,s:I,s:I,s:s,s:i,s:s}", "actor", e->actor, "meeting",
                          e->meeting_id, "payload", p ? p : json_object(), "prev", e->prev_hash,
                          "seq", (json_int_t)e->seq, "ts", (json_int_t)e->ts_ms, "type", e->type,
                          "vis", e->visibility, "hash", e->hash);
            char *text = line ? log_canonical_json(line) : NULL;
            json_decref(line);
            if (text) {
                buf_puts(&out, text);
                buf_putc(&out, '\n');
            } else {
                out.failed = true;
            }
            free(text);
            memcpy(head, e->hash, sizeof head);
            from = e->seq + 1;
            n_events++;
            event_unref(evs[i]);
        }
        if (n < LOG_BATCH)
            break;
    }
    *head_out = json_pack("{s:I,s:s}", "events", (json_int_t)n_events, "head", head);
    return add_buf(b, "events.jsonl", &out);
}

static int add_pdf(struct bundle *b, const char *name, int rc, struct buf *pdf)
{
    if (rc) {
        buf_free(pdf);
        snprintf(b->why, b->why_size, "cannot render %s: %s", name, obr_strerror(rc));
        return rc;
    }
    return add_buf(b, name, pdf);
}

static int add_votes(struct bundle *b, struct db *db, const char *meeting_id,
                     const char *public_url, const char *lang)
{
    json_t *list = votes_list_json(db, meeting_id);
    if (!list)
        return OBR_EDB;
    size_t i;
    json_t *item;
    int rc = 0;
    json_array_foreach (list, i, item) {
        struct vote v;
        const char *id = json_string_value(json_object_get(item, "id"));
        if (rc || !id || votes_get(db, id, &v))
            continue;
        char name[ARCHIVE_PATH_MAX];
        json_t *pub = pub_vote_json(&v, public_url);
        struct buf csv = BUF_INIT;
        if (pub)
            bip_vote_csv(&csv, pub, lang, true);
        snprintf(name, sizeof name, "votes/%s.csv", v.id);
        rc = pub ? add_buf(b, name, &csv) : OBR_ENOMEM;
        snprintf(name, sizeof name, "votes/%s.json", v.id);
        rc = rc ? rc : add_json(b, name, pub);
        if (!rc && !strcmp(v.status, "closed")) {
            struct buf pdf = BUF_INIT;
            snprintf(name, sizeof name, "votes/%s.pdf", v.id);
            /* No board key in the address: the bundle holds the board itself. */
            rc = add_pdf(b, name, report_vote_pdf(db, v.id, public_url, NULL, &pdf, NULL), &pdf);
        }
        if (!rc && !strcmp(v.kind, "secret") && !strcmp(v.status, "closed")) {
            snprintf(name, sizeof name, "votes/%s-board.json", v.id);
            json_t *board = vote_board_json(db, v.id);
            rc = board ? add_json(b, name, board) : OBR_EDB;
        }
        vote_clear(&v);
    }
    json_decref(list);
    return rc;
}

/* A name safe in any file system: [A-Za-z0-9._-], the rest as '_'. */
static void safe_name(const char *in, char *out, size_t size)
{
    size_t i = 0;
    for (; in[i] && i + 1 < size && i < 120; i++) {
        char c = in[i];
        bool is_ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     c == '.' || c == '-' || c == '_';
        out[i] = is_ok ? c : '_';
    }
    out[i] = 0;
    if (out[0] == '.')
        out[0] = '_';
}

/* Reads the file at path into out (appended). 0, or -1 when it cannot be opened. */
static int read_whole(const char *path, struct buf *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(out, chunk, n);
    fclose(f);
    return 0;
}

static int add_documents(struct bundle *b, struct db *db, const char *data_dir,
                         const char *meeting_id)
{
    json_t *docs = documents_list_json(db, meeting_id);
    if (!docs)
        return OBR_EDB;
    size_t i;
    json_t *d;
    int rc = 0;
    json_array_foreach (docs, i, d) {
        const char *id = json_string_value(json_object_get(d, "id"));
        const char *sha = json_string_value(json_object_get(d, "sha256"));
        char safe[128], name[ARCHIVE_PATH_MAX], path[ARCHIVE_PATH_MAX];
        safe_name(json_string_value(json_object_get(d, "filename")), safe, sizeof safe);
        snprintf(name, sizeof name, "documents/%s-%s", id, safe);
        struct buf content = BUF_INIT;
        if (files_local_path(db, data_dir, sha ? sha : "-", path, sizeof path) ||
            read_whole(path, &content)) {
            snprintf(b->why, b->why_size, "document %s: cannot read %s", id, path);
            rc = OBR_EIO;
            break;
        }
        if ((rc = add_buf(b, name, &content)))
            break;
    }
    json_decref(docs);
    return rc;
}

/* The meeting's audio recording (docs/audio.md), when there is one. */
static int add_recording(struct bundle *b, const char *data_dir, const char *meeting_id)
{
    char path[ARCHIVE_PATH_MAX];
    if (!audio_recording_path(data_dir, meeting_id, path, sizeof path))
        return 0;
    struct buf content = BUF_INIT;
    if (read_whole(path, &content)) {
        snprintf(b->why, b->why_size, "recording: cannot read %s", path);
        return OBR_EIO;
    }
    return add_buf(b, "audio.opus", &content);
}

static const char README[] =
    "ARCHIWUM POSIEDZENIA (obrady) / MEETING ARCHIVE (obrady)\n"
    "=========================================================\n"
    "\n"
    "PL. To archiwum zawiera wszystko, co zostało z posiedzenia:\n"
    "  events.jsonl        cały dziennik zdarzeń posiedzenia, jedno zdarzenie w wierszu\n"
    "                      (łańcuch skrótów SHA-256: każde zdarzenie zawiera skrót poprzedniego)\n"
    "  protocol.pdf        protokół posiedzenia\n"
    "  meeting.json/.csv   posiedzenie, porządek obrad, obecności i głosowania (jak w BIP)\n"
    "  votes/ID.pdf        protokół każdego zamkniętego głosowania\n"
    "  votes/ID.csv/.json  imienne wykazy głosowań jawnych\n"
    "  votes/ID-board.json tablica głosowania tajnego (zaszyfrowane głosy i dowody)\n"
    "  documents/          dokumenty posiedzenia\n"
    "  audio.opus          nagranie dźwięku posiedzenia (Ogg Opus), jeśli było\n"
    "  manifest.json       spis plików ze skrótami SHA-256 i głowicą dziennika\n"
    "  SHA256SUMS          skróty wszystkich plików (również manifest.json)\n"
    "\n"
    "Jak sprawdzić bez programu obrady:\n"
    "  1. Pliki:   sha256sum -c SHA256SUMS        (każdy wiersz musi kończyć się \"OK\")\n"
    "  2. Dziennik: python3 check_log.py events.jsonl   (skrypt poniżej); ostatni skrót\n"
    "     musi być równy \"head\" w manifest.json.\n"
    "  3. Głosowania tajne: 'obrady verify votes/ID-board.json' albo strona /verify\n"
    "     dowolnego serwera obrady (weryfikacja działa w przeglądarce).\n"
    "Z programem obrady: 'obrady archive verify TEN_PLIK.zip' sprawdza wszystko naraz.\n"
    "\n"
    "EN. This archive holds everything that remains of the meeting:\n"
    "  events.jsonl        the meeting's whole event log, one event a line (a SHA-256\n"
    "                      hash chain: every event holds the hash of the one before)\n"
    "  protocol.pdf        the meeting's protocol\n"
    "  meeting.json/.csv   the meeting, agenda, attendance and votes (as published)\n"
    "  votes/ID.pdf        the report of every closed vote\n"
    "  votes/ID.csv/.json  named lists of open votes\n"
    "  votes/ID-board.json a secret vote's bulletin board (encrypted ballots, proofs)\n"
    "  documents/          the meeting's documents\n"
    "  audio.opus          the meeting's audio recording (Ogg Opus), if any\n"
    "  manifest.json       the list of files with SHA-256s and the log's head\n"
    "  SHA256SUMS          the SHA-256 of every file (manifest.json included)\n"
    "\n"
    "How to check it without obrady:\n"
    "  1. Files: sha256sum -c SHA256SUMS          (every line must end in \"OK\")\n"
    "  2. Log:   python3 check_log.py events.jsonl   (the script below); the last hash\n"
    "     printed must equal \"head\" in manifest.json.\n"
    "  3. Secret votes: 'obrady verify votes/ID-board.json', or the /verify page of\n"
    "     any obrady server (it verifies in the browser).\n"
    "With obrady: 'obrady archive verify THIS_FILE.zip' checks all of it at once.\n"
    "\n"
    "check_log.py:\n"
    "----8<----\n"
    "import hashlib, json, re, sys\n"
    "prev, n = '0' * 64, 0\n"
    "for line in open(sys.argv[1], encoding='utf-8'):\n"
    "    e = json.loads(line)\n"
    "    h = e.pop('hash')\n"
    "    c = json.dumps(e, sort_keys=True, separators=(',', ':'), ensure_ascii=False)\n"
    "    # obrady writes \\u escapes of control characters with capital hex digits\n"
    "    c = re.sub(r'(?<!\\\\)((?:\\\\\\\\)*)\\\\u([0-9a-f]{4})',\n"
    "               lambda m: m.group(1) + '\\\\u' + m.group(2).upper(), c)\n"
    "    n += 1\n"
    "    assert e['seq'] == n and e['prev'] == prev, 'chain broken at seq %d' % n\n"
    "    assert hashlib.sha256(c.encode('utf-8')).hexdigest() == h, 'hash wrong at seq %d' % n\n"
    "    prev = h\n"
    "print('ok: %d events, head %s' % (n, prev))\n"
    "----8<----\n";

static int add_index(struct bundle *b, const char *meeting_id, json_t *log_head)
{
    int rc = add_bytes(b, "README.txt", README, sizeof README - 1);
    char when[32];
    time_t t = (time_t)(clock_now_ms() / 1000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    json_t *manifest =
        json_pack("{s:s,s:i,s:s,s:s,s:O,s:O}", "kind", "obrady-archive", "format", 1, "meeting",
                  meeting_id, "created", when, "log", log_head, "files", b->files);
    rc = rc ? rc : add_json(b, "manifest.json", manifest);
    struct buf sums = BUF_INIT;
    size_t i;
    json_t *f;
    json_array_foreach(b->files, i, f) {
        buf_printf(&sums, "%s  %s\n", json_string_value(json_object_get(f, "sha256")),
                   json_string_value(json_object_get(f, "path")));
    }
    return rc ? rc : add_buf(b, "SHA256SUMS", &sums);
}

static int fill(struct bundle *b, struct db *db, const char *data_dir, const char *public_url,
                const struct pub_meeting *pm)
{
    const char *lang = pm->o.default_lang;
    json_t *head = NULL;
    int rc = add_log(b, db, pm->m.id, &head);
    struct buf pdf = BUF_INIT;
    rc = rc ? rc : add_pdf(b, "protocol.pdf", report_protocol_pdf(db, pm->m.id, &pdf, NULL), &pdf);
    buf_free(&pdf);
    json_t *model = rc ? NULL : pub_meeting_json(db, pm, public_url);
    struct buf csv = BUF_INIT;
    if (model)
        bip_meeting_csv(&csv, model, lang, true);
    rc = rc ? rc : model ? add_buf(b, "meeting.csv", &csv) : OBR_EDB;
    rc = rc ? rc : add_json(b, "meeting.json", json_incref(model));
    json_decref(model);
    rc = rc ? rc : add_votes(b, db, pm->m.id, public_url, lang);
    rc = rc ? rc : add_documents(b, db, data_dir, pm->m.id);
    rc = rc ? rc : add_recording(b, data_dir, pm->m.id);
    rc = rc ? rc : add_index(b, pm->m.id, head);
    json_decref(head);
    buf_free(&csv);
    return rc;
}

int archive_meeting(struct db *db, const char *data_dir, const char *public_url,
                    const char *meeting_id, const char *out_dir, char path_out[ARCHIVE_PATH_MAX],
                    char *why, size_t why_size)
{
    *why = 0;
    struct pub_meeting pm;
    int rc = pub_meeting_find(db, meeting_id, false, &pm);
    if (rc) {
        snprintf(why, why_size, "no meeting %s", meeting_id);
        return rc;
    }
    if (strcmp(pm.m.status, "closed") && strcmp(pm.m.status, "archived")) {
        snprintf(why, why_size, "meeting %s is %s; only a closed meeting is archived", meeting_id,
                 pm.m.status);
        return OBR_ECONFLICT;
    }
    mkdir(out_dir, 0700);
    char tmp[ARCHIVE_PATH_MAX + 8];
    if (snprintf(path_out, ARCHIVE_PATH_MAX, "%s/obrady-archive-%s.zip", out_dir, meeting_id) >=
        ARCHIVE_PATH_MAX)
        return OBR_ELIMIT;
    if (!access(path_out, F_OK)) {
        snprintf(why, why_size, "%s exists already", path_out);
        return OBR_EEXISTS;
    }
    snprintf(tmp, sizeof tmp, "%s.part", path_out);
    unlink(tmp);
    int zerr = 0;
    struct bundle b = {.za = zip_open(tmp, ZIP_CREATE | ZIP_EXCL, &zerr),
                       .files = json_array(),
                       .why = why,
                       .why_size = why_size};
    if (!b.za || !b.files) {
        snprintf(why, why_size, "cannot create %s (libzip error %d)", tmp, zerr);
        json_decref(b.files);
        return OBR_EIO;
    }
    rc = fill(&b, db, data_dir, public_url, &pm);
    if (rc) {
        zip_discard(b.za);
    } else if (zip_close(b.za) < 0) {
        snprintf(why, why_size, "cannot write %s: %s", tmp, zip_strerror(b.za));
        zip_discard(b.za);
        rc = OBR_EIO;
    } else if (rename(tmp, path_out)) {
        snprintf(why, why_size, "cannot name %s: %s", path_out, strerror(errno));
        rc = OBR_EIO;
    }
    if (rc) {
        unlink(tmp);
        if (!*why)
            snprintf(why, why_size, "%s", obr_strerror(rc));
    }
    json_decref(b.files);
    return rc;
}
