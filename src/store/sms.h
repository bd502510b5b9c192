/* sms.h — SMS notices in the store (sms_repo.c, migration 0022): a person's
 * mobile number and opt-in (sms_prefs), and the SMS outbox rows the worker of
 * mail/sms.h delivers. Numbers are validated by the caller (sms_phone_is_valid). */
#ifndef OBR_STORE_SMS_H
#define OBR_STORE_SMS_H

#include <stdbool.h>
#include <stdint.h>

#include "util/ids.h"

struct db;

#define SMS_PHONE_SIZE 17 /* "+" and up to 15 digits */
#define SMS_TEXT_MAX 480  /* bytes of one notice (three SMS parts at most) */

/* "+", a digit 1–9, then 7 to 14 more digits (E.164, 8–15 digits in all). */
bool sms_phone_is_valid(const char *s);

/* The person's number ("" when none) and opt-in; defaults when no row. */
int sms_prefs_get(struct db *db, const char *user_id, char phone[SMS_PHONE_SIZE],
                  bool *is_opted_in);
/* Stores both; opting out also cancels the person's pending SMS. */
int sms_prefs_set(struct db *db, const char *user_id, const char *phone, bool is_opted_in);

/* Queues the text in user_id's language (users.lang: text_en for "en",
 * text_pl otherwise) when they opted in and have a number; at most one row
 * per (kind, ref_id, user_id) — a repeat is ignored. *queued (may be NULL)
 * is set to whether a row was added. 0 or OBR_E*. */
int sms_outbox_add(struct db *db, const char *user_id, const char *kind, const char *ref_id,
                   const char *text_pl, const char *text_en, bool *queued);

struct sms_row {
    char id[ID_SIZE];
    char to_phone[SMS_PHONE_SIZE];
    char text[SMS_TEXT_MAX + 1];
    unsigned attempts;
};

/* Up to max due rows of people still opted in, oldest first. Count or OBR_E*. */
int sms_outbox_due(struct db *db, int64_t now_ms, struct sms_row *rows, int max);
/* Takes a due row for node (lease until lease_until_ms): true when this
 * caller owns it now, false when another node took it first. */
bool sms_outbox_claim(struct db *db, const char *id, const char *node, int64_t now_ms,
                      int64_t lease_until_ms);
int sms_outbox_sent(struct db *db, const char *id, int64_t now_ms);
/* A failed attempt: retried at next_ms, or given up when next_ms is 0. */
int sms_outbox_failed(struct db *db, const char *id, unsigned attempts, const char *err,
                      int64_t next_ms);

#endif
