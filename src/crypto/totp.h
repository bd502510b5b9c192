/* totp.h — second factor for accounts: RFC 6238 TOTP codes (HMAC-SHA1, 6 digits,
 * 30 s) built on RFC 4226 HOTP, the otpauth:// URI an authenticator app scans,
 * RFC 4648 base32 for the shared secret, and one-time recovery codes.
 * Pure functions: the caller stores the secret and the last used step. */
#ifndef OBR_TOTP_H
#define OBR_TOTP_H

#include <stddef.h>
#include <stdint.h>

#define TOTP_SECRET_BYTES 20   /* 160 bits, as RFC 4226 recommends */
#define TOTP_SECRET_B32_LEN 32 /* base32 characters of such a secret */
#define TOTP_MIN_KEY_BYTES 16  /* RFC 4226 R6: at least 128 bits */
#define TOTP_DIGITS 6
#define TOTP_PERIOD_S 30
#define TOTP_WINDOW 1         /* steps accepted either side of now */
#define TOTP_RECOVERY_SIZE 12 /* bytes of a recovery code buffer ("k7m2-9xq4" + NUL fits) */

/* Writes a fresh random secret (20 bytes from libsodium) as 32 uppercase
 * base32 characters and a NUL. Returns 0. */
int totp_new_secret(char out_b32[TOTP_SECRET_B32_LEN + 1]);

/* RFC 4648 base32 (uppercase, no '=' padding) of in[0..len) into out, NUL-terminated.
 * 0, or OBR_ELIMIT when out_size is smaller than ceil(len*8/5) + 1. */
int totp_base32_encode(const unsigned char *in, size_t len, char *out, size_t out_size);

/* Decodes base32: case-insensitive, spaces ignored, '=' padding allowed only at
 * the end. Rejects other characters and lengths no encoder produces (OBR_EINVAL);
 * OBR_ELIMIT when the bytes do not fit in out_size. *len gets the byte count. */
int totp_base32_decode(const char *b32, unsigned char *out, size_t out_size, size_t *len);

/* RFC 4226 HOTP value of key for counter, reduced to `digits` digits (1..9). */
uint32_t totp_hotp(const unsigned char *key, size_t len, uint64_t counter, int digits);

/* Checks a 6-digit code (spaces in it ignored) against the secret at now_s,
 * accepting the steps now-1, now, now+1 that are greater than last_used_step
 * (pass -1 when the secret has never been used). The formatted codes are
 * compared in constant time and every candidate step is computed.
 * 0 and *matched_step (which the caller must store as the new last_used_step)
 * on a match; -1 otherwise, including a malformed secret or code. */
int totp_verify(const char *secret_b32, const char *code, int64_t now_s, int64_t last_used_step,
                int64_t *matched_step);

/* malloc'd "otpauth://totp/<issuer>:<account>?secret=<B32>&issuer=<issuer>
 * &algorithm=SHA1&digits=6&period=30" with issuer and account percent-encoded
 * (everything except RFC 3986 unreserved characters; space is %20).
 * NULL when an argument is NULL or empty, when issuer or account contains ':'
 * (authenticator apps split the label on it), when the secret is not base32,
 * or when memory runs out. The secret is written uppercase without spaces. */
char *totp_uri(const char *issuer, const char *account, const char *secret_b32);

/* Fills codes[0..n) with distinct recovery codes such as "k7m2-9xq4": 8 symbols
 * of lowercase Crockford base32 (40 random bits) with a hyphen in the middle.
 * 0, or OBR_EINVAL when n < 0. */
int totp_recovery_codes(char codes[][TOTP_RECOVERY_SIZE], int n);

#endif
