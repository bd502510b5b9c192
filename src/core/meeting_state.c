/* meeting_state.c — the state's lifetime, its people and lookups, and the
 * checks of actions before they are appended (see meeting_state.h). The fold
 * itself is meeting_state_fold.c, the per-viewer JSON meeting_state_json.c. */
#include "core/meeting_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/meeting_state_impl.h"
#include "core/quorum.h"
#include "util/err.h"

/* ---- status ---- */

bool ms_status_is(const struct meeting_state *st, const char *s)
{
    return strcmp(st->status, s) == 0;
}

static void set_status(struct meeting_state *st, const char *s)
{
    snprintf(st->status, sizeof st->status, "%s", s);
}

/* ---- growable arrays: made room for before the state changes ---- */

int ms_reserve(void **arr, int *cap, int need, size_t elem)
{
    if (need <= *cap)
        return 0;
    int ncap = *cap ? *cap * 2 : 8;
    while (ncap < need)
        ncap *= 2;
    void *p = realloc(*arr, (size_t)ncap * elem);
    if (!p)
        return OBR_ENOMEM;
    *arr = p;
    *cap = ncap;
    return 0;
}

/* ---- people and quorum ---- */

int ms_person_index(const struct meeting_state *st, const char *user_id)
{
    if (st->is_people_indexed)
        return ms_person_index_hashed(st, user_id);
    for (int i = 0; i < st->n_people; i++)
        if (strcmp(st->people[i].user_id, user_id) == 0)
            return i;
    return -1;
}

const struct ms_person *meeting_state_person(const struct meeting_state *st, const char *user_id)
{
    if (!st || !user_id)
        return NULL;
    int i = ms_person_index(st, user_id);
    return i < 0 ? NULL : &st->people[i];
}

void ms_recount(struct meeting_state *st)
{
    int n = 0;
    for (int i = 0; i < st->n_people; i++)
        if (st->people[i].is_member && st->people[i].is_present)
            n++;
    st->present_count = n;
    st->has_quorum = quorum_is_met(st->quorum_rule, st->statutory_size, n);
}

static bool fits(const char *s, size_t size)
{
    return s && strlen(s) < size;
}

int meeting_state_add_person(struct meeting_state *st, const char *user_id, const char *name,
                             const char *role, bool is_member, bool is_guest, bool is_scrutiny)
{
    if (!st || !user_id || !*user_id || !fits(user_id, ID_SIZE) || !fits(name, MS_NAME_SIZE) ||
        !fits(role, sizeof st->people[0].role))
        return OBR_EINVAL;
    if (ms_own(st, MS_PART_PEOPLE) != 0)
        return OBR_ENOMEM;
    meeting_state_memo_forget(st);
    int i = ms_person_index(st, user_id);
    st->is_people_indexed = false; /* a new person or a new name */
    if (i < 0) {
        if (ms_reserve((void **)&st->people, &st->cap_people, st->n_people + 1,
                       sizeof *st->people) != 0)
            return OBR_ENOMEM;
        i = st->n_people++;
        memset(&st->people[i], 0, sizeof st->people[i]);
        snprintf(st->people[i].user_id, sizeof st->people[i].user_id, "%s", user_id);
    }
    struct ms_person *p = &st->people[i];
    snprintf(p->name, sizeof p->name, "%s", name);
    snprintf(p->role, sizeof p->role, "%s", role);
    p->is_member = is_member;
    p->is_guest = is_guest;
    p->is_scrutiny = is_scrutiny;
    ms_recount(st);
    return 0;
}

/* ---- lookups ---- */

int ms_item_index(const struct meeting_state *st, const char *id)
{
    for (int i = 0; i < st->n_items; i++)
        if (strcmp(st->items[i].id, id) == 0)
            return i;
    return -1;
}

int ms_request_index(const struct meeting_state *st, const char *request_id)
{
    for (int i = 0; i < st->n_queue; i++)
        if (strcmp(st->queue[i].request_id, request_id) == 0)
            return i;
    return -1;
}

