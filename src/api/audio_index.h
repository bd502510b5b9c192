/* audio_index.h — where each current agenda item and each vote begins in a
 * meeting's recording, and the gaps between sources, read from its log. */
#ifndef OBRADY_API_AUDIO_INDEX_H
#define OBRADY_API_AUDIO_INDEX_H

#include <jansson.h>

struct db;

/* Appends {kind: "item"|"vote", id, offset_ms} to marks and {offset_ms,
 * length_ms} to gaps, from the events of meeting_id visible at visibility.
 * 0 or an OBR_E code. */
int audio_index_read(struct db *db, const char *meeting_id, int visibility, json_t *marks,
                     json_t *gaps);

/* {item_id: offset_ms} of the first time each item became current while the
 * recording ran; NULL on a store error. */
json_t *audio_item_offsets(struct db *db, const char *meeting_id, int visibility);

#endif
