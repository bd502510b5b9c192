/* meeting_state_fold.c — folding one event into a meeting's state
 * (meeting_state_apply in meeting_state.h). Each handler first parses its
 * whole payload against a declarative spec and allocates what it needs, and
 * only then changes the state, so a refused event leaves it untouched. */
#include "core/meeting_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "core/meeting_state_impl.h"
#include "log/event.h"
#include "util/err.h"

static void set_status(struct meeting_state *st, const char *s)
{
    snprintf(st->status, sizeof st->status, "%s", s);
}

/* ---- payload spec: one declarative list of fields per event type ---- */

enum ftype {
    F_ID,       /* non-empty string that fits char[ID_SIZE] */
    F_ID_NULL,  /* F_ID, or null → "" */
    F_NAME,     /* string that fits char[MS_NAME_SIZE] */
    F_KIND,     /* string that fits char[12] */
    F_INT64,    /* integer → int64_t */
    F_INT,      /* integer within int → int */
    F_BOOL,     /* true/false → bool */
    F_TEXT_OPT, /* string, missing or null → const char * borrowed from the payload */
    F_TEXT,     /* string → const char * borrowed from the payload */
    F_ARRAY,    /* array → json_t * borrowed */
};

struct field {
    const char *key;
    enum ftype type;
    void *dst;
};

static int copy_str(json_t *v, char *dst, size_t size, bool allow_empty)
{
    if (!json_is_string(v))
        return OBR_ECORRUPT;
    size_t n = json_string_length(v);
    const char *s = json_string_value(v);
    if (n >= size || (!allow_empty && n == 0) || strlen(s) != n)
        return OBR_ECORRUPT;
    memcpy(dst, s, n + 1);
    return 0;
}

static int parse_field(json_t *obj, const struct field *f)
{
    json_t *v = json_object_get(obj, f->key);
    switch (f->type) {
    case F_ID:
        return copy_str(v, f->dst, ID_SIZE, false);
    case F_ID_NULL:
        if (!v || json_is_null(v)) {
            *(char *)f->dst = '\0';
            return 0;
        }
        return copy_str(v, f->dst, ID_SIZE, false);
    case F_NAME:
        return copy_str(v, f->dst, MS_NAME_SIZE, true);
    case F_KIND:
        return copy_str(v, f->dst, 12, false);
    case F_INT64:
        if (!json_is_integer(v))
            return OBR_ECORRUPT;
        *(int64_t *)f->dst = json_integer_value(v);
        return 0;
    case F_INT:
        if (!json_is_integer(v) || json_integer_value(v) < -2147483647 ||
            json_integer_value(v) > 2147483647)
            return OBR_ECORRUPT;
        *(int *)f->dst = (int)json_integer_value(v);
        return 0;
    case F_BOOL:
        if (!json_is_boolean(v))
            return OBR_ECORRUPT;
        *(bool *)f->dst = json_is_true(v);
        return 0;
    case F_TEXT_OPT:
        if (!v || json_is_null(v)) {
            *(const char **)f->dst = "";
            return 0;
        }
        if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
            return OBR_ECORRUPT;
        *(const char **)f->dst = json_string_value(v);
        return 0;
    case F_TEXT:
        if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v))
            return OBR_ECORRUPT;
        *(const char **)f->dst = json_string_value(v);
        return 0;
    case F_ARRAY:
        if (!json_is_array(v))
            return OBR_ECORRUPT;
        *(json_t **)f->dst = v;
        return 0;
    }
    return OBR_ECORRUPT;
}

/* Parses fields[] up to the entry with key NULL; 0 or OBR_ECORRUPT. */
static int parse(json_t *obj, const struct field *fields)
{
    for (const struct field *f = fields; f->key; f++)
        if (parse_field(obj, f) != 0)
            return OBR_ECORRUPT;
    return 0;
}

#define PARSE(obj, ...) parse((obj), (const struct field[]){__VA_ARGS__, {NULL, F_ID, NULL}})

/* ---- meeting ---- */

static int on_convened(struct meeting_state *st, json_t *p, const struct event *ev)
{
    int invited;
    if (PARSE(p, {"invited", F_INT, &invited}) != 0)
        return OBR_ECORRUPT;
    set_status(st, "convened");
    return 0;
}

