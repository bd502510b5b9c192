/* eligible_index.c — see eligible_index.h. A few indexes, each holding a
 * reference to its array (so the array, and the strings the index points
 * into, stay alive and its address cannot be reused by another array);
 * the least recently used one gives way to a new array. Small arrays are
 * walked as before. */
#include "api/eligible_index.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define N_SLOTS 16
#define MIN_INDEXED 16 /* shorter lists: the walk is as quick */

struct slot {
    json_t *array; /* a reference; NULL: free */
    const char **ids; /* sorted, pointing into array's strings */
    size_t n;
    uint64_t used;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct slot slots[N_SLOTS];
static uint64_t clock_ticks;

static int by_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool walk(const json_t *eligible, const char *user_id)
{
    size_t i;
    json_t *e;
    json_array_foreach ((json_t *)eligible, i, e) {
        const char *s = json_string_value(e);
        if (s && !strcmp(s, user_id))
            return true;
    }
    return false;
}

static void drop(struct slot *s)
{
    json_decref(s->array);
    free(s->ids);
    memset(s, 0, sizeof *s);
}

/* Called with lock held: the slot of eligible, built when missing; NULL
 * when out of memory. */
static struct slot *slot_of(const json_t *eligible)
{
    struct slot *oldest = &slots[0];
    for (int i = 0; i < N_SLOTS; i++) {
        if (slots[i].array == eligible)
            return &slots[i];
        if (slots[i].used < oldest->used)
            oldest = &slots[i];
    }
    size_t n = json_array_size(eligible), k = 0;
    const char **ids = malloc(n * sizeof *ids);
    if (!ids)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const char *s = json_string_value(json_array_get(eligible, i));
        if (s)
            ids[k++] = s;
    }
    qsort(ids, k, sizeof *ids, by_text);
    drop(oldest);
    oldest->array = json_incref((json_t *)eligible);
    oldest->ids = ids;
    oldest->n = k;
    return oldest;
}

bool eligible_has(const json_t *eligible, const char *user_id)
{
    if (!json_is_array(eligible) || !user_id)
        return false;
    if (json_array_size(eligible) < MIN_INDEXED)
        return walk(eligible, user_id);
    pthread_mutex_lock(&lock);
    struct slot *s = slot_of(eligible);
    bool is_in;
    if (s) {
        s->used = ++clock_ticks;
        is_in = bsearch(&user_id, s->ids, s->n, sizeof *s->ids, by_text) != NULL;
    } else {
        is_in = walk(eligible, user_id);
    }
    pthread_mutex_unlock(&lock);
    return is_in;
}

void eligible_index_reset(void)
{
    pthread_mutex_lock(&lock);
    for (int i = 0; i < N_SLOTS; i++)
        drop(&slots[i]);
    pthread_mutex_unlock(&lock);
}
