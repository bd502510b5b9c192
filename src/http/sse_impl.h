/* sse_impl.h — the inside of an event stream, shared by sse.c (the stream's
 * start and catch-up inside libmicrohttpd) and sse_writer.c (the epoll
 * writer that owns a caught-up stream's socket). Not for other modules. */
#ifndef OBR_HTTP_SSE_IMPL_H
#define OBR_HTTP_SSE_IMPL_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "log/hub.h"

#define SSE_BATCH 32
#define SSE_TIMEOUT_S 60

struct sse_stream {
    struct hub_sub sub;
    struct hub *hub;
    struct db_pool *pool;
    struct MHD_Connection *conn;
    char *meeting_id;
    int64_t next_seq;
    int visibility;
    /* guarded by the topic lock */
    bool is_suspended, is_heartbeat_due, is_closing;
    bool is_direct_ok;   /* plain TCP with a close-delimited body: the writer may own it */
    bool is_in_writer;   /* the writer owns the socket through wfd; MHD drops its connection */
    bool is_queued;      /* in (or about to be in) the writer's run queue */
    bool is_writer_done; /* the writer has ended the stream */
    bool is_peer_gone;   /* set under the topic lock, read atomically by the reader */
    bool is_sending;     /* atomic: the claim on the send state below, held by a
                          * writer's pump or a publishing thread's direct send */
    int fd;              /* the connection's socket (MHD's descriptor) */
    int wfd;             /* the writer's own descriptor of it (a dup), -1 before */
    int refs;            /* atomic, once in the writer: MHD's response + the writer */
    unsigned ip_slot;    /* the client address's counter (sse_writer.c) */
    /* used only by the thread that owns the stream (MHD's, then whoever
     * holds is_sending: the writer, or a publishing thread under the topic
     * lock while not is_queued; sse_writer.c) */
    bool is_caught_up;
    size_t prelude_off;
    struct event *batch[SSE_BATCH];
    int batch_n, batch_i;
    size_t frame_off; /* bytes of batch[batch_i]'s frame already sent */
    size_t heartbeat_off;
    bool is_heartbeat_pending;
    /* writer only */
    struct sse_stream *wnext;         /* run queue link, guarded by the writer's lock */
    bool is_in_list;                  /* physically in the run queue, writer's lock */
    struct sse_stream *lnext;         /* heartbeat queue link, writer's lock */
    bool is_in_low;                   /* in the heartbeat queue, writer's lock */
    struct sse_stream *oprev, *onext; /* the writer's owned list, writer's lock */
    struct sse_writer *writer;
    int64_t blocked_since_ms; /* 0: the socket took everything so far */
    int64_t last_send_ms;     /* atomic: when bytes last went out (heartbeats, sse.c) */
    bool is_chunked;          /* HTTP/1.1: MHD announced a chunked body */
    bool is_in_chunk;         /* a chunk's header went (partly) out, its data not all */
    char chunk_hdr[12];       /* "<hex>\r\n" of the chunk being sent */
    unsigned char chunk_hdr_len, chunk_hdr_off, chunk_trailer_off;
};

/* sse.c: fills st->batch from the store; the number read, or -1 on error. */
int sse_read_store(struct sse_stream *st);
/* sse.c: refills st->batch, from the store until caught up, then from the
 * hub's ring. 1: call again (something to send, or the source changed);
 * -1: the store failed; 0: nothing new, returned with the topic lock held. */
int sse_refill(struct sse_stream *st);
/* sse.c: drops the references left in st->batch. */
void sse_drop_batch(struct sse_stream *st);

/* sse.c: drops one reference of a stream in the writer; the last one
 * unsubscribes it and frees it. Never with the topic lock held. */
void sse_stream_release(struct sse_stream *st);

/* sse_writer.c */
/* Starts n writer threads (0: one per core, at most 4); streams per client
 * address are capped at per_ip and all of them (with MHD's connections) at
 * max_conn. 0 or -1. */
int sse_writer_start(unsigned n, unsigned per_ip, unsigned max_conn);
/* Closes every stream the writers still own, then joins the threads. */
void sse_writer_stop(void);
/* With the topic lock held, from the reader: whether the writers run and
 * take one more stream from this client (then it is counted). */
bool sse_writer_reserve(struct sse_stream *st, const struct sockaddr *addr);
/* Gives a reservation back when the hand-over failed. */
void sse_writer_unreserve(struct sse_stream *st);
/* With the topic lock held, after a reserve: hands st (its wfd) over. */
void sse_writer_adopt(struct sse_stream *st);
/* For MHD's connection notification: a new connection is refused (shut
 * down) when the writers' streams and MHD's connections would exceed the
 * limits. Counts MHD's connections (started = true / false on close). */
void sse_writer_note_connection(int fd, const struct sockaddr *addr, bool is_started);
/* Streams the writers own (they are requests still open, for server_stop). */
unsigned sse_writer_stream_count(void);
/* Makes MHD's descriptor of a handed-over stream point at a harmless
 * unconnected socket, so that MHD's shutdown and close leave it alone. */
int sse_writer_detach_fd(int fd);
/* With the topic lock held, from a hub wake-up of a stream in a writer:
 * events or the end are due / only a heartbeat is. */
void sse_writer_wake(struct sse_stream *st);
void sse_writer_wake_heartbeat(struct sse_stream *st);
/* sse_writer.c: sends what st has queued (one HTTP/1.1 chunk when chunked)
 * with one non-blocking sendmsg; the caller holds st's claim (is_sending).
 * 1: all sent; 0: the socket is full; -1: error. */
int sse_send_pending(struct sse_stream *st);

/* sse_direct.c: with the topic lock held, from sse_writer_wake inside a
 * publish: sends the new events to st itself when st is idle and its
 * meeting small. true: everything published is sent; false: queue st to
 * its writer. */
bool sse_send_direct(struct sse_stream *st);
/* Reads OBRADY_SSE_DIRECT (the largest meeting sent to directly; 0: none);
 * before the writers start. */
void sse_direct_configure(void);
/* Events a publishing thread sent straight to an idle stream of a small
 * meeting, since start; for tests. */
unsigned long sse_writer_direct_count(void);

/* sse_trim.c: malloc_trim on its own thread after MHD let handed-over
 * connections go (note_free: one more, from MHD's free of the stream's
 * response). */
void sse_trim_note_free(void);
int sse_trim_start(void);
void sse_trim_stop(void);

#endif
