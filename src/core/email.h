/* email.h — practical e-mail address rules for accounts and member lists:
 * what we accept, how an address is normalised before it is stored or
 * compared, and the per-organisation domain policy. Not a full RFC 5321
 * parser: quoted local parts, comments, IP-literal domains and raw UTF-8
 * (IDN) domains are refused; IDN domains must be given in punycode (xn--). */
#ifndef OBR_EMAIL_H
#define OBR_EMAIL_H

#include <stdbool.h>
#include <stddef.h>

#define EMAIL_MAX_LEN 254  /* bytes, RFC 5321 path limit minus the brackets */
#define EMAIL_MAX_LOCAL 64 /* bytes before the '@' */
#define EMAIL_MAX_LABEL 63 /* bytes of one domain label */

/* True when s is an address we accept: at most 254 bytes; exactly one '@';
 * a local part of 1..64 characters from [A-Za-z0-9._%+'-] with no leading,
 * trailing or doubled dot; a domain of at least two dot-separated labels of
 * [A-Za-z0-9-] (1..63 each, no leading or trailing '-') whose last label is
 * not all digits. No surrounding spaces: normalise first. */
bool email_is_valid(const char *s);

/* Copies in to out with leading and trailing whitespace (ASCII and the UTF-8
 * no-break space that spreadsheets leave) removed and ASCII letters lowercased
 * — the whole address, local part included, as every provider our users meet
 * treats it case-insensitively. Does not validate.
 * 0; OBR_EINVAL on NULL; OBR_ELIMIT when the result does not fit in size. */
int email_normalize(const char *in, char *out, size_t size);

/* The part after the last '@' (a pointer into email), or NULL if there is none. */
const char *email_domain(const char *email);

/* True when n == 0 (no policy: any domain), or when the domain of email equals
 * one of domains[0..n) exactly, ignoring ASCII case. Subdomains do not match
 * their parent: list them. False for an address without '@'. */
bool email_domain_allowed(const char *email, const char *const *domains, size_t n);

#endif
