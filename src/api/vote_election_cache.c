/* vote_election_cache.c — the parsed elections of secret votes being cast.
 * An election is fixed when its vote opens and never changes, so a parsed
 * and checked one (every trustee's proof verified) can serve every ballot
 * of the vote instead of reading and re-verifying it per ballot. A few
 * entries, reference-counted: one evicted while a ballot still uses it is
 * freed by that ballot's release. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/vote_impl.h"
#include "crypto/evote.h"
#include "store/secret_votes.h"

#define ELECTIONS_CACHED 32

struct cached_election {
    char vote_id[ID_SIZE];
    struct evote_election *e;
    json_t *election; /* what e refers to */
    int refs;         /* the cache's own reference counts as one */
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct cached_election *cache[ELECTIONS_CACHED];
static unsigned next_victim;

static void unref_locked(struct cached_election *c, struct cached_election **to_free)
{
    if (--c->refs == 0)
        *to_free = c;
}

static void destroy(struct cached_election *c)
{
    if (!c)
        return;
    evote_election_free(c->e);
    json_decref(c->election);
    free(c);
}

int vote_election_acquire(struct db *db, const char *vote_id, const struct evote_election **e,
                          struct cached_election **handle, char *why, size_t why_size)
{
    pthread_mutex_lock(&lock);
    for (int i = 0; i < ELECTIONS_CACHED; i++)
        if (cache[i] && !strcmp(cache[i]->vote_id, vote_id)) {
            cache[i]->refs++;
            *handle = cache[i];
            *e = cache[i]->e;
            pthread_mutex_unlock(&lock);
            return 0;
        }
    pthread_mutex_unlock(&lock);

    struct vote_election ve;
    int rc = vote_elections_get(db, vote_id, &ve);
    if (rc) {
        snprintf(why, why_size, "%s", rc == OBR_ENOTFOUND ? "the vote is not open" : "no election");
        return rc;
    }
    struct cached_election *c = calloc(1, sizeof *c);
    if (!c || evote_election_parse(ve.election, &c->e, why, why_size)) {
        vote_election_clear(&ve);
        destroy(c);
        return c ? OBR_ECORRUPT : OBR_ENOMEM;
    }
    snprintf(c->vote_id, sizeof c->vote_id, "%s", vote_id);
    c->election = json_incref(ve.election);
    c->refs = 2; /* the cache's and the caller's */
    vote_election_clear(&ve);

    struct cached_election *evicted = NULL;
    pthread_mutex_lock(&lock);
    unsigned slot = next_victim++ % ELECTIONS_CACHED;
    if (cache[slot])
        unref_locked(cache[slot], &evicted);
    cache[slot] = c;
    pthread_mutex_unlock(&lock);
    destroy(evicted);
    *handle = c;
    *e = c->e;
    return 0;
}

void vote_election_release(struct cached_election *c)
{
    struct cached_election *to_free = NULL;
    pthread_mutex_lock(&lock);
    unref_locked(c, &to_free);
    pthread_mutex_unlock(&lock);
    destroy(to_free);
}

void votes_free_caches(void)
{
    pthread_mutex_lock(&lock);
    for (int i = 0; i < ELECTIONS_CACHED; i++) {
        struct cached_election *to_free = NULL;
        if (cache[i])
            unref_locked(cache[i], &to_free);
        cache[i] = NULL;
        destroy(to_free);
    }
    pthread_mutex_unlock(&lock);
}
