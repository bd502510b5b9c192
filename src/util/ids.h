/* ids.h — opaque random identifiers and their strict parser.
 * An id is ID_LEN characters of lowercase Crockford base32 (100 random bits):
 * unguessable, URL-safe, and cheap to validate before it reaches a query. */
#ifndef OBR_IDS_H
#define OBR_IDS_H

#include <stdbool.h>
#include <stddef.h>

#define ID_LEN 20
#define ID_SIZE (ID_LEN + 1)

/* Writes a fresh id and its NUL into out. */
void id_new(char out[ID_SIZE]);
/* True when s is exactly an id as id_new makes them. */
bool id_is_valid(const char *s);
/* Writes 2*n lowercase hex digits and a NUL into out. */
void hex_encode(char *out, const unsigned char *in, size_t n);
/* Parses exactly 2*n hex digits; 0 on success, -1 otherwise. */
int hex_decode(unsigned char *out, size_t n, const char *hex);

#endif
