/* diag.h — the server's own log lines on stderr: one line per request, per
 * appended event and per notable condition. Never pass codes, tokens,
 * session ids or ballots to these functions. */
#ifndef OBR_DIAG_H
#define OBR_DIAG_H

#include <stdbool.h>

enum diag_level { DIAG_DEBUG, DIAG_INFO, DIAG_WARN, DIAG_ERROR };

/* Lines below this level are dropped; default DIAG_INFO, env OBRADY_LOG=debug|info|warn|error. */
void diag_set_level(enum diag_level level);
void diag_init_from_env(void);
/* "debug".."error" → level; -1 for another name. */
int diag_level_parse(const char *name, enum diag_level *out);
/* One JSON object per line ({"time","level","msg"}) instead of plain text. */
void diag_set_json(bool on);
void diag(enum diag_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The line of one answered request: "METHOD path status 1.2ms from CLIENT"
 * (path already stripped of secrets by the caller); in JSON also as members
 * method, path, status, ms, client. */
void diag_request(const char *method, const char *path, unsigned status, double ms,
                  const char *client, bool is_complete);

/* While the server runs (server_start to server_stop), info and debug lines
 * are written in batches by a writer thread, at most about 1 ms late;
 * warnings and errors still go out at once, after the lines queued before
 * them (diag_queue.c). stop writes everything queued and returns to
 * writing each line at once. start returns 0, or -1 (lines then stay
 * unqueued). */
int diag_queue_start(void);
void diag_queue_stop(void);

/* Our own impossible state: logged loudly with the place, and execution goes on. */
#define OBR_BUG(...) diag_bug(__FILE__, __LINE__, __VA_ARGS__)
void diag_bug(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
