/* invitations.h — the mails of a convened meeting, Polish first and English
 * second: the invitation (zawiadomienie) with the agenda, the documents and
 * the personal access link, the reminder N days before, and the notice of a
 * change. Like the templates in mail.h they only render text into bufs; the
 * caller assembles the struct mail_message, attaches the calendar made by
 * ics_build() (see mail_tpl_invitation_ics) and enqueues it in the outbox.
 *
 * Times are shown in the meeting's zone. Only Europe/Warsaw is known, by its
 * rules rather than the TZ database (setenv("TZ") is not thread-safe): CET
 * (UTC+1), and CEST (UTC+2) from the last Sunday of March 01:00 UTC to the last
 * Sunday of October 01:00 UTC — the EU rule in force since 1996, applied to
 * every year. Any other zone falls back to UTC, written as such ("10:00 UTC"),
 * so a time is never shown with a wrong offset. */
#ifndef OBR_INVITATIONS_H
#define OBR_INVITATIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;
struct ics_event;

enum invitation_mode {
    INVITATION_IN_PERSON, /* everyone in the room */
    INVITATION_REMOTE,    /* everyone online */
    INVITATION_HYBRID,    /* in the room or online, at each participant's choice */
};

struct invitation_document {
    const char *name; /* "Projekt uchwały nr 12/2026.pdf" */
    const char *url;  /* download link; a non-http(s) one is left out and the name shown alone */
};

struct invitation_item {
    const char *title;       /* required */
    const char *description; /* may be NULL; newlines kept */
    const struct invitation_document *documents;
    size_t n_documents;
};

/* One participant's view of a meeting. Every string is borrowed, UTF-8. */
struct invitation {
    const char *org_name;  /* the sender line: "Uniwersytet Wrocławski, Wydział Fizyki" */
    const char *body_name; /* required: "Rada Wydziału Fizyki" */
    const char *number;    /* "XXVI" or "12"; NULL or "": not shown */
    const char *title;     /* "Posiedzenie zwyczajne"; may be NULL */
    int64_t starts_at_ms;  /* UTC epoch milliseconds */
    const char *time_zone; /* IANA name; NULL: Europe/Warsaw (see above for others) */
    const char *place;     /* the room; may be NULL for a remote meeting */
    enum invitation_mode mode;
    const char *broadcast_url; /* video meeting or broadcast (Teams, Jitsi, YouTube); http(s) */
    const struct invitation_item *items;
    size_t n_items;
    const char *access_url;     /* required, http(s): the personal link to the meeting */
    const char *recipient_name; /* may be NULL */
    bool has_calendar;          /* the mail carries an .ics: the text says so */
};

/* A moment as read on a wall clock in a zone. */
struct invitation_local_time {
    int year, month, day; /* month 1..12 */
    int hour, minute;
    int weekday;      /* 0 = Monday .. 6 = Sunday */
    int offset_min;   /* local − UTC */
    const char *abbr; /* "CET", "CEST" or "UTC" */
};

/* Converts utc_ms to the wall clock of zone (NULL: Europe/Warsaw). True when
 * the zone is known; false when it is not and *out holds UTC. */
bool invitation_local_time(int64_t utc_ms, const char *zone, struct invitation_local_time *out);

/* The templates below append to subject, text and html, in lang "pl" or "en"
 * (anything else: Polish). Everything from inv is HTML-escaped, and links are
 * written only when they are http(s). They return 0, OBR_EINVAL when inv has
 * no body_name, an item without a title, or an access_url that is not
 * http(s), or OBR_ENOMEM when a buf failed. */

/* "Zawiadomienie o posiedzeniu": the meeting, its date, place, mode and tools,
 * the agenda ("Porządek obrad") with descriptions and document links, and the
 * personal access link. */
int mail_tpl_invitation(struct buf *subject, struct buf *text, struct buf *html,
                        const struct invitation *inv, const char *lang);

/* "Przypomnienie: posiedzenie za N dni" (1 dzień, 2 dni...; 0: "dzisiaj"),
 * followed by the same details as the invitation. days_before ≥ 0. */
int mail_tpl_reminder(struct buf *subject, struct buf *text, struct buf *html,
                      const struct invitation *inv, const char *lang, int days_before);

/* "Zmiana w posiedzeniu": the caller's list of what changed (one short line
 * each, e.g. "Termin: 12 marca 2026 r., godz. 10:00"), then the details as
 * they are now. changes may be NULL when n_changes is 0. */
int mail_tpl_meeting_changed(struct buf *subject, struct buf *text, struct buf *html,
                             const struct invitation *inv, const char *lang,
                             const char *const *changes, size_t n_changes);

/* Fills the words of the calendar event of inv: renders the summary
 * ("Rada Wydziału Fizyki — posiedzenie nr 12: title") and the description
 * (the agenda as numbered lines and the personal access link) into the two
 * bufs, which should be empty and must not be appended to while ev is in use,
 * and sets ev->summary, description, location (the place; for a remote
 * meeting the broadcast link), url (the access link), start_ms and
 * attendee_name. Other fields of ev are left as they are: the caller sets uid,
 * sequence, end_ms, stamp_ms, organizer_name and _email, attendee_email and
 * is_cancelled. 0, OBR_EINVAL as for the templates, or OBR_ENOMEM. */
int mail_tpl_invitation_ics(struct ics_event *ev, struct buf *summary, struct buf *description,
                            const struct invitation *inv, const char *lang);

#endif