static int on_started(struct meeting_state *st, json_t *p, const struct event *ev)
{
    set_status(st, "in_progress");
    return 0;
}

static int on_closed(struct meeting_state *st, json_t *p, const struct event *ev)
{
    set_status(st, "closed");
    st->is_check_open = false;
    st->n_queue = 0;
    st->has_speaker = false;
    return 0;
}

static int on_ignored(struct meeting_state *st, json_t *p, const struct event *ev)
{
    return 0;
}

/* ---- participants ---- */

static void drop_requests_of(struct meeting_state *st, const char *user_id)
{
    int w = 0;
    for (int r = 0; r < st->n_queue; r++)
        if (strcmp(st->queue[r].user_id, user_id) != 0)
            st->queue[w++] = st->queue[r];
    st->n_queue = w;
}

static int on_participant_added(struct meeting_state *st, json_t *p, const struct event *ev)
{
    char user_id[ID_SIZE], name[MS_NAME_SIZE], role[16];
    bool is_scrutiny;
    if (PARSE(p, {"user_id", F_ID, &user_id}, {"name", F_NAME, &name},
              {"is_scrutiny", F_BOOL, &is_scrutiny}) != 0)
        return OBR_ECORRUPT;
    json_t *r = json_object_get(p, "role");
    if (copy_str(r, role, sizeof role, false) != 0)
        return OBR_ECORRUPT;
    int i = ms_person_index(st, user_id);
    if (i >= 0) {
        st->people[i].is_scrutiny = is_scrutiny;
        return 0;
    }
    int rc = meeting_state_add_person(st, user_id, name, role, false, true, is_scrutiny);
    return rc == OBR_EINVAL ? OBR_ECORRUPT : rc;
}

static int on_participant_removed(struct meeting_state *st, json_t *p, const struct event *ev)
{
    char user_id[ID_SIZE];
    if (PARSE(p, {"user_id", F_ID, &user_id}) != 0)
        return OBR_ECORRUPT;
    int i = ms_person_index(st, user_id);
    if (i < 0)
        return 0;
    st->is_people_indexed = false;
    memmove(&st->people[i], &st->people[i + 1],
            (size_t)(st->n_people - i - 1) * sizeof st->people[0]);
    st->n_people--;
    drop_requests_of(st, user_id);
    ms_recount(st);
    return 0;
}

static int on_scrutiny_set(struct meeting_state *st, json_t *p, const struct event *ev)
{
    json_t *ids;
    if (PARSE(p, {"user_ids", F_ARRAY, &ids}) != 0)
        return OBR_ECORRUPT;
    size_t k;
    json_t *v;
    json_array_foreach (ids, k, v) {
        char id[ID_SIZE];
        if (copy_str(v, id, sizeof id, false) != 0)
            return OBR_ECORRUPT;
    }
    for (int i = 0; i < st->n_people; i++) {
        struct ms_person *pe = &st->people[i];
        pe->is_scrutiny = false;
        json_array_foreach (ids, k, v) {
            if (strcmp(json_string_value(v), pe->user_id) == 0)
                pe->is_scrutiny = true;
        }
    }
    return 0;
}

/* ---- agenda ---- */

static void renumber(struct meeting_state *st)
{
    for (int i = 0; i < st->n_items; i++)
        st->items[i].position = i + 1;
}

static int on_item_added(struct meeting_state *st, json_t *p, const struct event *ev)
{
    char id[ID_SIZE], title[MS_NAME_SIZE];
    int position;
    bool is_amendment;
    const char *description;
    if (PARSE(p, {"item_id", F_ID, &id}, {"position", F_INT, &position}, {"title", F_NAME, &title},
              {"description", F_TEXT_OPT, &description},
              {"is_amendment", F_BOOL, &is_amendment}) != 0)
        return OBR_ECORRUPT;
    if (ms_item_index(st, id) >= 0)
        return 0;
    char *desc = strdup(description);
    if (!desc ||
        ms_reserve((void **)&st->items, &st->cap_items, st->n_items + 1, sizeof *st->items) != 0) {
        free(desc);
        return OBR_ENOMEM;
    }
    int at = position <= 1 ? 0 : position - 1;
    if (at > st->n_items)
        at = st->n_items;
    memmove(&st->items[at + 1], &st->items[at], (size_t)(st->n_items - at) * sizeof *st->items);
    struct ms_item *it = &st->items[at];
    memset(it, 0, sizeof *it);
    snprintf(it->id, sizeof it->id, "%s", id);
    snprintf(it->title, sizeof it->title, "%s", title);
    it->description = desc;
    it->is_amendment = is_amendment;
    st->n_items++;
    renumber(st);
    return 0;
}

