/* fuzz_board.c — the bulletin-board parser and verifier through its public
 * entry point only (evote_board_verify; the board format is evolving): any
 * JSON is verified or refused with a reason, never crashes or leaks. */
#include <stdint.h>

#include "crypto/evote.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *board = json_loadb((const char *)data, size, 0, NULL);
    if (!board)
        return 0;
    struct evote_board_summary sum;
    char why[512] = "";
    if (evote_board_verify(board, 1, &sum, why, sizeof why) == 0)
        FZ_CHECK(sum.n_options >= 1 && sum.n_voters >= sum.n_ballots, "summary of a valid board");
    else
        FZ_CHECK(why[0], "refused without a reason");
    json_decref(board);
    return 0;
}
