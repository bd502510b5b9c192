/* mail.h — outgoing mail: building RFC 5322 / MIME messages (mime.c), the
 * outbox that stores them in the database and delivers them from one worker
 * thread with retries (outbox.c), the two transports — files under the data
 * dir (transport_file.c) and SMTP(S) through libcurl (transport_smtp.c) — and
 * the Polish/English templates (templates.c).
 *
 * Flow: a handler renders a template into bufs, fills a struct mail_message
 * and calls outbox_enqueue() inside its own transaction; the worker started by
 * outbox_start() picks the row up and delivers it. Delivery is at least once:
 * a crash between delivering and recording it sends the message again.
 *
 * Ownership: every struct and string passed in is borrowed for the call. */
#ifndef OBR_MAIL_H
#define OBR_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct db;
struct db_pool;

/* ---- messages (mime.c) ---- */

struct mail_attachment {
    const char *filename;     /* UTF-8; RFC 2231-encoded when not plain ASCII */
    const char *content_type; /* "application/pdf"; NULL: application/octet-stream */
    const void *data;
    size_t len;
    /* An iCalendar invitation shown inline by mail clients: the part goes inside
     * the multipart/alternative next to the text and HTML, with content_type
     * (NULL: "text/calendar; charset=utf-8; method=REQUEST"); filename is ignored. */
    bool is_inline_calendar;
};

struct mail_message {
    const char *to_addr; /* bare address "a@b.pl": printable ASCII, no spaces or <> */
    const char *to_name; /* display name, UTF-8; may be NULL */
    const char *subject; /* UTF-8 */
    const char *text;    /* UTF-8 plain text; "\n" or "\r\n" line ends */
    const char *html;    /* UTF-8 HTML; may be NULL */
    const struct mail_attachment *attachments;
    size_t n_attachments;
};

/* Builds a complete message with CRLF line ends and no line above 78 octets:
 * From (from is "Name <addr>" or a bare address), To, Subject, Date (UTC),
 * Message-ID <random@domain of from>, MIME-Version, Auto-Submitted. Non-ASCII
 * names and subjects become RFC 2047 UTF-8 B encoded-words (each ≤ 75 chars,
 * never splitting a character); bodies are quoted-printable, attachments
 * base64. Structure: text/plain alone; multipart/alternative when there is
 * HTML or an inline calendar; wrapped in multipart/mixed with attachments.
 * Boundaries are random and cannot occur in encoded content.
 * Returns a malloc'd NUL-terminated message and its length in *len_out, or
 * NULL when a header value holds CR, LF or another control character, an
 * address is malformed, a header text is not UTF-8, or memory runs out. */
char *mime_build(const struct mail_message *m, const char *from, size_t *len_out);

/* Copies the bare address of a mailbox ("Name <a@b>" or "a@b") into out.
 * 0, or OBR_EINVAL when it is malformed or does not fit. */
int mail_address_of(const char *mailbox, char *out, size_t size);

/* ---- configuration ---- */

struct mail_config {
    const char *transport; /* "file" | "smtp" */
    const char *dir;       /* file transport: DATA/mail */
    const char *from;      /* "obrady <no-reply@localhost>" */
    const char *smtp_url;  /* smtp://host:port or smtps://host:port */
    const char *smtp_user; /* NULL or "": no authentication */
    const char *smtp_password;
    bool smtp_require_starttls; /* smtp://: refuse to send unless STARTTLS succeeds */
    unsigned max_attempts;      /* 0: 10 */
};

/* ---- the outbox (outbox.c) ---- */

/* Queues a message: builds it with mime_build and inserts a pending outbox row
 * due now, on db (inside the caller's transaction when one is open), then
 * nudges the worker. is_sensitive: the message holds a secret (a sign-in
 * code); its stored text and subject are wiped once it is sent or has failed.
 * id_out (may be NULL) receives the row id. 0, OBR_EINVAL when mime_build
 * refuses the message, or the database's error.
 * A row inserted inside a transaction is invisible to the worker until the
 * commit; a caller wanting delivery at once calls outbox_nudge(NULL) after
 * committing (otherwise the worker's 5 s tick finds it). */
int outbox_enqueue(struct db *db, const struct mail_config *cfg, const struct mail_message *m,
                   bool is_sensitive, char id_out[21]);

/* The delivery worker: one thread per process. */
struct outbox;
/* Messages pending and given up in the outbox (for /metrics): 0 or OBR_E*. */
int outbox_counts(struct db *db, int64_t *pending, int64_t *failed);

/* Starts the worker, which takes its connection from pool and delivers due
 * rows oldest first through cfg's transport. cfg and its strings are copied.
 * Calls mail_global_init(). OBR_EINVAL for an unknown transport or a bad
 * from, OBR_ENOMEM, OBR_EIO when the thread cannot start. */
int outbox_start(struct db_pool *pool, const struct mail_config *cfg, struct outbox **out);
/* Wakes the worker to look for due rows now. ob may be NULL: the nudge is
 * process-wide. Safe from any thread. */
void outbox_nudge(struct outbox *ob);
/* Lets the worker finish the message in hand, joins it and frees ob. Accepts NULL. */
void outbox_stop(struct outbox *ob);

/* The backoff after the n-th failed attempt (n ≥ 1): 30 s · 2^(n-1), at most 1 h. */
int64_t outbox_backoff_ms(unsigned n);

/* ---- transports (transport_file.c, transport_smtp.c) ---- */

/* Both return 0, or a negative OBR_E* (OBR_EINVAL for a bad configuration,
 * OBR_EFULL for a full disk, OBR_EIO otherwise) with a short reason in err
 * that names neither the recipient nor any secret. They may
 * block (SMTP: up to 10 s to connect, 60 s in all) and run on the worker. */

/* Writes dir/<created_ms>-<id>.eml (mode 0600) atomically: a temporary file
 * in dir, fsync, rename, fsync of dir. Rewriting the same message is harmless. */
int mail_transport_file_send(const char *dir, const char *id, int64_t created_ms, const void *msg,
                             size_t len, char *err, size_t err_size);

/* Sends msg to to_addr through cfg->smtp_url with libcurl. */
int mail_transport_smtp_send(const struct mail_config *cfg, const char *to_addr, const void *msg,
                             size_t len, char *err, size_t err_size);

/* curl_global_init, once per process (idempotent, thread-safe). main should
 * call it before starting threads; outbox_start calls it too. 0 or OBR_EIO. */
int mail_global_init(void);

/* ---- templates (templates.c) ---- */

/* Renders the sign-in code mail into the three bufs (appended to), in lang
 * "pl" or "en" (anything else: Polish). name may be NULL or empty; url (the
 * sign-in page, http(s) only — anything else is left out) may be NULL.
 * 0, OBR_EINVAL when code is NULL, or OBR_ENOMEM when a buf failed. */
int mail_tpl_signin_code(struct buf *subject, struct buf *text, struct buf *html, const char *lang,
                         const char *name, const char *code, int valid_minutes, const char *url);

/* A generic notice: greeting, body (plain text; blank lines separate
 * paragraphs), an optional link (label and http(s) url, either may be NULL),
 * and the footer saying the mail is automatic. The subject is the caller's. */
int mail_tpl_notice(struct buf *text, struct buf *html, const char *lang, const char *name,
                    const char *body, const char *link_label, const char *url);

#endif
