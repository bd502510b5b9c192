/* meeting_state_index.c — people by user id in a hash table and their order
 * by name, built once per change of the people (meeting_state.h
 * meeting_state_index_people): a ballot, a vote read or a named list looks
 * a person up in O(1) and sorts names by a number instead of scanning the
 * list and collating names on every compare. */
#include "core/meeting_state.h"

#include <stdlib.h>
#include <string.h>

#include "core/meeting_state_impl.h"
#include "core/pl_collate.h"
#include "util/err.h"

static unsigned hash_id(const char *s)
{
    unsigned h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h;
}

int ms_person_index_hashed(const struct meeting_state *st, const char *user_id)
{
    unsigned mask = (unsigned)st->people_idx_cap - 1;
    for (unsigned k = hash_id(user_id) & mask;; k = (k + 1) & mask) {
        int slot = st->people_idx[k];
        if (!slot)
            return -1;
        if (!strcmp(st->people[slot - 1].user_id, user_id))
            return slot - 1;
    }
}

/* qsort's context for ranking (the state being indexed). */
static _Thread_local const struct meeting_state *ranking;

static int cmp_by_name(const void *a, const void *b)
{
    const struct ms_person *p = &ranking->people[*(const int *)a];
    const struct ms_person *q = &ranking->people[*(const int *)b];
    return pl_compare_names(p->name, q->name);
}

static int rank_people(struct meeting_state *st)
{
    int n = st->n_people;
    int *order = malloc((size_t)(n ? n : 1) * sizeof *order);
    if (!order)
        return OBR_ENOMEM;
    for (int i = 0; i < n; i++)
        order[i] = i;
    ranking = st;
    qsort(order, (size_t)n, sizeof *order, cmp_by_name);
    ranking = NULL;
    for (int i = 0, rank = 0; i < n; i++) {
        if (i && pl_compare_names(st->people[order[i - 1]].name, st->people[order[i]].name))
            rank = i;
        st->people[order[i]].name_rank = rank;
    }
    free(order);
    return 0;
}

int meeting_state_index_people(struct meeting_state *st)
{
    if (!st)
        return OBR_EINVAL;
    if (st->is_people_indexed)
        return 0;
    if (ms_own(st, MS_PART_PEOPLE) != 0) /* ranks and the index are written below */
        return OBR_ENOMEM;
    int cap = 8;
    while (cap < 2 * st->n_people)
        cap *= 2;
    int *idx = calloc((size_t)cap, sizeof *idx);
    if (!idx || rank_people(st)) {
        free(idx);
        return OBR_ENOMEM;
    }
    unsigned mask = (unsigned)cap - 1;
    for (int i = 0; i < st->n_people; i++) {
        unsigned k = hash_id(st->people[i].user_id) & mask;
        while (idx[k])
            k = (k + 1) & mask;
        idx[k] = i + 1;
    }
    free(st->people_idx);
    st->people_idx = idx;
    st->people_idx_cap = cap;
    st->is_people_indexed = true;
    return 0;
}
