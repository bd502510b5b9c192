/* templates.c — a body's meeting templates: GET/POST /api/bodies/{id}/templates
 * and DELETE /api/bodies/{id}/templates/{template} (MEETING_PREPARE: the
 * office). A template is a named agenda and the settings a new meeting starts
 * with; `standard: true` gives the standard agenda of a session in the
 * organisation's language (opening, quorum, agenda, previous protocol,
 * interpellations, resolutions, motions, closing). */
#include <string.h>

#include "api/auth.h"
#include "api/handlers.h"
#include "api/members.h"
#include "api/templates.h"
#include "api/validate.h"
#include "store/db.h"
#include "store/templates.h"
#include "util/utf8.h"

static const char *const MODES[] = {"in_person", "remote", "hybrid", NULL};

static const char *const STANDARD_PL[] = {
    "Otwarcie sesji i stwierdzenie prawomocności obrad",
    "Przyjęcie porządku obrad",
    "Przyjęcie protokołu z poprzedniej sesji",
    "Interpelacje i zapytania radnych",
    "Podjęcie uchwał",
    "Wolne wnioski i informacje",
    "Zamknięcie sesji",
    NULL,
};
static const char *const STANDARD_EN[] = {
    "Opening of the session and confirmation of the quorum",
    "Adoption of the agenda",
    "Adoption of the minutes of the previous session",
    "Interpellations and questions",
    "Resolutions",
    "Motions and information",
    "Closing of the session",
    NULL,
};

static bool text_ok(const char *s, size_t min, size_t max, bool multiline)
{
    size_t len = strlen(s), n = utf8_length(s, len);
    return utf8_is_text(s, len, multiline) && n >= min && n <= max;
}

int template_agenda_parse(struct req *rq, const char *field, json_t *v, json_t **out)
{
    *out = NULL;
    if (!json_is_array(v)) {
        reply_error(rq, ERR_WRONG_TYPE, field);
        return -1;
    }
    size_t n = json_array_size(v);
    if (n < 1 || n > TEMPLATE_AGENDA_MAX) {
        reply_error(rq, ERR_OUT_OF_RANGE, field);
        return -1;
    }
    json_t *clean = json_array();
    size_t i;
    json_t *it;
    json_array_foreach (v, i, it) {
        const char *key;
        json_t *val;
        bool is_bad = !json_is_object(it) || !json_is_string(json_object_get(it, "title"));
        json_object_foreach (is_bad ? NULL : it, key, val) {
            if (strcmp(key, "title") && strcmp(key, "description"))
                is_bad = true;
        }
        const char *title = json_string_value(json_object_get(it, "title"));
        json_t *d = json_object_get(it, "description");
        const char *desc = json_is_string(d) ? json_string_value(d) : "";
        if (is_bad || (d && !json_is_string(d) && !json_is_null(d))) {
            json_decref(clean);
            reply_error(rq, ERR_WRONG_TYPE, field);
            return -1;
        }
        if (!text_ok(title, 1, 200, false) || !text_ok(desc, 0, 4000, true)) {
            json_decref(clean);
            reply_error(rq, ERR_OUT_OF_RANGE, field);
            return -1;
        }
        json_array_append_new(clean, json_pack("{s:s, s:s}", "title", title, "description", desc));
    }
    *out = clean;
    return 0;
}

/* The body named by path parameter "id", the caller allowed to prepare its meetings. */
static int load(struct req *rq, struct principal *p, struct body *b)
{
    if (principal_require(rq, p) < 0 || api_load_body(rq, "id", b) < 0 ||
        perm_require(rq, p, ACT_MEETING_PREPARE, b->org_id, b->id) < 0)
        return -1;
    return 0;
}

void api_templates_list(struct req *rq)
{
    struct principal p;
    struct body b;
    if (load(rq, &p, &b) < 0)
        return;
    json_t *list = templates_list_json(req_db(rq), b.id);
    if (!list) {
        reply_error(rq, ERR_INTERNAL, NULL);
        return;
    }
    reply_json(rq, 200, json_pack("{s:o}", "templates", list));
}

