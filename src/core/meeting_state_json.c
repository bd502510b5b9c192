/* meeting_state_json.c — the live state as JSON for one viewer (see
 * meeting_state_to_json in meeting_state.h). The filtering mirrors the
 * visibility of the events in docs/events.md: what a viewer could not have
 * read on the event stream is not in their snapshot either. */
#include "util/json_values.h"
#include "core/meeting_state.h"

#include <string.h>

#include "log/event.h"

/* json_object_set_new and friends steal their value and fail (returning -1)
 * when it is NULL, so one flag at the end catches any allocation failure. */
struct out {
    bool failed;
};

static void set(struct out *o, json_t *obj, const char *key, json_t *v)
{
    if (!v || json_object_set_new(obj, key, v) != 0)
        o->failed = true;
}

static void push(struct out *o, json_t *arr, json_t *v)
{
    if (!v || json_array_append_new(arr, v) != 0)
        o->failed = true;
}

static json_t *agenda_json(struct out *o, const struct meeting_state *st)
{
    json_t *arr = json_array();
    for (int i = 0; arr && i < st->n_items; i++) {
        const struct ms_item *it = &st->items[i];
        json_t *j = json_object();
        if (j) {
            set(o, j, "id", json_string(it->id));
            set(o, j, "title", json_string(it->title));
            set(o, j, "description", json_string(it->description));
            set(o, j, "position", json_integer(it->position));
            set(o, j, "is_amendment", json_boolean(it->is_amendment));
        }
        push(o, arr, j);
    }
    return arr;
}

static json_t *attendance_json(struct out *o, const struct meeting_state *st, int visibility)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    set(o, j, "is_check_open", json_boolean(st->is_check_open));
    set(o, j, "check_id", json_str_or_null(st->check_id));
    set(o, j, "ends_at", st->is_check_open ? json_integer(st->check_ends_at_ms) : json_null());
    set(o, j, "n_checks", json_integer(st->n_checks));
    set(o, j, "present_count", json_integer(st->present_count));
    set(o, j, "required", json_integer(st->required));
    set(o, j, "statutory_size", json_integer(st->statutory_size));
    set(o, j, "quorum_rule", json_string(st->quorum_rule));
    set(o, j, "has_quorum", json_boolean(st->has_quorum));
    if (visibility >= EVENT_PARTICIPANTS) {
        json_t *present = json_array();
        for (int i = 0; present && i < st->n_people; i++)
            if (st->people[i].is_present)
                push(o, present, json_string(st->people[i].user_id));
        set(o, j, "present", present);
    }
    return j;
}

static json_t *floor_entry_json(struct out *o, const struct ms_floor *f, bool is_granted)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    set(o, j, "request_id", json_string(f->request_id));
    set(o, j, "user_id", json_string(f->user_id));
    set(o, j, "name", json_string(f->name));
    set(o, j, "kind", json_string(f->kind));
    set(o, j, "at", json_integer(f->at_ms));
    if (is_granted) {
        set(o, j, "speaking_time_s", json_integer(f->speaking_time_s));
        set(o, j, "ends_at", json_integer(f->ends_at_ms));
    }
    return j;
}

static json_t *floor_json(struct out *o, const struct meeting_state *st, int visibility)
{
    json_t *j = json_object();
    if (!j)
        return NULL;
    if (visibility >= EVENT_PARTICIPANTS) {
        json_t *queue = json_array();
        for (int i = 0; queue && i < st->n_queue; i++)
            push(o, queue, floor_entry_json(o, &st->queue[i], false));
        set(o, j, "queue", queue);
    }
    set(o, j, "speaker", st->has_speaker ? floor_entry_json(o, &st->speaker, true) : json_null());
    return j;
}

static bool may_see_message(const struct ms_chat *c, int visibility, const char *viewer)
{
    if (visibility >= EVENT_STAFF)
        return true;
    if (c->is_hidden)
        return false;
    if (!c->is_to_operator && !c->is_to_chair)
        return true;
    return viewer && strcmp(viewer, c->user_id) == 0;
}

static json_t *chat_json(struct out *o, const struct meeting_state *st, int visibility,
                         const char *viewer)
{
    json_t *arr = json_array();
    for (int i = 0; arr && i < st->n_chat; i++) {
        const struct ms_chat *c = &st->chat[i];
        if (!may_see_message(c, visibility, viewer))
            continue;
        json_t *j = json_object();
        if (j) {
            set(o, j, "message_id", json_string(c->message_id));
            set(o, j, "user_id", json_string(c->user_id));
            set(o, j, "name", json_string(c->name));
            set(o, j, "text", json_string(c->text));
            set(o, j, "to", json_string(c->is_to_operator ? "operator"
                                        : c->is_to_chair  ? "chair"
                                                          : "all"));
            set(o, j, "ts", json_integer(c->ts_ms));
            if (visibility >= EVENT_STAFF)
                set(o, j, "is_hidden", json_boolean(c->is_hidden));
        }
        push(o, arr, j);
    }
    return arr;
}

static json_t *people_json(struct out *o, const struct meeting_state *st, int visibility)
{
    json_t *arr = json_array();
    for (int i = 0; arr && i < st->n_people; i++) {
        const struct ms_person *p = &st->people[i];
        if (visibility < EVENT_PARTICIPANTS && !p->is_member)
            continue;
        json_t *j = json_object();
        if (j && visibility < EVENT_PARTICIPANTS) {
            /* The law publishes who attended; nothing else about a person. */
            set(o, j, "name", json_string(p->name));
            set(o, j, "is_present", json_boolean(p->is_present));
        } else if (j) {
            set(o, j, "user_id", json_string(p->user_id));
            set(o, j, "name", json_string(p->name));
            set(o, j, "role", json_string(p->role));
            set(o, j, "is_member", json_boolean(p->is_member));
            set(o, j, "is_guest", json_boolean(p->is_guest));
            set(o, j, "is_scrutiny", json_boolean(p->is_scrutiny));
            set(o, j, "is_present", json_boolean(p->is_present));
            set(o, j, "has_checked_in", json_boolean(p->has_checked_in));
            set(o, j, "is_chat_muted", json_boolean(p->is_chat_muted));
        }
        push(o, arr, j);
    }
    return arr;
}

json_t *meeting_state_to_json(const struct meeting_state *st, int visibility,
                              const char *viewer_user_id)
{
    if (!st)
        return NULL;
    struct out o = {false};
    json_t *j = json_object();
    if (!j)
        return NULL;
    set(&o, j, "meeting_id", json_string(st->meeting_id));
    set(&o, j, "seq", json_integer(st->seq));
    set(&o, j, "hash", json_string(st->hash));
    set(&o, j, "status", json_string(st->status));
    set(&o, j, "agenda", agenda_json(&o, st));
    set(&o, j, "current_item", json_str_or_null(st->current_item));
    set(&o, j, "attendance", attendance_json(&o, st, visibility));
    set(&o, j, "floor", floor_json(&o, st, visibility));
    if (visibility >= EVENT_PARTICIPANTS)
        set(&o, j, "chat", chat_json(&o, st, visibility, viewer_user_id));
    set(&o, j, "people", people_json(&o, st, visibility));
    if (visibility >= EVENT_STAFF)
        set(&o, j, "is_log_over_budget", json_boolean(st->is_log_over_budget));
    if (o.failed) {
        json_decref(j);
        return NULL;
    }
    return j;
}
