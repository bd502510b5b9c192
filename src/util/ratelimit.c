/* ratelimit.c — token buckets in an open-addressing table (see ratelimit.h). */
#include "util/ratelimit.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define KEY_MAX 96

struct bucket {
    char key[KEY_MAX]; /* "" when free */
    double tokens;
    int64_t at_ms;
};

struct ratelimit {
    pthread_mutex_t lock; /* guards slots */
    double rate, burst;
    size_t n_slots, used;
    struct bucket *slots;
};

struct ratelimit *ratelimit_new(double rate_per_s, double burst, size_t max_keys)
{
    struct ratelimit *rl = calloc(1, sizeof *rl);
    if (!rl)
        return NULL;
    rl->rate = rate_per_s;
    rl->burst = burst;
    rl->n_slots = max_keys * 2; /* half full at most: probes stay short */
    rl->slots = calloc(rl->n_slots, sizeof *rl->slots);
    if (!rl->slots) {
        free(rl);
        return NULL;
    }
    pthread_mutex_init(&rl->lock, NULL);
    return rl;
}

void ratelimit_free(struct ratelimit *rl)
{
    if (!rl)
        return;
    pthread_mutex_destroy(&rl->lock);
    free(rl->slots);
    free(rl);
}

static size_t hash_key(const char *k)
{
    size_t h = 1469598103934665603ull;
    for (; *k; k++)
        h = (h ^ (unsigned char)*k) * 1099511628211ull;
    return h;
}

static double refill(const struct ratelimit *rl, const struct bucket *b, int64_t now_ms)
{
    double t = b->tokens + (double)(now_ms - b->at_ms) / 1000.0 * rl->rate;
    return t > rl->burst ? rl->burst : t;
}

/* Forgets buckets that have refilled completely; they hold no information. */
static void sweep(struct ratelimit *rl, int64_t now_ms)
{
    struct bucket *old = rl->slots;
    struct bucket *fresh = calloc(rl->n_slots, sizeof *fresh);
    if (!fresh)
        return;
    rl->used = 0;
    for (size_t i = 0; i < rl->n_slots; i++) {
        if (!old[i].key[0] || refill(rl, &old[i], now_ms) >= rl->burst)
            continue;
        size_t j = hash_key(old[i].key) % rl->n_slots;
        while (fresh[j].key[0])
            j = (j + 1) % rl->n_slots;
        fresh[j] = old[i];
        rl->used++;
    }
    free(old);
    rl->slots = fresh;
}

bool ratelimit_take(struct ratelimit *rl, const char *key, int64_t now_ms,
                    unsigned *retry_after_s)
{
    char k[KEY_MAX];
    strncpy(k, key, KEY_MAX - 1);
    k[KEY_MAX - 1] = '\0';
    if (!k[0])
        k[0] = '?';
    pthread_mutex_lock(&rl->lock);
    size_t i = hash_key(k) % rl->n_slots;
    while (rl->slots[i].key[0] && strcmp(rl->slots[i].key, k))
        i = (i + 1) % rl->n_slots;
    struct bucket *b = &rl->slots[i];
    if (!b->key[0]) {
        if (rl->used * 2 >= rl->n_slots) {
            sweep(rl, now_ms);
            pthread_mutex_unlock(&rl->lock);
            if (rl->used * 2 >= rl->n_slots) {
                if (retry_after_s)
                    *retry_after_s = 1;
                return false;
            }
            return ratelimit_take(rl, key, now_ms, retry_after_s);
        }
        memcpy(b->key, k, KEY_MAX);
        b->tokens = rl->burst;
        b->at_ms = now_ms;
        rl->used++;
    }
    b->tokens = refill(rl, b, now_ms);
    b->at_ms = now_ms;
    bool ok = b->tokens >= 1.0;
    if (ok)
        b->tokens -= 1.0;
    else if (retry_after_s)
        *retry_after_s = (unsigned)ceil((1.0 - b->tokens) / rl->rate);
    pthread_mutex_unlock(&rl->lock);
    return ok;
}

void ratelimit_params(const struct ratelimit *rl, double *rate_per_s, double *burst)
{
    *rate_per_s = rl->rate;
    *burst = rl->burst;
}
