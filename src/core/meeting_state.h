/* meeting_state.h — the live state of a meeting as a pure fold over its log
 * (DESIGN.md, "A meeting is a log"; the vocabulary is docs/events.md).
 * No I/O: the API adds the body's members, folds the stored events, checks
 * each new action against the state under the log's writer lock, appends the
 * event and folds it too. Files: meeting_state.c (lifetime, people, checks),
 * meeting_state_fold.c (the fold), meeting_state_json.c (the per-viewer JSON).
 *
 * Ownership: meeting_state_new returns an object freed by meeting_state_free.
 * Not thread-safe: whoever shares one state guards it (the API: the log's
 * writer lock). Every pointer into it is valid until the next apply/add/free. */
#ifndef OBR_MEETING_STATE_H
#define OBR_MEETING_STATE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "util/ids.h"

struct event; /* log/event.h; visibility levels are its EVENT_PUBLIC ... EVENT_STAFF */

/* Bytes of a name with its NUL; equal to NAME_SIZE of store/directory.h
 * (core does not include the store; tests check the two agree). */
#define MS_NAME_SIZE 801
/* Chat messages kept in the state; older ones stay in the log only. */
#define MS_CHAT_KEEP 200

struct ms_person {
    char user_id[ID_SIZE];
    char name[MS_NAME_SIZE];
    char role[16];       /* chair|vice_chair|member|secretary|guest */
    bool is_member;      /* of the body: counts for quorum */
    bool is_guest;       /* added for this meeting; never counts for quorum */
    bool is_scrutiny;    /* on the scrutiny committee */
    bool is_present;     /* now, as far as the log knows */
    bool has_checked_in; /* pressed "present" in the current or last check */
    bool is_chat_muted;  /* the chair muted this person's chat (chat.muted) */
    int name_rank;       /* order by name (pl_compare_names; equal names equal
                          * ranks), valid while the state is_people_indexed */
};

/* Agenda items are kept in order; position is always index + 1. */
struct ms_item {
    char id[ID_SIZE];
    char title[MS_NAME_SIZE];
    char *description; /* owned, never NULL ("" when none) */
    int position;
    bool is_amendment; /* added while the meeting was in progress */
};

/* A request to speak, queued or granted. */
struct ms_floor {
    char request_id[ID_SIZE];
    char user_id[ID_SIZE];
    char name[MS_NAME_SIZE];
    char kind[12];       /* normal|ad_vocem|formal */
    int64_t at_ms;       /* when requested (the event's time) */
    int speaking_time_s; /* 0 while queued */
    int64_t ends_at_ms;  /* 0 while queued */
};

struct ms_chat {
    char message_id[ID_SIZE];
    char user_id[ID_SIZE];
    char *name; /* owned */
    char *text; /* owned; any length (the API limits what it accepts, in characters) */
    bool is_to_operator; /* to the staff only: the operator ... */
    bool is_to_chair;    /* ... or the chair (questions the chair reads aloud); staff see both */
    bool is_hidden;
    int64_t ts_ms;
};

/* Bytes derived from a snapshot (e.g. its serialized JSON for one viewer
 * class), kept with the snapshot: a shared state never changes, so what was
 * made from it stays true while it lives. */
struct ms_memo {
    size_t len;
    char bytes[];
};
/* Slots 0..5: meeting_state_get.c; then VOTE_MEMO_VOTES votes, plain and
 * gzip each (api/vote_get.c). */
#define VOTE_MEMO_VOTES 8
#define MS_MEMO_SLOTS (6 + 2 * VOTE_MEMO_VOTES)

struct meeting_state {
    int refs; /* meeting_state_ref / meeting_state_free; atomic */
    char meeting_id[ID_SIZE];
    int64_t seq;     /* of the last event folded; 0 before any */
    int64_t log_bytes;       /* payload bytes of the events folded (the log's size) */
    bool is_log_over_budget; /* log.budget_exceeded was recorded */
    char hash[65];   /* of the last event folded; "" before any */
    char status[16]; /* draft|convened|in_progress|closed */
    int statutory_size;
    char quorum_rule[32]; /* see core/quorum.h */
    int required;         /* quorum_required(quorum_rule, statutory_size) */
    int present_count;    /* members present; guests never count */
    bool has_quorum;      /* present_count >= required */

    struct ms_person *people; /* members (added before folding), then guests */
    int n_people;
    struct ms_item *items; /* in agenda order */
    int n_items;
    char current_item[ID_SIZE]; /* "" when none */

    bool is_check_open;
    char check_id[ID_SIZE]; /* of the open or the last check; "" before any */
    int64_t check_ends_at_ms;
    int n_checks; /* attendance checks started so far */

    /* Queue order: formal motions first, then ad vocem, then normal
     * requests; first come first served within each kind. A formal motion
     * (wniosek formalny) is about the conduct of the debate and is heard
     * before the debate goes on; an ad vocem answers the last speaker, so it
     * makes sense only right after them. */
    struct ms_floor *queue;
    int n_queue;
    bool has_speaker;
    struct ms_floor speaker;