static int on_item_updated(struct meeting_state *st, json_t *p, const struct event *ev)
{
    char id[ID_SIZE], title[MS_NAME_SIZE];
    const char *description;
    if (PARSE(p, {"item_id", F_ID, &id}, {"title", F_NAME, &title},
              {"description", F_TEXT_OPT, &description}) != 0)
        return OBR_ECORRUPT;
    int i = ms_item_index(st, id);
    if (i < 0)
        return 0;
    char *desc = strdup(description);
    if (!desc)
        return OBR_ENOMEM;
    free(st->items[i].description);
    st->items[i].description = desc;
    snprintf(st->items[i].title, sizeof st->items[i].title, "%s", title);
    return 0;
}

static int on_item_removed(struct meeting_state *st, json_t *p, const struct event *ev)
{
    char id[ID_SIZE];
    if (PARSE(p, {"item_id", F_ID, &id}) != 0)
        return OBR_ECORRUPT;
    int i = ms_item_index(st, id);
    if (i < 0)
        return 0;
    free(st->items[i].description);
    memmove(&st->items[i], &st->items[i + 1], (size_t)(st->n_items - i - 1) * sizeof *st->items);
    st->n_items--;
    renumber(st);
    if (strcmp(st->current_item, id) == 0)
        st->current_item[0] = '\0';
    return 0;
}

static int on_reordered(struct meeting_state *st, json_t *p, const struct event *ev)
{
    json_t *order;
    if (PARSE(p, {"order", F_ARRAY, &order}) != 0)
        return OBR_ECORRUPT;
    size_t k;
    json_t *v;
    json_array_foreach (order, k, v) {
        char id[ID_SIZE];
        if (copy_str(v, id, sizeof id, false) != 0)
            return OBR_ECORRUPT;
    }
    if (st->n_items == 0)
        return 0;
    struct ms_item *out = malloc((size_t)st->n_items * sizeof *out);
    bool *taken = calloc((size_t)st->n_items, sizeof *taken);
    if (!out || !taken) {
        free(out);
        free(taken);
        return OBR_ENOMEM;
    }
    int n = 0;
    json_array_foreach (order, k, v) {
        int i = ms_item_index(st, json_string_value(v));
        if (i >= 0 && !taken[i]) {
            taken[i] = true;
            out[n++] = st->items[i];
        }
    }
    for (int i = 0; i < st->n_items; i++)
        if (!taken[i])
            out[n++] = st->items[i];
    memcpy(st->items, out, (size_t)n * sizeof *out);
    free(out);
    free(taken);
    renumber(st);
    return 0;
}

static int on_item_current(struct meeting_state *st, json_t *p, const struct event *ev)
{
    char id[ID_SIZE];
    if (PARSE(p, {"item_id", F_ID_NULL, &id}) != 0)
        return OBR_ECORRUPT;
    snprintf(st->current_item, sizeof st->current_item, "%s", id);
    return 0;
}

/* ---- attendance ---- */

static int on_attendance_started(struct meeting_state *st, json_t *p, const struct event *ev)
{
    char check_id[ID_SIZE];
    int duration_s;
    int64_t ends_at;
    if (PARSE(p, {"check_id", F_ID, &check_id}, {"duration_s", F_INT, &duration_s},
              {"ends_at", F_INT64, &ends_at}) != 0)
        return OBR_ECORRUPT;
    st->is_check_open = true;
    snprintf(st->check_id, sizeof st->check_id, "%s", check_id);
    st->check_ends_at_ms = ends_at;
    st->n_checks++;
    for (int i = 0; i < st->n_people; i++)
        st->people[i].has_checked_in = false;
    return 0;
}

