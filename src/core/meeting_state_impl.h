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
/* Recomputes present_count and has_quorum from people. */
void ms_recount(struct meeting_state *st);
/* Frees what one chat entry owns. */
void ms_chat_free_entry(struct ms_chat *c);

#endif
