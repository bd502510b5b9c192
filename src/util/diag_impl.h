/* diag_impl.h — between diag.c, which makes the lines, and diag_queue.c,
 * which writes them to stderr. */
#ifndef OBR_DIAG_IMPL_H
#define OBR_DIAG_IMPL_H

#include <stdbool.h>
#include <stddef.h>

/* Sends one whole line (newline included): queued while the queue runs
 * unless is_urgent, else written at once after anything queued. */
void diag_out(bool is_urgent, const char *line, size_t len);

#endif