static int on_attendance_present(struct meeting_state *st, json_t *p, const struct event *ev)
{
    char check_id[ID_SIZE], user_id[ID_SIZE];
    if (PARSE(p, {"check_id", F_ID, &check_id}, {"user_id", F_ID, &user_id}) != 0)
        return OBR_ECORRUPT;
    int i = ms_person_index(st, user_id);
    if (!st->is_check_open || strcmp(check_id, st->check_id) != 0 || i < 0)
        return 0;
    st->people[i].has_checked_in = true;
    st->people[i].is_present = true;
    ms_recount(st);
    return 0;
}

static int on_attendance_ended(struct meeting_state *st, json_t *p, const struct event *ev)
{
    char check_id[ID_SIZE];
    json_t *present;
    int present_count, required;
    bool has_quorum;
    if (PARSE(p, {"check_id", F_ID, &check_id}, {"present", F_ARRAY, &present},
              {"present_count", F_INT, &present_count}, {"required", F_INT, &required},
              {"has_quorum", F_BOOL, &has_quorum}) != 0)
        return OBR_ECORRUPT;
    size_t k;
    json_t *v;
    json_array_foreach (present, k, v) {
        char id[ID_SIZE], name[MS_NAME_SIZE];
        if (!json_is_object(v) || PARSE(v, {"user_id", F_ID, &id}, {"name", F_NAME, &name}) != 0)
            return OBR_ECORRUPT;
    }
    if (!st->is_check_open || strcmp(check_id, st->check_id) != 0)
        return 0;
    st->is_check_open = false;
    for (int i = 0; i < st->n_people; i++)
        if (st->people[i].is_member)
            st->people[i].is_present = st->people[i].has_checked_in;
    ms_recount(st);
    return 0;
}

static int on_presence_changed(struct meeting_state *st, json_t *p, const struct event *ev)
{
    char user_id[ID_SIZE];
    bool is_present;
    if (PARSE(p, {"user_id", F_ID, &user_id}, {"is_present", F_BOOL, &is_present}) != 0)
        return OBR_ECORRUPT;
    int i = ms_person_index(st, user_id);
    if (i < 0)
        return 0;
    st->people[i].is_present = is_present;
    ms_recount(st);
    return 0;
}

/* ---- floor ---- */

static int kind_rank(const char *kind)
{
    if (strcmp(kind, "formal") == 0)
        return 0;
    if (strcmp(kind, "ad_vocem") == 0)
        return 1;
    if (strcmp(kind, "normal") == 0)
        return 2;
    return -1;
}

static int on_floor_requested(struct meeting_state *st, json_t *p, const struct event *ev)
{
    struct ms_floor f = {0};
    if (PARSE(p, {"request_id", F_ID, &f.request_id}, {"user_id", F_ID, &f.user_id},
              {"name", F_NAME, &f.name}, {"kind", F_KIND, &f.kind}) != 0)
        return OBR_ECORRUPT;
    int rank = kind_rank(f.kind);
    if (rank < 0)
        return OBR_ECORRUPT;
    if (ms_request_index(st, f.request_id) >= 0)
        return 0;
    if (ms_reserve((void **)&st->queue, &st->cap_queue, st->n_queue + 1, sizeof *st->queue) != 0)
        return OBR_ENOMEM;
    f.at_ms = ev->ts_ms;
    /* After every request of the same or a more urgent kind. */
    int at = 0;
    while (at < st->n_queue && kind_rank(st->queue[at].kind) <= rank)
        at++;
    memmove(&st->queue[at + 1], &st->queue[at], (size_t)(st->n_queue - at) * sizeof f);
    st->queue[at] = f;
    st->n_queue++;
    return 0;
}

static void remove_request(struct meeting_state *st, int i)
{
    memmove(&st->queue[i], &st->queue[i + 1], (size_t)(st->n_queue - i - 1) * sizeof st->queue[0]);
    st->n_queue--;
}

static int on_floor_withdrawn(struct meeting_state *st, json_t *p, const struct event *ev)
{
    char id[ID_SIZE];
    if (PARSE(p, {"request_id", F_ID, &id}) != 0)
        return OBR_ECORRUPT;
    int i = ms_request_index(st, id);
    if (i >= 0)
        remove_request(st, i);
    return 0;
}