int ms_chat_index(const struct meeting_state *st, const char *message_id)
{
    for (int i = st->n_chat - 1; i >= 0; i--)
        if (strcmp(st->chat[i].message_id, message_id) == 0)
            return i;
    return -1;
}

void ms_chat_free_entry(struct ms_chat *c)
{
    free(c->name);
    free(c->text);
}

/* ---- new / free ---- */

struct meeting_state *meeting_state_new(const char *meeting_id, int statutory_size,
                                        const char *quorum_rule)
{
    if (!fits(meeting_id, ID_SIZE) || statutory_size < 0 || !quorum_rule_is_known(quorum_rule) ||
        strlen(quorum_rule) >= sizeof((struct meeting_state *)0)->quorum_rule)
        return NULL;
    struct meeting_state *st = calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->refs = 1;
    snprintf(st->meeting_id, sizeof st->meeting_id, "%s", meeting_id);
    set_status(st, "draft");
    st->statutory_size = statutory_size;
    snprintf(st->quorum_rule, sizeof st->quorum_rule, "%s", quorum_rule);
    st->required = quorum_required(quorum_rule, statutory_size);
    ms_recount(st);
    return st;
}

void meeting_state_free(struct meeting_state *st)
{
    if (!st || __atomic_sub_fetch(&st->refs, 1, __ATOMIC_ACQ_REL) > 0)
        return;
    meeting_state_memo_forget(st);
    ms_release(st); /* people, agenda and chat: the last holder frees them */
    free(st->queue);
    free(st);
}

struct meeting_state *meeting_state_ref(struct meeting_state *st)
{
    if (st)
        __atomic_add_fetch(&st->refs, 1, __ATOMIC_RELAXED);
    return st;
}

/* ---- checks ---- */

static enum ms_refusal check_live(const struct meeting_state *st, enum ms_action a,
                                  const char *actor, const char *arg)
{
    const struct ms_person *who = meeting_state_person(st, actor);
    int i;
    switch (a) {
    case MS_ACT_CLOSE:
        return MS_OK;
    case MS_ACT_ATTENDANCE_START:
        return st->is_check_open ? MS_CHECK_ALREADY_OPEN : MS_OK;
    case MS_ACT_ATTENDANCE_PRESENT:
        if (!st->is_check_open || (arg && strcmp(arg, st->check_id) != 0))
            return MS_NO_CHECK_OPEN;
        if (!who)
            return MS_NOT_PARTICIPANT;
        if (!who->is_member && !who->is_guest)
            return MS_NOT_MEMBER;
        return who->has_checked_in ? MS_ALREADY_CHECKED_IN : MS_OK;
    case MS_ACT_ATTENDANCE_END:
        return st->is_check_open ? MS_OK : MS_NO_CHECK_OPEN;
    case MS_ACT_PRESENCE:
        return who ? MS_OK : MS_NOT_PARTICIPANT;
    case MS_ACT_CURRENT_ITEM:
        return arg && ms_item_index(st, arg) >= 0 ? MS_OK : MS_UNKNOWN_ITEM;
    case MS_ACT_FLOOR_REQUEST:
        if (!who)
            return MS_NOT_PARTICIPANT;
        for (i = 0; i < st->n_queue; i++)
            if (strcmp(st->queue[i].user_id, who->user_id) == 0)
                return MS_ALREADY_QUEUED;
        return MS_OK;
    case MS_ACT_FLOOR_WITHDRAW:
        /* Whose request may be withdrawn (own, or any for the chair) is the
         * caller's permission check. */
        return arg && ms_request_index(st, arg) >= 0 ? MS_OK : MS_NOT_QUEUED;
    case MS_ACT_FLOOR_GRANT:
        return arg && ms_request_index(st, arg) >= 0 ? MS_OK : MS_NOT_QUEUED;
    case MS_ACT_FLOOR_END:
        if (!st->has_speaker || (arg && strcmp(arg, st->speaker.request_id) != 0))
            return MS_NO_SPEAKER;
        return MS_OK;
    case MS_ACT_CHAT:
        if (actor && !who)
            return MS_NOT_PARTICIPANT;
        return who && who->is_chat_muted ? MS_CHAT_MUTED : MS_OK;
    case MS_ACT_CHAT_MUTE:
        return arg && meeting_state_person(st, arg) ? MS_OK : MS_NOT_PARTICIPANT;
    case MS_ACT_CHAT_HIDE:
        return arg && ms_chat_index(st, arg) >= 0 ? MS_OK : MS_UNKNOWN_MESSAGE;
    default:
        return MS_OK;
    }
}

