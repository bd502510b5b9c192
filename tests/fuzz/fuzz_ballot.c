/* fuzz_ballot.c — the ballot verifier (crypto/evote_ballot.c) against a
 * fixed election from the known-answer vectors: any ballot JSON is refused
 * with a reason or accepted; an accepted ballot has a tracker. */
#include <stdint.h>

#include "crypto/evote.h"
#include "fuzz_util.h"

static struct evote_election *election;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *path = getenv("FUZZ_EVOTE_VECTORS");
    json_error_t err;
    json_t *v = json_load_file(path ? path : "tests/vectors/evote-v1.json", 0, &err);
    json_t *el = json_object_get(json_array_get(json_object_get(v, "elections"), 0), "election");
    char why[256];
    if (!el || evote_election_parse(el, &election, why, sizeof why)) {
        fprintf(stderr, "fuzz_ballot: no election in the vectors (%s)\n", err.text);
        abort();
    }
    json_decref(v);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *ballot = json_loadb((const char *)data, size, 0, NULL);
    if (!ballot)
        return 0;
    char why[256] = "";
    if (evote_ballot_verify(election, ballot, why, sizeof why) == 0) {
        char tracker[EVOTE_HEX + 1];
        FZ_CHECK(evote_tracker(ballot, tracker) == 0 && strlen(tracker) == EVOTE_HEX,
                 "accepted ballot without a tracker");
    } else {
        FZ_CHECK(why[0], "refused without a reason");
    }
    json_decref(ballot);
    return 0;
}