static int on_floor_granted(struct meeting_state *st, json_t *p, const struct event *ev)
{
    struct ms_floor f = {0};
    if (PARSE(p, {"request_id", F_ID, &f.request_id}, {"user_id", F_ID, &f.user_id},
              {"name", F_NAME, &f.name}, {"speaking_time_s", F_INT, &f.speaking_time_s},
              {"ends_at", F_INT64, &f.ends_at_ms}) != 0)
        return OBR_ECORRUPT;
    int i = ms_request_index(st, f.request_id);
    if (i >= 0) {
        snprintf(f.kind, sizeof f.kind, "%s", st->queue[i].kind);
        f.at_ms = st->queue[i].at_ms;
        remove_request(st, i);
    } else {
        /* Granted without a request (the chair gives the floor): normal. */
        snprintf(f.kind, sizeof f.kind, "%s", "normal");
        f.at_ms = ev->ts_ms;
    }
    st->speaker = f;
    st->has_speaker = true;
    return 0;
}

static int on_floor_ended(struct meeting_state *st, json_t *p, const struct event *ev)
{
    char id[ID_SIZE];
    if (PARSE(p, {"request_id", F_ID, &id}) != 0)
        return OBR_ECORRUPT;
    if (st->has_speaker && strcmp(st->speaker.request_id, id) == 0) {
        st->has_speaker = false;
        memset(&st->speaker, 0, sizeof st->speaker);
    }
    return 0;
}

/* ---- chat ----
 * chat is a window of at most MS_CHAT_KEEP entries sliding along chat_buf,
 * which holds twice as many: dropping the oldest moves the window, and the
 * window is copied back to the start only when it reaches the end, once per
 * MS_CHAT_KEEP messages. */

static int on_chat_message(struct meeting_state *st, json_t *p, const struct event *ev)
{
    char message_id[ID_SIZE], user_id[ID_SIZE], name[MS_NAME_SIZE], to[12];
    const char *text;
    if (json_object_get(p, "redacted"))
        return 0; /* removed at archiving (api/archive_run.c): nothing to show */
    if (PARSE(p, {"message_id", F_ID, &message_id}, {"user_id", F_ID, &user_id},
              {"name", F_NAME, &name}, {"text", F_TEXT, &text}, {"to", F_KIND, &to}) != 0)
        return OBR_ECORRUPT;
    bool is_to_operator = strcmp(to, "operator") == 0;
    bool is_to_chair = strcmp(to, "chair") == 0;
    if (!is_to_operator && !is_to_chair && strcmp(to, "all") != 0)
        return OBR_ECORRUPT;
    if (!st->chat_buf) {
        st->chat_buf = calloc(2 * MS_CHAT_KEEP, sizeof *st->chat_buf);
        if (!st->chat_buf)
            return OBR_ENOMEM;
        st->chat = st->chat_buf;
    }
    struct ms_chat c = {0};
    c.name = strdup(name);
    c.text = strdup(text);
    if (!c.name || !c.text) {
        ms_chat_free_entry(&c);
        return OBR_ENOMEM;
    }
    snprintf(c.message_id, sizeof c.message_id, "%s", message_id);
    snprintf(c.user_id, sizeof c.user_id, "%s", user_id);
    c.is_to_operator = is_to_operator;
    c.is_to_chair = is_to_chair;
    c.ts_ms = ev->ts_ms;
    if (st->n_chat == MS_CHAT_KEEP) {
        ms_chat_free_entry(&st->chat[0]);
        st->chat++;
        st->n_chat--;
    }
    if (st->chat + st->n_chat == st->chat_buf + 2 * MS_CHAT_KEEP) {
        memmove(st->chat_buf, st->chat, (size_t)st->n_chat * sizeof *st->chat);
        st->chat = st->chat_buf;
    }
    st->chat[st->n_chat++] = c;
    return 0;
}

static int on_chat_hidden(struct meeting_state *st, json_t *p, const struct event *ev)
{
    char id[ID_SIZE];
    if (PARSE(p, {"message_id", F_ID, &id}) != 0)
        return OBR_ECORRUPT;
    int i = ms_chat_index(st, id);
    if (i >= 0)
        st->chat[i].is_hidden = true;
    return 0;
}

