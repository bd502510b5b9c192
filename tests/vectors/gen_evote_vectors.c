/* gen_evote_vectors.c — prints the evote known-answer vectors (see
 * tests/unit/evote_vectors.h) as JSON: make evote-vectors rewrites
 * tests/vectors/evote-v1.json with it. */
#include <sodium.h>

#include "evote_vectors.h"

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    json_t *v = evote_vectors_make();
    if (!v)
        return 1;
    char *s = json_dumps(v, JSON_INDENT(1) | JSON_ENSURE_ASCII);
    puts(s);
    free(s);
    json_decref(v);
    return 0;
}