    struct ms_chat *chat; /* the last MS_CHAT_KEEP messages, oldest first */
    int n_chat;

    /* Answers made once from this snapshot (meeting_state_memo.c); never
     * copied by a clone, dropped when the state changes or is freed. */
    struct ms_memo *memo[MS_MEMO_SLOTS];

    /* Private to the meeting_state*.c files. */
    int cap_people, cap_items, cap_queue;
    /* people (with people_idx), items and chat_buf are shared by a state
     * and its clones until one of them changes that part (copy on write,
     * ms_own): a ballot folded into a copy of a 200-person meeting copies
     * no person. Each count (atomic) is of the states holding the part;
     * NULL while the state never had it (then people_idx, if any, is its
     * own). */
    int *people_refs, *items_refs, *chat_refs;
    struct ms_chat *chat_buf; /* chat points into it; 2 * MS_CHAT_KEEP entries */
    /* meeting_state_index_people: people by user_id (open addressing,
     * index + 1, 0 = empty) and name_rank; any change to people clears
     * is_people_indexed and lookups scan again until the next index. */
    int *people_idx;
    int people_idx_cap;
    bool is_people_indexed;
};

/* A state before any event: status draft, no people. Returns NULL for an
 * unknown quorum rule, a negative statutory_size, a meeting_id that does not
 * fit, or out of memory. */
struct meeting_state *meeting_state_new(const char *meeting_id, int statutory_size,
                                        const char *quorum_rule);
/* Drops one reference; the last frees (accepts NULL). */
void meeting_state_free(struct meeting_state *st);
/* Another reference to st, which from now on nobody may change: a state is
 * shared (the meeting cache keeps the one its loader answers with) only
 * once it is complete. Thread-safe. */
struct meeting_state *meeting_state_ref(struct meeting_state *st);
/* A copy of src that changes apart from it (meeting_state_clone.c): people
 * (and their index), agenda and chat are shared until either side changes
 * that part (copy on write), everything else is copied. NULL when src is NULL or out of memory.
 * Freed by meeting_state_free, in any order with src. */
struct meeting_state *meeting_state_clone(const struct meeting_state *src);

/* Adds a person before folding: the body's members come from the directory
 * (is_member), guests also arrive as participant.added events. Adding a
 * user_id again updates that person. Returns 0, OBR_EINVAL for a missing or
 * too long field, OBR_ENOMEM. */
int meeting_state_add_person(struct meeting_state *st, const char *user_id, const char *name,
                             const char *role, bool is_member, bool is_guest, bool is_scrutiny);

/* Folds one event. Returns 0; OBR_EINVAL when ev->seq != st->seq + 1;
 * OBR_ECORRUPT when the payload does not match docs/events.md; OBR_ENOMEM.
 * On any error the state is unchanged. Unknown types are ignored, but seq
 * and hash advance (later capabilities add vote.* events).
 *
 * The fold checks shapes, not history: an event that refers to something
 * that is not there (a present for a closed check, the end of a floor that
 * was not granted, an unknown user) changes nothing, because a stored log
 * must always load. Details the vocabulary leaves open:
 *  - agenda.item_added: position is 1-based; <= 1 puts the item first, past
 *    the end appends; later items move down. A repeated item_id is ignored.
 *    description may be missing or null.
 *  - agenda.reordered: the listed items first, in that order; any item not
 *    listed keeps its relative order after them; unknown ids are ignored.
 *  - attendance.ended: every member's is_present becomes has_checked_in
 *    (guests keep theirs); the payload's counts are for the record only.
 *  - participant.added for a known user sets is_scrutiny only;
 *    participant.removed also drops that person's queued requests.
 *  - scrutiny.set replaces the committee: exactly the listed users.
 *  - meeting.closed also ends an open check (presence unchanged), the queue
 *    and the speaker.
 *  - chat.hidden for a message older than the last MS_CHAT_KEEP is ignored. */
int meeting_state_apply(struct meeting_state *st, const struct event *ev);

/* Indexes people by user id (a hash lookup instead of a scan) and ranks
 * them by name (name_rank), until people change again. For a state nobody
 * else sees yet (the loader's, before it is shared). 0 or OBR_ENOMEM (then
 * lookups keep scanning). */
int meeting_state_index_people(struct meeting_state *st);

/* The person with this user id, or NULL. */
const struct ms_person *meeting_state_person(const struct meeting_state *st, const char *user_id);

