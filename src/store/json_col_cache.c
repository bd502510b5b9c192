/* json_col_cache.c — see json_col_cache.h. A direct-mapped table under one
 * mutex per slot; a slot keeps the row id, a copy of the text and the
 * parsed value (jansson's reference counts are atomic). */
#include "store/json_col_cache.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define JCC_SLOTS 256
#define JCC_ID_MAX 64

struct slot {
    pthread_mutex_t lock;
    char row_id[JCC_ID_MAX]; /* "" when empty */
    char *text;
    size_t len;
    json_t *value;
};

#define SLOT_INIT                                                                                  \
    {                                                                                              \
        PTHREAD_MUTEX_INITIALIZER, "", NULL, 0, NULL                                               \
    }
static struct slot slots[JCC_SLOTS] = {[0 ... JCC_SLOTS - 1] = SLOT_INIT};

static unsigned slot_of(const char *row_id)
{
    unsigned h = 2166136261u; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)row_id; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h % JCC_SLOTS;
}

json_t *json_col_cache_get(const char *row_id, const char *text)
{
    if (!text)
        return NULL;
    size_t len = strlen(text), id_len = strlen(row_id);
    if (id_len >= JCC_ID_MAX)
        return json_loads(text, JSON_DECODE_ANY, NULL);
    struct slot *e = &slots[slot_of(row_id)];
    json_t *v = NULL;
    pthread_mutex_lock(&e->lock);
    if (!strcmp(e->row_id, row_id) && e->len == len && !memcmp(e->text, text, len))
        v = json_incref(e->value);
    pthread_mutex_unlock(&e->lock);
    if (v)
        return v;
    v = json_loads(text, JSON_DECODE_ANY, NULL);
    char *copy = v ? malloc(len + 1) : NULL;
    if (!copy)
        return v;
    memcpy(copy, text, len + 1);
    pthread_mutex_lock(&e->lock);
    char *old_text = e->text;
    json_t *old_value = e->value;
    memcpy(e->row_id, row_id, id_len + 1);
    e->text = copy;
    e->len = len;
    e->value = json_incref(v);
    pthread_mutex_unlock(&e->lock);
    free(old_text);
    json_decref(old_value);
    return v;
}

void json_col_cache_reset(void)
{
    for (int i = 0; i < JCC_SLOTS; i++) {
        struct slot *e = &slots[i];
        pthread_mutex_lock(&e->lock);
        free(e->text);
        json_decref(e->value);
        e->row_id[0] = '\0';
        e->text = NULL;
        e->len = 0;
        e->value = NULL;
        pthread_mutex_unlock(&e->lock);
    }
}
