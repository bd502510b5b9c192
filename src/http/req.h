/* req.h — a request as handlers see it, and the ways to answer it.
 * The server (server.c) accepts the connection, matches a route, collects the
 * body within the route's limit and calls the handler on an MHD worker thread.
 * A handler validates everything, does its work, and calls exactly one reply_*
 * function. Memory from req_alloc/req_strdup lives until the request ends, so
 * handlers do not free piecemeal. */
#ifndef OBR_HTTP_REQ_H
#define OBR_HTTP_REQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "http/errors.h"

struct req;
struct db;
struct hub;

/* ---- route table ---- */
typedef void (*route_fn)(struct req *rq);

enum route_flags {
    ROUTE_LOG_PATTERN = 1, /* the path holds a secret (an access token): log the pattern */
};

/* Pattern segments: literal text, "{name}" (an id, see util/ids.h),
 * "{name:int}" (decimal 0..2^53), "{name:token}" (base64url, 16..86 chars).
 * A segment that does not parse does not match (404). "GET" also serves HEAD. */
/* A route may take its body as a stream instead of a buffer (uploads): the
 * sink sees every chunk in order and keeps its state with req_set_state; it
 * returns 0, or an error to answer once the body has been drained (the
 * handler then does not run). body_max still caps the total. */
typedef int (*body_sink_fn)(struct req *rq, const char *data, size_t len);

struct route {
    const char *method;
    const char *pattern;
    route_fn handler;
    size_t body_max; /* bytes; 0: the route takes no body */
    unsigned flags;
    body_sink_fn body_sink; /* NULL: the body is buffered (req_body) */
};

/* ---- the request ---- */
const char *req_method(struct req *rq);
const char *req_path(struct req *rq);
/* The matched route's pattern, e.g. "/api/meetings/{id}/events". */
const char *req_route(struct req *rq);
/* Request header or NULL. */
const char *req_header(struct req *rq, const char *name);
/* Cookie value or NULL. */
const char *req_cookie(struct req *rq, const char *name);
/* True for POST, PUT, PATCH, DELETE. */
bool req_is_state_changing(struct req *rq);
/* Query-string argument or NULL (already percent-decoded). */
const char *req_query(struct req *rq, const char *name);
/* A path parameter captured by the route ({name}); never NULL for a matched name. */
const char *req_param(struct req *rq, const char *name);
int64_t req_param_int(struct req *rq, const char *name);
/* Client address as text ("127.0.0.1", "::1"): the peer, or behind a trusted
 * proxy the address X-Forwarded-For names (proxy.c). */
const char *req_client_ip(struct req *rq);
bool req_prefers_polish(struct req *rq);
/* The client reached us over HTTPS: directly, or per X-Forwarded-Proto from a
 * trusted proxy. Decides the cookie's Secure flag and the scheme of our Origin. */
bool req_is_tls(struct req *rq);
/* Raw body and its length (NUL-terminated; empty when none). */
const char *req_body(struct req *rq, size_t *len);

/* State a body sink keeps between chunks; free_fn (may be NULL) runs when the
 * request ends, whatever happened. */
void req_set_state(struct req *rq, void *state, void (*free_fn)(void *));
void *req_state(struct req *rq);

/* Per-request allocations, released when the request ends. NULL on OOM. */
void *req_alloc(struct req *rq, size_t size);
char *req_strdup(struct req *rq, const char *s);

/* Services: this thread's database connection (NULL → reply 503 yourself),
 * the event hub, and the application context given to the server. */
struct db *req_db(struct req *rq);
/* The pool's one shared writer connection (store/db.h, db_pool_writer). */
struct db *req_db_writer(struct req *rq);
struct hub *req_hub(struct req *rq);
void *req_app(struct req *rq);
/* Requests and event streams this server is serving now (for /metrics). */
unsigned req_server_active(struct req *rq);

/* ---- JSON bodies parsed by a spec ---- */
enum jfield_type {
    JF_STRING, /* single-line text: valid UTF-8, no control characters */
    JF_TEXT,   /* multi-line text: newlines and tabs allowed */
    JF_ID,     /* an id as util/ids.h makes them */
    JF_INT,    /* integer within [min, max] */
    JF_BOOL,
    JF_JSON, /* any JSON value, borrowed (json_t *) */
};

