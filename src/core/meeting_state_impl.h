/* meeting_state_impl.h — helpers shared by the meeting_state*.c files only;
 * not part of the module's interface. */
#ifndef OBR_MEETING_STATE_IMPL_H
#define OBR_MEETING_STATE_IMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/meeting_state.h"

bool ms_status_is(const struct meeting_state *st, const char *status);
/* Grows *arr to hold need elements of elem bytes; 0 or OBR_ENOMEM (then
 * nothing changed). */
int ms_reserve(void **arr, int *cap, int need, size_t elem);
/* Index in people / items / queue / chat, or -1. */
int ms_person_index(const struct meeting_state *st, const char *user_id);
/* ms_person_index through the index (is_people_indexed only). */
int ms_person_index_hashed(const struct meeting_state *st, const char *user_id);
int ms_item_index(const struct meeting_state *st, const char *item_id);
int ms_request_index(const struct meeting_state *st, const char *request_id);
int ms_chat_index(const struct meeting_state *st, const char *message_id);
/* The parts a state shares with its clones until one side changes them
 * (copy on write, meeting_state_clone.c). */
enum {
    MS_PART_PEOPLE = 1, /* people and people_idx */
    MS_PART_ITEMS = 2,  /* items and their descriptions */
    MS_PART_CHAT = 4,   /* chat_buf and its messages */
};
/* Makes st the only holder of parts (copying those a clone shares) before
 * anything changes them; 0 or OBR_ENOMEM (then st's value is unchanged). */
int ms_own(struct meeting_state *st, unsigned parts);
/* Drops st's hold on its shared parts; the last holder frees them. */
void ms_release(struct meeting_state *st);
/* Recomputes present_count and has_quorum from people. */
void ms_recount(struct meeting_state *st);
/* Frees what one chat entry owns. */
void ms_chat_free_entry(struct ms_chat *c);

#endif
