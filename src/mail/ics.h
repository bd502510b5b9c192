/* ics.h — iCalendar (RFC 5545) invitations for meetings: one VCALENDAR with
 * METHOD:REQUEST (or METHOD:CANCEL) holding one VEVENT, as RFC 5546 (iTIP)
 * expects a calendar client to receive it by mail. Pure: no clock, no I/O.
 *
 * A meeting keeps one UID for its whole life (ics_meeting_uid); every later
 * change is sent with the same UID and a higher SEQUENCE, so calendars update
 * the event instead of adding a second one. The text is attached to a mail as
 * a struct mail_attachment with is_inline_calendar and ics_content_type(). */
#ifndef OBR_ICS_H
#define OBR_ICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Every string is borrowed, UTF-8, and may be NULL where marked optional. */
struct ics_event {
    const char *uid;             /* required; ics_meeting_uid() */
    int sequence;                /* ≥ 0: 0 when convened, +1 on every change and on cancelling */
    int64_t start_ms;            /* UTC epoch milliseconds; written to the second */
    int64_t end_ms;              /* > start_ms */
    int64_t stamp_ms;            /* when this version was made (DTSTAMP), normally now */
    const char *summary;         /* required */
    const char *location;        /* optional: the place, or the video link of a remote meeting */
    const char *description;     /* optional; newlines kept */
    const char *url;             /* optional; written only when http(s) */
    const char *organizer_name;  /* optional CN */
    const char *organizer_email; /* required bare address "a@b.pl" */
    const char *attendee_name;   /* optional CN */
    const char *attendee_email;  /* required bare address: the recipient */
    bool is_cancelled;           /* METHOD:CANCEL + STATUS:CANCELLED */
};

/* Builds the calendar: CRLF line ends, every line at most 75 octets (longer
 * ones folded with CRLF + space, never inside a UTF-8 character), TEXT values
 * escaped (\\ \; \, and \n for any line break; other control characters
 * dropped), CN parameters quoted with RFC 6868 ^-escapes. The attendee has
 * RSVP=FALSE: obrady records attendance itself.
 * Returns a malloc'd NUL-terminated text and its length in *len (len may be
 * NULL), or NULL when a required field is missing, a string is not valid
 * UTF-8, an address is malformed, end_ms ≤ start_ms, or memory runs out. */
char *ics_build(const struct ics_event *e, size_t *len);

/* Writes the stable UID of a meeting, "<meeting_id>@obrady", into out.
 * 0, or OBR_EINVAL when meeting_id is empty or the result does not fit. */
int ics_meeting_uid(const char *meeting_id, char *out, size_t size);

/* The Content-Type for the mail part that carries the calendar:
 * "text/calendar; charset=utf-8; method=REQUEST" or "...; method=CANCEL". */
const char *ics_content_type(bool is_cancelled);

#endif