/* One field of a body. For text, min/max bound the length in characters
 * (min 1 forbids ""). dest points to: const char * (text, id), int64_t (int),
 * bool (bool), json_t * (json). Strings stay valid until the request ends.
 * present, if set, tells whether an optional field was given. */
struct jfield {
    const char *name;
    enum jfield_type type;
    bool required;
    int64_t min, max;
    void *dest;
    bool *present;
};

/* Checks Content-Type is application/json, the body is UTF-8, parses it as one
 * JSON object without duplicate keys, refuses unknown fields and checks each
 * field against spec (terminated by {NULL}). On failure the error reply is
 * already made and -1 is returned; handlers just return. */
int req_parse_json(struct req *rq, const struct jfield *spec);

/* req_parse_json when there is a body; an empty body leaves every field at
 * its default (for actions whose parameters are all optional). */
int req_parse_json_optional(struct req *rq, const struct jfield *spec);

/* ---- a reply made after the handler returned (server.c) ---- */
/* For a handler that hands its work to another thread (the ballot writer,
 * api/vote_batch.c): req_hold suspends the connection, so no server thread
 * waits for the work, and the handler returns without a reply. Call it
 * before handing the work over (so it cannot be let go first), at most
 * once, and commit nothing on the handler's own thread after it. Exactly
 * one req_resume(rq, rc) follows, from any thread (a log_part_wait_new_cb
 * callback fits); finish(rq, ctx) then runs on a server thread and makes
 * the reply. A non-zero rc (a commit or sync that failed) replaces that
 * reply with 503, or 507 for OBR_EFULL. */
void req_hold(struct req *rq, void (*finish)(struct req *rq, void *ctx), void *ctx);
void req_resume(void *rq, int rc);

/* ---- replies: call exactly one ---- */
/* Steals body. */
void reply_json(struct req *rq, unsigned status, json_t *body);
void reply_empty(struct req *rq, unsigned status);
void reply_error(struct req *rq, enum api_err err, const char *field);
/* Takes ownership of data (malloc'd). */
void reply_bytes(struct req *rq, unsigned status, const char *content_type, char *data,
                 size_t len);
/* gzip of len bytes (malloc'd, *out_len set), or NULL when too small or
 * too large to be worth it, not smaller, or out of memory (compress.c). */
char *http_gzip(const char *in, size_t len, size_t *out_len);
/* Whether the request's Accept-Encoding takes gzip. */
bool req_accepts_gzip(struct req *rq);
/* reply_bytes of data already coded (coding: "gzip"; NULL: plain, which
 * may still be gzipped when sent); sets Content-Encoding and Vary. */
void reply_coded(struct req *rq, unsigned status, const char *content_type, const char *coding,
                 char *data, size_t len);
/* Takes ownership of fd. */
void reply_fd(struct req *rq, unsigned status, const char *content_type, int fd, uint64_t size);
/* The same for size bytes of fd from offset (a 206 answer). */
void reply_fd_range(struct req *rq, unsigned status, const char *content_type, int fd,
                    uint64_t offset, uint64_t size);
/* Adds a header to the reply (copied). Call before or after the reply_* call. */
void reply_header(struct req *rq, const char *name, const char *value);
/* Streams meeting_id's log as server-sent events from seq from_seq + 1 on,
 * showing events at or below visibility. */
void reply_sse(struct req *rq, const char *meeting_id, int64_t after_seq, int visibility);
/* Streams the live audio of ch (a reference the reply takes over) as
 * audio/ogg; 404 audio_not_live when nothing is broadcast (audio_stream.c). */
struct audio_channel;
void reply_audio(struct req *rq, struct audio_channel *ch);
/* Serves a file of the web directory (e.g. "/index.html") as the reply. */
void reply_static(struct req *rq, const char *path);
/* Makes the reply an error when none was made yet (e.g. after a store failure). */
void reply_obr_error(struct req *rq, int obr_err);

#endif