enum ms_refusal meeting_state_check(const struct meeting_state *st, enum ms_action a,
                                    const char *actor_user_id, const char *arg_id)
{
    if (ms_status_is(st, "closed"))
        return MS_ALREADY_CLOSED;
    switch (a) {
    case MS_ACT_CONVENE:
    case MS_ACT_EDIT_AGENDA:
        return ms_status_is(st, "draft") ? MS_OK : MS_NOT_DRAFT;
    case MS_ACT_START:
        return ms_status_is(st, "draft") || ms_status_is(st, "convened") ? MS_OK
                                                                         : MS_NOT_CONVENED_OR_DRAFT;
    case MS_ACT_EDIT_PARTICIPANTS:
        return MS_OK;
    default:
        if (!ms_status_is(st, "in_progress"))
            return MS_NOT_IN_PROGRESS;
        return a == MS_ACT_AMEND_AGENDA ? MS_OK : check_live(st, a, actor_user_id, arg_id);
    }
}

static const struct {
    const char *code;
    const char *message;
} refusals[] = {
    [MS_OK] = {"ok", "Allowed."},
    [MS_NOT_DRAFT] = {"meeting_not_draft",
                      "Only a meeting in preparation can be changed this way; once convened, "
                      "the agenda changes by amendment during the meeting."},
    [MS_NOT_CONVENED_OR_DRAFT] = {"meeting_already_started", "The meeting has already started."},
    [MS_NOT_IN_PROGRESS] = {"meeting_not_in_progress", "The meeting is not in progress."},
    [MS_ALREADY_CLOSED] = {"meeting_closed", "The meeting is closed."},
    [MS_CHECK_ALREADY_OPEN] = {"attendance_check_open", "An attendance check is already running."},
    [MS_NO_CHECK_OPEN] = {"no_attendance_check", "No attendance check is running."},
    [MS_NOT_PARTICIPANT] = {"not_participant", "You are not a participant of this meeting."},
    [MS_NOT_MEMBER] = {"not_member", "Only members and guests confirm their presence."},
    [MS_CHAT_MUTED] = {"chat_muted", "The chair has muted your chat."},
    [MS_UNKNOWN_ITEM] = {"item_unknown", "No such agenda item."},
    [MS_ALREADY_QUEUED] = {"floor_already_requested", "A request to speak is already queued."},
    [MS_NOT_QUEUED] = {"floor_request_not_queued", "No such request to speak in the queue."},
    [MS_NO_SPEAKER] = {"no_speaker", "Nobody has the floor."},
    [MS_UNKNOWN_MESSAGE] = {"message_unknown", "No such chat message."},
    [MS_ALREADY_CHECKED_IN] = {"already_checked_in", "Your presence is already confirmed."},
};

const char *ms_refusal_code(enum ms_refusal r)
{
    if ((unsigned)r >= sizeof refusals / sizeof refusals[0])
        return "unknown";
    return refusals[r].code;
}

const char *ms_refusal_message(enum ms_refusal r)
{
    if ((unsigned)r >= sizeof refusals / sizeof refusals[0])
        return "Unknown refusal.";
    return refusals[r].message;
}
