/* meeting_state_memo.c — answers made once from a state snapshot and kept
 * with it (see struct ms_memo in meeting_state.h): a shared snapshot is
 * read only, so its serialized JSON for a viewer class is the same for
 * every reader until a newer snapshot replaces it. Slots are filled with an
 * atomic compare-and-swap; they are freed only by the state's only holder. */
#include "core/meeting_state.h"

#include <stdlib.h>

const struct ms_memo *meeting_state_memo(const struct meeting_state *st, int slot)
{
    if (!st || slot < 0 || slot >= MS_MEMO_SLOTS)
        return NULL;
    return __atomic_load_n(&st->memo[slot], __ATOMIC_ACQUIRE);
}

const struct ms_memo *meeting_state_memo_put(const struct meeting_state *st, int slot,
                                             struct ms_memo *m)
{
    if (!st || slot < 0 || slot >= MS_MEMO_SLOTS || !m) {
        free(m);
        return NULL;
    }
    /* The slots are a cache beside the snapshot, not part of its value. */
    struct ms_memo **p = (struct ms_memo **)&st->memo[slot];
    struct ms_memo *expected = NULL;
    if (__atomic_compare_exchange_n(p, &expected, m, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return m;
    free(m);
    return expected;
}

void meeting_state_memo_forget(struct meeting_state *st)
{
    if (!st)
        return;
    for (int i = 0; i < MS_MEMO_SLOTS; i++) {
        free(st->memo[i]);
        st->memo[i] = NULL;
    }
}