static json_t *standard_agenda(struct db *db, const char *org_id)
{
    struct org o;
    bool is_en = !orgs_get(db, org_id, &o) && !strcmp(o.default_lang, "en");
    json_t *a = json_array();
    for (const char *const *t = is_en ? STANDARD_EN : STANDARD_PL; *t; t++)
        json_array_append_new(a, json_pack("{s:s, s:s}", "title", *t, "description", ""));
    return a;
}

void api_templates_create(struct req *rq)
{
    struct principal p;
    struct body b;
    const char *name = NULL, *mode = "hybrid", *place = "", *url = "";
    json_t *agenda_in = NULL;
    bool is_standard = false, is_public = false;
    int64_t reminder = 7;
    const struct jfield spec[] = {
        {"name", JF_STRING, true, 1, 200, &name, NULL},
        {"agenda", JF_JSON, false, 0, 0, &agenda_in, NULL},
        {"standard", JF_BOOL, false, 0, 0, &is_standard, NULL},
        {"mode", JF_STRING, false, 1, 16, &mode, NULL},
        {"place", JF_STRING, false, 0, 200, &place, NULL},
        {"public", JF_BOOL, false, 0, 0, &is_public, NULL},
        {"reminder_days", JF_INT, false, 0, 60, &reminder, NULL},
        {"broadcast_url", JF_STRING, false, 0, 500, &url, NULL},
        {NULL},
    };
    if (load(rq, &p, &b) < 0 || req_parse_json(rq, spec) < 0 ||
        validate_one_of(rq, "mode", mode, MODES) < 0)
        return;
    if (*url && strncmp(url, "https://", 8) && strncmp(url, "http://", 7)) {
        reply_error(rq, ERR_OUT_OF_RANGE, "broadcast_url");
        return;
    }
    if (agenda_in && is_standard) {
        reply_error(rq, ERR_TEMPLATE_AGENDA_TWICE, "standard");
        return;
    }
    if (!agenda_in && !is_standard) {
        reply_error(rq, ERR_MISSING_FIELD, "agenda");
        return;
    }
    struct meeting_template t = {.is_public = is_public, .reminder_days = (int)reminder};
    if (agenda_in) {
        if (template_agenda_parse(rq, "agenda", agenda_in, &t.agenda) < 0)
            return;
    } else {
        t.agenda = standard_agenda(req_db(rq), b.org_id);
    }
    snprintf(t.body_id, sizeof t.body_id, "%s", b.id);
    snprintf(t.name, sizeof t.name, "%s", name);
    snprintf(t.mode, sizeof t.mode, "%s", mode);
    snprintf(t.place, sizeof t.place, "%s", place);
    snprintf(t.broadcast_url, sizeof t.broadcast_url, "%s", url);
    int rc = t.agenda ? templates_create(req_db(rq), &t) : OBR_ENOMEM;
    if (rc == OBR_EEXISTS)
        reply_error(rq, ERR_TEMPLATE_NAME_TAKEN, "name");
    else if (rc)
        reply_obr_error(rq, rc);
    else
        reply_json(rq, 201, template_to_json(&t));
    template_clear(&t);
}

void api_templates_remove(struct req *rq)
{
    struct principal p;
    struct body b;
    if (load(rq, &p, &b) < 0)
        return;
    const char *id = req_param(rq, "template");
    struct meeting_template t = {0};
    int rc = id && id_is_valid(id) ? templates_get(req_db(rq), id, &t) : OBR_ENOTFOUND;
    if (!rc && strcmp(t.body_id, b.id))
        rc = OBR_ENOTFOUND;
    if (!rc)
        rc = templates_remove(req_db(rq), id);
    template_clear(&t);
    if (rc) {
        reply_obr_error(rq, rc);
        return;
    }
    reply_empty(rq, 204);
}
