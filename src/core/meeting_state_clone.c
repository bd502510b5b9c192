/* meeting_state_clone.c — a deep copy of a folded state, so a cache can keep
 * one state and hand every caller its own (api/meeting_cache.c). It must own
 * exactly what meeting_state_free frees: a new owned field there is a new
 * copy here (test_meeting_cache.c compares clones with fresh folds). */
#include "core/meeting_state.h"

#include <stdlib.h>
#include <string.h>

#include "core/meeting_state_impl.h"

static void *dup_array(const void *src, int n, size_t elem)
{
    if (n <= 0)
        return NULL;
    void *p = malloc((size_t)n * elem);
    if (p)
        memcpy(p, src, (size_t)n * elem);
    return p;
}

struct meeting_state *meeting_state_clone(const struct meeting_state *src)
{
    if (!src)
        return NULL;
    struct meeting_state *st = malloc(sizeof *st);
    if (!st)
        return NULL;
    *st = *src;
    st->refs = 1;
    for (int i = 0; i < MS_MEMO_SLOTS; i++)
        st->memo[i] = NULL; /* the copy is about to change: nothing of src's */
    st->people = NULL;
    st->items = NULL;
    st->queue = NULL;
    st->chat = st->chat_buf = NULL;
    st->people_idx = NULL;
    st->n_items = st->n_chat = 0; /* counts only what is already owned, for free on failure */
    st->cap_people = st->cap_items = st->cap_queue = 0;

    st->people = dup_array(src->people, src->n_people, sizeof *src->people);
    st->queue = dup_array(src->queue, src->n_queue, sizeof *src->queue);
    st->items = dup_array(src->items, src->n_items, sizeof *src->items);
    if ((src->n_people && !st->people) || (src->n_queue && !st->queue) ||
        (src->n_items && !st->items))
        goto fail;
    if (src->people_idx) {
        st->people_idx = dup_array(src->people_idx, src->people_idx_cap, sizeof *src->people_idx);
        if (!st->people_idx)
            goto fail;
    }
    st->cap_people = src->n_people;
    st->cap_queue = src->n_queue;
    st->cap_items = src->n_items;
    for (int i = 0; i < src->n_items; i++) {
        st->items[i].description = strdup(src->items[i].description);
        if (!st->items[i].description)
            goto fail;
        st->n_items = i + 1;
    }
    if (src->chat_buf) {
        st->chat_buf = calloc(2 * MS_CHAT_KEEP, sizeof *st->chat_buf);
        if (!st->chat_buf)
            goto fail;
        st->chat = st->chat_buf;
        for (int i = 0; i < src->n_chat; i++) {
            struct ms_chat c = src->chat[i];
            c.name = strdup(src->chat[i].name);
            c.text = strdup(src->chat[i].text);
            if (!c.name || !c.text) {
                ms_chat_free_entry(&c);
                goto fail;
            }
            st->chat[st->n_chat++] = c;
        }
    }
    return st;
fail:
    meeting_state_free(st);
    return NULL;
}