/* The state as a client renders it, filtered for one viewer; caller must
 * json_decref (NULL only when out of memory). visibility is EVENT_PUBLIC,
 * EVENT_PARTICIPANTS or EVENT_STAFF; viewer_user_id may be NULL.
 *  {meeting_id, seq, hash, status,
 *   agenda: [{id, title, description, position, is_amendment}], current_item: id|null,
 *   attendance: {is_check_open, check_id|null, ends_at|null, n_checks, present_count,
 *                required, statutory_size, quorum_rule, has_quorum,
 *                present: [user_id...] (participants and staff only)},
 *   floor: {queue: [...] (participants and staff only), speaker: {...}|null},
 *   chat: [...] (participants: messages to all that are not hidden, and the viewer's
 *          own to the operator; staff: all, with is_hidden; absent for the public),
 *   people: public: members only, [{name, is_present}];
 *           others: [{user_id, name, role, is_member, is_guest, is_scrutiny,
 *                     is_present, has_checked_in}]}
 * Nothing carries an e-mail address: the state never holds one. */
json_t *meeting_state_to_json(const struct meeting_state *st, int visibility,
                              const char *viewer_user_id);

/* The memo in slot (0..MS_MEMO_SLOTS-1) of st, or NULL when none was made.
 * Thread-safe on a shared (read only) state. */
const struct ms_memo *meeting_state_memo(const struct meeting_state *st, int slot);
/* Keeps m (malloc'd, taken) in slot unless another thread was first (then m
 * is freed); returns the memo the slot holds. Only for states that are
 * complete (shared or about to be answered from). */
const struct ms_memo *meeting_state_memo_put(const struct meeting_state *st, int slot,
                                             struct ms_memo *m);
/* Frees every memo of st; for its only holder (a change, a free). */
void meeting_state_memo_forget(struct meeting_state *st);

/* Actions checked before their event is appended. */
enum ms_action {
    MS_ACT_CONVENE,
    MS_ACT_EDIT_AGENDA,  /* add, update, remove, reorder items, before convening */
    MS_ACT_AMEND_AGENDA, /* add an item while in progress */
    MS_ACT_START,
    MS_ACT_CLOSE,
    MS_ACT_ATTENDANCE_START,
    MS_ACT_ATTENDANCE_PRESENT, /* arg_id: the check id, or NULL for the open one */
    MS_ACT_ATTENDANCE_END,
    MS_ACT_PRESENCE,
    MS_ACT_CURRENT_ITEM, /* arg_id: the item */
    MS_ACT_FLOOR_REQUEST,
    MS_ACT_FLOOR_WITHDRAW, /* arg_id: the request */
    MS_ACT_FLOOR_GRANT,    /* arg_id: the request */
    MS_ACT_FLOOR_END,      /* arg_id: the speaker's request, or NULL for the current one */
    MS_ACT_CHAT,
    MS_ACT_CHAT_HIDE,         /* arg_id: the message */
    MS_ACT_CHAT_MUTE,         /* arg_id: the person */
    MS_ACT_EDIT_PARTICIPANTS, /* guests and the scrutiny committee */
};

enum ms_refusal {
    MS_OK,
    MS_NOT_DRAFT,
    MS_NOT_CONVENED_OR_DRAFT,
    MS_NOT_IN_PROGRESS,
    MS_ALREADY_CLOSED,
    MS_CHECK_ALREADY_OPEN,
    MS_NO_CHECK_OPEN,
    MS_NOT_PARTICIPANT,
    MS_NOT_MEMBER,
    MS_UNKNOWN_ITEM,
    MS_ALREADY_QUEUED,
    MS_NOT_QUEUED,
    MS_NO_SPEAKER,
    MS_UNKNOWN_MESSAGE,
    MS_ALREADY_CHECKED_IN,
    MS_CHAT_MUTED,
};

/* May this action happen now? Checks the meeting's state only; who may
 * conduct or prepare is roles.h's business.
 *  - A closed meeting refuses everything with MS_ALREADY_CLOSED.
 *  - convene and agenda edits: draft (a convened agenda changes only by
 *    amendment, in progress); start: draft or convened; everything live
 *    (close, attendance, presence, current item, floor, chat): in progress;
 *    participants: any status but closed.
 *  - actor_user_id is the person acting for present, presence, floor
 *    request and chat; they must be in people (MS_NOT_PARTICIPANT), for
 *    present as a member or a guest (MS_NOT_MEMBER). For chat, NULL means
 *    staff writing on their own authority and is allowed; for present,
 *    presence and floor request NULL is MS_NOT_PARTICIPANT. Withdraw, grant,
 *    end and hide check only what they refer to: who may act on someone
 *    else's request is the caller's permission check.
 *  - one queued request per person (MS_ALREADY_QUEUED).
 *  - MS_ALREADY_CHECKED_IN: the API answers it as an idempotent success. */
enum ms_refusal meeting_state_check(const struct meeting_state *st, enum ms_action a,
                                    const char *actor_user_id, const char *arg_id);

/* Stable snake_case code for API errors, e.g. "meeting_not_in_progress". */
const char *ms_refusal_code(enum ms_refusal r);
/* One English sentence for the error message. */
const char *ms_refusal_message(enum ms_refusal r);

#endif