static int on_chat_muted(struct meeting_state *st, json_t *p, const struct event *ev)
{
    char user_id[ID_SIZE];
    bool is_muted;
    if (PARSE(p, {"user_id", F_ID, &user_id}, {"is_muted", F_BOOL, &is_muted}) != 0)
        return OBR_ECORRUPT;
    int i = ms_person_index(st, user_id);
    if (i >= 0)
        st->people[i].is_chat_muted = is_muted;
    return 0;
}

static int on_log_budget(struct meeting_state *st, json_t *p, const struct event *ev)
{
    st->is_log_over_budget = true;
    return 0;
}

/* ---- apply ---- */

typedef int (*handler_fn)(struct meeting_state *, json_t *, const struct event *);

/* parts: what the handler may change of what a clone may share (ms_own
 * copies it first). */
static const struct {
    const char *type;
    handler_fn fn;
    unsigned parts;
} handlers[] = {
    {"meeting.created", on_ignored, 0},
    {"meeting.updated", on_ignored, 0},
    {"meeting.convened", on_convened, 0},
    {"meeting.started", on_started, 0},
    {"meeting.closed", on_closed, 0},
    {"agenda.item_added", on_item_added, MS_PART_ITEMS},
    {"agenda.item_updated", on_item_updated, MS_PART_ITEMS},
    {"agenda.item_removed", on_item_removed, MS_PART_ITEMS},
    {"agenda.reordered", on_reordered, MS_PART_ITEMS},
    {"document.added", on_ignored, 0},
    {"document.removed", on_ignored, 0},
    {"participant.added", on_participant_added, MS_PART_PEOPLE},
    {"participant.removed", on_participant_removed, MS_PART_PEOPLE},
    {"scrutiny.set", on_scrutiny_set, MS_PART_PEOPLE},
    {"attendance.started", on_attendance_started, MS_PART_PEOPLE},
    {"attendance.present", on_attendance_present, MS_PART_PEOPLE},
    {"attendance.ended", on_attendance_ended, MS_PART_PEOPLE},
    {"presence.changed", on_presence_changed, MS_PART_PEOPLE},
    {"item.current", on_item_current, 0},
    {"floor.requested", on_floor_requested, 0},
    {"floor.withdrawn", on_floor_withdrawn, 0},
    {"floor.granted", on_floor_granted, 0},
    {"floor.ended", on_floor_ended, 0},
    {"chat.message", on_chat_message, MS_PART_CHAT},
    {"chat.hidden", on_chat_hidden, MS_PART_CHAT},
    {"chat.muted", on_chat_muted, MS_PART_PEOPLE},
    {"log.budget_exceeded", on_log_budget, 0},
};

/* The handler of type, or NULL; *parts as in handlers[]. */
static handler_fn find_handler(const char *type, unsigned *parts)
{
    *parts = 0;
    /* The commonest events (vote.*: ballots) change nothing folded here:
     * no handler may be named vote.* */
    if (!strncmp(type, "vote.", 5))
        return NULL;
    for (size_t i = 0; i < sizeof handlers / sizeof handlers[0]; i++)
        if (strcmp(handlers[i].type, type) == 0) {
            *parts = handlers[i].parts;
            return handlers[i].fn;
        }
    return NULL;
}

int meeting_state_apply(struct meeting_state *st, const struct event *ev)
{
    if (!st || !ev || !ev->type || !ev->payload)
        return OBR_EINVAL;
    if (ev->seq != st->seq + 1)
        return OBR_EINVAL;
    unsigned parts;
    handler_fn fn = find_handler(ev->type, &parts);
    if (parts && ms_own(st, parts) != 0)
        return OBR_ENOMEM;
    meeting_state_memo_forget(st); /* made from the state before this event */
    if (fn) {
        json_t *p = json_loads(ev->payload, JSON_REJECT_DUPLICATES, NULL);
        if (!json_is_object(p)) {
            json_decref(p);
            return OBR_ECORRUPT;
        }
        int rc = fn(st, p, ev);
        json_decref(p);
        if (rc != 0)
            return rc;
    }
    st->seq = ev->seq;
    st->log_bytes += (int64_t)strlen(ev->payload);
    size_t hash_len = strnlen(ev->hash, sizeof st->hash - 1);
    memcpy(st->hash, ev->hash, hash_len);
    st->hash[hash_len] = '\0';
    return 0;
}
