/* cidr.h — lists of address ranges ("10.0.0.0/8, ::1, 192.168.1.7") parsed
 * once and matched against client addresses. Used for trusted_proxies: the
 * only peers whose X-Forwarded-For and X-Forwarded-Proto are believed.
 * IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) match IPv4 ranges. */
#ifndef OBR_CIDR_H
#define OBR_CIDR_H

#include <stdbool.h>
#include <stddef.h>

#define CIDR_LIST_MAX 32

struct cidr {
    unsigned char addr[16]; /* IPv4 as ::ffff:a.b.c.d */
    unsigned prefix;        /* bits of addr that must match, 0..128 */
};

struct cidr_list {
    struct cidr items[CIDR_LIST_MAX];
    size_t n;
};

/* Parses a comma- or space-separated list; "" is the empty list. Returns 0,
 * or -1 on a bad entry or more than CIDR_LIST_MAX (out is then empty). */
int cidr_list_parse(const char *text, struct cidr_list *out);
/* Parses one textual address (no prefix) into 16 bytes; false if not one. */
bool cidr_addr_parse(const char *text, size_t len, unsigned char out[16]);
bool cidr_list_match(const struct cidr_list *l, const unsigned char addr[16]);

#endif
