/* ids.c — random ids (libsodium randomness) and hex helpers. */
#include "util/ids.h"

#include <sodium.h>
#include <string.h>

static const char alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";

void id_new(char out[ID_SIZE])
{
    unsigned char raw[ID_LEN];
    randombytes_buf(raw, sizeof raw);
    for (size_t i = 0; i < ID_LEN; i++)
        out[i] = alphabet[raw[i] & 31];
    out[ID_LEN] = '\0';
    sodium_memzero(raw, sizeof raw);
}

bool id_is_valid(const char *s)
{
    if (!s)
        return false;
    for (size_t i = 0; i < ID_LEN; i++)
        if (!s[i] || !strchr(alphabet, s[i]))
            return false;
    return s[ID_LEN] == '\0';
}

void hex_encode(char *out, const unsigned char *in, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 15];
    }
    out[2 * n] = '\0';
}

static int nibble(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int hex_decode(unsigned char *out, size_t n, const char *hex)
{
    for (size_t i = 0; i < n; i++) {
        if (!hex[2 * i] || !hex[2 * i + 1])
            return -1;
        int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return hex[2 * n] == '\0' ? 0 : -1;
}
