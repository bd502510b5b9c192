/* backup_crypt.h — the encrypted container of a backup file (docs/backup-format.md):
 * a clear, authenticated header (magic, format version, chunk size, salt, a JSON
 * header) and then the content as a stream of AES-256-GCM chunks, each
 * authenticated on its own with its index, its "last" flag and the hash of the
 * header, so tampering, truncation, reordering and splicing are each refused
 * naming the chunk. Memory stays bounded: one chunk buffer per stream. */
#ifndef OBR_BACKUP_CRYPT_H
#define OBR_BACKUP_CRYPT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define BACKUP_KEY_BYTES 32
#define BACKUP_FORMAT 1
#define BACKUP_CHUNK_BYTES (1u << 20)
#define BACKUP_HEADER_MAX (64u << 20)
#define BACKUP_WHY_MAX 256

struct bk_writer;
struct bk_reader;

/* Reads a backup key file (exactly 32 bytes). 0, OBR_ENOTFOUND, OBR_EIO or
 * OBR_ECORRUPT (wrong size), with the reason in why. */
int bk_key_load(const char *path, unsigned char key[BACKUP_KEY_BYTES], char *why, size_t why_size);

/* Starts a backup stream on f (borrowed, positioned at 0): draws a random
 * salt, derives the file's key, adds "key_check" to header (borrowed; the
 * caller keeps its reference) and writes the clear part. NULL on failure. */
struct bk_writer *bk_writer_new(FILE *f, const unsigned char key[BACKUP_KEY_BYTES], json_t *header);
/* Appends content; whole chunks are encrypted and written as they fill.
 * 0, or OBR_EIO / OBR_EFULL (ENOSPC) when the file cannot be written. */
int bk_write(struct bk_writer *w, const void *data, size_t len);
/* Writes the last chunk (possibly empty). 0 or the write's error. */
int bk_writer_finish(struct bk_writer *w);
/* Wipes the keys and frees. Accepts NULL. */
void bk_writer_free(struct bk_writer *w);

/* Reads only the clear header of a backup file, without a key: a new
 * reference in *header, or an error naming what is wrong in why. */
int bk_header_read(FILE *f, json_t **header, char *why, size_t why_size);

/* Opens a stream for reading: reads and checks the clear part and the key
 * check. A wrong key is OBR_EINVAL ("wrong key"), a damaged header
 * OBR_ECORRUPT; NULL is returned and why says which. */
struct bk_reader *bk_reader_new(FILE *f, const unsigned char key[BACKUP_KEY_BYTES], char *why,
                                size_t why_size);
/* The header (borrowed from r). */
json_t *bk_reader_header(struct bk_reader *r);
/* Reads up to len bytes of authenticated content into out. *got is 0 only
 * at the end of the stream. A chunk that fails authentication, a missing
 * last chunk or data after it is OBR_ECORRUPT with why naming the chunk. */
int bk_read(struct bk_reader *r, void *out, size_t len, size_t *got, char *why, size_t why_size);
/* Chunks authenticated so far. */
uint64_t bk_reader_chunks(const struct bk_reader *r);
void bk_reader_free(struct bk_reader *r);

/* 32 random bytes into path, mode 0600, refusing to overwrite. */
int bk_keygen(const char *path, char *why, size_t why_size);

#endif
