/* cidr.c — address range lists (see cidr.h). Everything is kept as 16-byte
 * IPv6, IPv4 mapped into ::ffff:0:0/96, so one comparison serves both. */
#include "util/cidr.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char v4_mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool cidr_addr_parse(const char *text, size_t len, unsigned char out[16])
{
    char tmp[INET6_ADDRSTRLEN + 1];
    if (len == 0 || len >= sizeof tmp)
        return false;
    memcpy(tmp, text, len);
    tmp[len] = '\0';
    struct in_addr a4;
    if (inet_pton(AF_INET, tmp, &a4) == 1) {
        memcpy(out, v4_mapped, 12);
        memcpy(out + 12, &a4, 4);
        return true;
    }
    return inet_pton(AF_INET6, tmp, out) == 1;
}

static int parse_one(const char *s, size_t len, struct cidr *c)
{
    const char *slash = memchr(s, '/', len);
    size_t alen = slash ? (size_t)(slash - s) : len;
    if (!cidr_addr_parse(s, alen, c->addr))
        return -1;
    bool is_v4 = !memcmp(c->addr, v4_mapped, 12) && memchr(s, ':', alen) == NULL;
    unsigned max = is_v4 ? 32 : 128;
    unsigned bits = max;
    if (slash) {
        size_t plen = len - alen - 1;
        if (plen == 0 || plen > 3)
            return -1;
        bits = 0;
        for (size_t i = 0; i < plen; i++) {
            char d = slash[1 + i];
            if (d < '0' || d > '9')
                return -1;
            bits = bits * 10 + (unsigned)(d - '0');
        }
        if (bits > max)
            return -1;
    }
    c->prefix = is_v4 ? 96 + bits : bits;
    return 0;
}

int cidr_list_parse(const char *text, struct cidr_list *out)
{
    out->n = 0;
    const char *p = text;
    while (*p) {
        p += strspn(p, ", \t");
        size_t len = strcspn(p, ", \t");
        if (!len)
            break;
        if (out->n == CIDR_LIST_MAX || parse_one(p, len, &out->items[out->n])) {
            out->n = 0;
            return -1;
        }
        out->n++;
        p += len;
    }
    return 0;
}

static bool in_range(const struct cidr *c, const unsigned char a[16])
{
    unsigned full = c->prefix / 8, rest = c->prefix % 8;
    if (memcmp(c->addr, a, full))
        return false;
    if (!rest)
        return true;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return (c->addr[full] & mask) == (a[full] & mask);
}

bool cidr_list_match(const struct cidr_list *l, const unsigned char addr[16])
{
    for (size_t i = 0; i < l->n; i++)
        if (in_range(&l->items[i], addr))
            return true;
    return false;
}
