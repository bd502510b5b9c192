/* email.c — the address rules of email.h: a character-class walk, no regex. */
#include "core/email.h"

#include <string.h>
#include <strings.h>

#include "util/err.h"

static bool is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_local_char(char c)
{
    return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '\'' || c == '-';
}

static bool local_is_valid(const char *s, size_t len)
{
    if (len < 1 || len > EMAIL_MAX_LOCAL || s[0] == '.' || s[len - 1] == '.')
        return false;
    for (size_t i = 0; i < len; i++) {
        if (!is_local_char(s[i]))
            return false;
        if (s[i] == '.' && s[i + 1] == '.')
            return false;
    }
    return true;
}

static bool domain_is_valid(const char *s, size_t len)
{
    size_t labels = 0, i = 0;
    const char *last = NULL;
    size_t last_len = 0;
    while (i <= len) {
        size_t start = i;
        while (i < len && s[i] != '.')
            i++;
        size_t n = i - start;
        if (n < 1 || n > EMAIL_MAX_LABEL || s[start] == '-' || s[i - 1] == '-')
            return false;
        for (size_t k = start; k < i; k++)
            if (!is_alnum(s[k]) && s[k] != '-')
                return false;
        labels++;
        last = s + start;
        last_len = n;
        i++; /* past the dot, or past the end */
    }
    if (labels < 2)
        return false;
    for (size_t k = 0; k < last_len; k++)
        if (!(last[k] >= '0' && last[k] <= '9'))
            return true;
    return false; /* an all-digit top-level label: an IP address, not a domain */
}

bool email_is_valid(const char *s)
{
    if (!s)
        return false;
    size_t len = strlen(s);
    if (len > EMAIL_MAX_LEN)
        return false;
    const char *at = strchr(s, '@');
    if (!at || strchr(at + 1, '@'))
        return false;
    return local_is_valid(s, (size_t)(at - s)) &&
           domain_is_valid(at + 1, len - (size_t)(at - s) - 1);
}

/* Length of the whitespace sequence at p (ASCII space/tab/CR/LF or U+00A0), 0 if none. */
static size_t space_at(const char *p)
{
    if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        return 1;
    if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0)
        return 2;
    return 0;
}

int email_normalize(const char *in, char *out, size_t size)
{
    if (!in || !out || size == 0)
        return OBR_EINVAL;
    size_t n;
    while ((n = space_at(in)) > 0)
        in += n;
    size_t end = 0, i = 0;
    while (in[i]) {
        n = space_at(in + i);
        if (n == 0) {
            i++;
            end = i;
        } else {
            i += n;
        }
    }
    if (end >= size) {
        out[0] = '\0';
        return OBR_ELIMIT;
    }
    for (i = 0; i < end; i++)
        out[i] = (in[i] >= 'A' && in[i] <= 'Z') ? (char)(in[i] - 'A' + 'a') : in[i];
    out[end] = '\0';
    return 0;
}

const char *email_domain(const char *email)
{
    if (!email)
        return NULL;
    const char *at = strrchr(email, '@');
    return at ? at + 1 : NULL;
}

bool email_domain_allowed(const char *email, const char *const *domains, size_t n)
{
    if (n == 0)
        return true;
    const char *d = email_domain(email);
    if (!d || !domains)
        return false;
    for (size_t i = 0; i < n; i++)
        if (domains[i] && strcasecmp(d, domains[i]) == 0)
            return true;
    return false;
}
