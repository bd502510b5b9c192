/* meeting_state_clone.c — a copy of a folded state, so a cache can keep one
 * state and hand every caller its own (api/meeting_cache.c), and a ballot
 * batch can fold its events into its own (api/vote_batch.c). The people
 * (with their index), the agenda and the chat, the bulk of a large meeting,
 * are shared with the clone and copied only before one side changes them
 * (ms_own, copy on write); the rest is copied. A new owned field in
 * meeting_state_free is a new share or copy here (test_meeting_cache.c
 * compares clones with fresh folds). */
#include "core/meeting_state.h"

#include <stdlib.h>
#include <string.h>

#include "core/meeting_state_impl.h"
#include "util/err.h"

static void *dup_array(const void *src, int n, size_t elem)
{
    if (n <= 0)
        return NULL;
    void *p = malloc((size_t)n * elem);
    if (p)
        memcpy(p, src, (size_t)n * elem);
    return p;
}

/* Drops one hold on a shared part; true when it was the last (then the
 * caller frees the part). A part never shared (refs NULL) is the state's. */
static bool drop(int *refs)
{
    /* Release on every drop, acquire on the last, as for events. */
    if (refs && __atomic_sub_fetch(refs, 1, __ATOMIC_ACQ_REL) > 0)
        return false;
    free(refs);
    return true;
}

static bool is_shared(const int *refs)
{
    return refs && __atomic_load_n(refs, __ATOMIC_ACQUIRE) > 1;
}

static void free_items(struct ms_item *items, int n)
{
    for (int i = 0; i < n; i++)
        free(items[i].description);
    free(items);
}

static void free_chat(struct ms_chat *buf, struct ms_chat *chat, int n)
{
    for (int i = 0; i < n; i++)
        ms_chat_free_entry(&chat[i]);
    free(buf);
}

void ms_release(struct meeting_state *st)
{
    if (drop(st->people_refs)) {
        free(st->people);
        free(st->people_idx);
    }
    if (drop(st->items_refs))
        free_items(st->items, st->n_items);
    if (drop(st->chat_refs))
        free_chat(st->chat_buf, st->chat, st->n_chat);
    st->people_refs = st->items_refs = st->chat_refs = NULL;
}

/* ---- copies taken before a change ---- */

static int own_people(struct meeting_state *st)
{
    int cap = st->n_people ? st->n_people : 1;
    struct ms_person *people = malloc((size_t)cap * sizeof *people);
    int *idx = st->people_idx ? malloc((size_t)st->people_idx_cap * sizeof *idx) : NULL;
    if (!people || (st->people_idx && !idx)) {
        free(people);
        free(idx);
        return OBR_ENOMEM;
    }
    memcpy(people, st->people, (size_t)st->n_people * sizeof *people);
    if (idx)
        memcpy(idx, st->people_idx, (size_t)st->people_idx_cap * sizeof *idx);
    if (drop(st->people_refs)) { /* the other holder let go meanwhile */
        free(st->people);
        free(st->people_idx);
    }
    st->people = people;
    st->people_idx = idx;
    st->cap_people = cap;
    return 0;
}

static int own_items(struct meeting_state *st)
{
    int n = st->n_items, cap = n ? n : 1;
    struct ms_item *items = malloc((size_t)cap * sizeof *items);
    if (!items)
        return OBR_ENOMEM;
    memcpy(items, st->items, (size_t)n * sizeof *items);
    for (int i = 0; i < n; i++) {
        items[i].description = strdup(st->items[i].description);
        if (!items[i].description) {
            free_items(items, i);
            return OBR_ENOMEM;
        }
    }
    if (drop(st->items_refs))
        free_items(st->items, n);
    st->items = items;
    st->cap_items = cap;
    return 0;
}

static int own_chat(struct meeting_state *st)
{
    struct ms_chat *buf = calloc(2 * MS_CHAT_KEEP, sizeof *buf);
    if (!buf)
        return OBR_ENOMEM;
    for (int i = 0; i < st->n_chat; i++) {
        struct ms_chat c = st->chat[i];
        c.name = strdup(st->chat[i].name);
        c.text = strdup(st->chat[i].text);
        if (!c.name || !c.text) {
            ms_chat_free_entry(&c);
            free_chat(buf, buf, i);
            return OBR_ENOMEM;
        }
        buf[i] = c;
    }
    if (drop(st->chat_refs))
        free_chat(st->chat_buf, st->chat, st->n_chat);
    st->chat_buf = st->chat = buf;
    return 0;
}

/* Makes *refs this state's alone: a shared part is copied by copy (which
 * drops the old hold), a part never shared gets its count. */
static int own_part(struct meeting_state *st, int **refs, int (*copy)(struct meeting_state *))
{
    if (*refs && !is_shared(*refs))
        return 0;
    int *mine = malloc(sizeof *mine);
    if (!mine)
        return OBR_ENOMEM;
    *mine = 1;
    if (*refs) {
        int rc = copy(st);
        if (rc) {
            free(mine);
            return rc;
        }
    }
    *refs = mine;
    return 0;
}

int ms_own(struct meeting_state *st, unsigned parts)
{
    int rc = 0;
    if (parts & MS_PART_PEOPLE)
        rc = own_part(st, &st->people_refs, own_people);
    if (!rc && (parts & MS_PART_ITEMS))
        rc = own_part(st, &st->items_refs, own_items);
    if (!rc && (parts & MS_PART_CHAT))
        rc = own_part(st, &st->chat_refs, own_chat);
    return rc;
}

/* ---- the clone ---- */

static void share(int *refs)
{
    if (refs)
        __atomic_add_fetch(refs, 1, __ATOMIC_RELAXED);
}

struct meeting_state *meeting_state_clone(const struct meeting_state *src)
{
    if (!src)
        return NULL;
    struct meeting_state *st = malloc(sizeof *st);
    if (!st)
        return NULL;
    *st = *src; /* the shared parts' pointers, counted below */
    st->refs = 1;
    for (int i = 0; i < MS_MEMO_SLOTS; i++)
        st->memo[i] = NULL; /* the copy is about to change: nothing of src's */
    share(st->people_refs);
    share(st->items_refs);
    share(st->chat_refs);
    st->queue = NULL;
    st->cap_queue = 0;
    if (!src->people_refs)
        st->people_idx = NULL; /* an index of no people: the clone's own, below */
    if (!src->people_refs && src->people_idx) {
        st->people_idx = dup_array(src->people_idx, src->people_idx_cap, sizeof *src->people_idx);
        if (!st->people_idx)
            goto fail;
    }
    st->queue = dup_array(src->queue, src->n_queue, sizeof *src->queue);
    if (src->n_queue && !st->queue)
        goto fail;
    st->cap_queue = src->n_queue;
    return st;
fail:
    meeting_state_free(st);
    return NULL;
}
