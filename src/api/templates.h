/* templates.h — meeting templates and copies (issue 17, item 3): the body's
 * templates (templates.c) and new meetings made from a template or as a copy
 * of an earlier meeting (meeting_copy.c), which share the agenda's shape:
 * [{title, description}]. */
#ifndef OBR_API_TEMPLATES_H
#define OBR_API_TEMPLATES_H

#include <jansson.h>

#include "http/req.h"
#include "store/meetings.h"

/* Most items an agenda of a template may have. */
#define TEMPLATE_AGENDA_MAX 100

/* Checks v is an agenda: 1..TEMPLATE_AGENDA_MAX objects with only a title
 * (single line, 1..200 characters) and an optional description (0..4000).
 * → a clean copy in *out. Replies 422 naming field and returns -1 otherwise. */
int template_agenda_parse(struct req *rq, const char *field, json_t *v, json_t **out);

/* Creates m (draft, filled: body_id, title, starts_at_ms, settings) with the
 * agenda's items in one transaction (meeting.created, then an
 * agenda.item_added per item) and replies 201 with the meeting and its
 * agenda. actor: who. */
void template_create_meeting(struct req *rq, const char *actor, struct meeting *m,
                             const json_t *agenda);

#endif
