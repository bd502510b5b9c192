/* test_meetings_repo.c — the meetings store (meetings.h, documents.h) against
 * a migrated SQLite file: meetings and their status, the agenda and its
 * order, documents, participants (members merged with guests) and deadlines. */
#include "testutil.h"

#include "store/db.h"
#include "store/documents.h"
#include "store/meetings.h"

struct fx {
    char *dir;
    struct db *db;
    struct org org;
    struct body body;
    struct user alice, bob, guest, outsider;
};

static void make_user(struct db *db, const char *email, const char *name, struct user *u)
{
    assert_int_equal(users_create(db, email, name, "pl", false, u), 0);
}

static void make_member(struct fx *fx, const struct user *u, const char *role)
{
    struct member m = {.role = "", .groups = "[\"senat\"]"};
    snprintf(m.role, sizeof m.role, "%s", role);
    snprintf(m.body_id, sizeof m.body_id, "%s", fx->body.id);
    snprintf(m.user_id, sizeof m.user_id, "%s", u->id);
    assert_int_equal(members_add(fx->db, &m), 0);
}

static int setup(void **state)
{
    struct fx *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    fx->dir = testutil_tmpdir();
    fx->db = testutil_open_db(fx->dir, false);
    snprintf(fx->org.name, sizeof fx->org.name, "Uniwersytet");
    snprintf(fx->org.time_zone, sizeof fx->org.time_zone, "Europe/Warsaw");
    snprintf(fx->org.default_lang, sizeof fx->org.default_lang, "pl");
    fx->org.retention_days = 92;
    assert_int_equal(orgs_create(fx->db, &fx->org), 0);
    snprintf(fx->body.org_id, sizeof fx->body.org_id, "%s", fx->org.id);
    snprintf(fx->body.name, sizeof fx->body.name, "Senat");
    snprintf(fx->body.kind, sizeof fx->body.kind, "senate");
    snprintf(fx->body.quorum_rule, sizeof fx->body.quorum_rule, "half_statutory");
    fx->body.statutory_size = 3;
    fx->body.vote_duration_s = 600;
    assert_int_equal(bodies_create(fx->db, &fx->body), 0);
    make_user(fx->db, "alice@example.pl", "Alice", &fx->alice);
    make_user(fx->db, "bob@example.pl", "Bob", &fx->bob);
    make_user(fx->db, "guest@example.pl", "Gość", &fx->guest);
    make_user(fx->db, "out@example.pl", "Outsider", &fx->outsider);
    make_member(fx, &fx->alice, "chair");
    make_member(fx, &fx->bob, "member");
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    struct fx *fx = *state;
    db_close(fx->db);
    testutil_rmdir(fx->dir);
    free(fx);
    return 0;
}

static void make_meeting(struct fx *fx, const char *title, int64_t starts_at_ms, struct meeting *m)
{
    memset(m, 0, sizeof *m);
    snprintf(m->body_id, sizeof m->body_id, "%s", fx->body.id);
    snprintf(m->number, sizeof m->number, "XXVI");
    snprintf(m->title, sizeof m->title, "%s", title);
    snprintf(m->mode, sizeof m->mode, "hybrid");
    snprintf(m->place, sizeof m->place, "Aula");
    m->starts_at_ms = starts_at_ms;
    m->reminder_days = 7;
    assert_int_equal(meetings_create(fx->db, m), 0);
}

static void make_item(struct fx *fx, const char *meeting_id, const char *title,
                      struct agenda_item *it)
{
    memset(it, 0, sizeof *it);
    snprintf(it->meeting_id, sizeof it->meeting_id, "%s", meeting_id);
    snprintf(it->title, sizeof it->title, "%s", title);
    assert_int_equal(agenda_add(fx->db, it), 0);
}

/* ---- meetings ---- */

static void test_meeting_create_get_carries_org(void **state)
{
    struct fx *fx = *state;
    struct meeting m, got;
    make_meeting(fx, "XXVI Sesja", 1800000000000, &m);
    assert_true(id_is_valid(m.id));
    assert_int_equal(meetings_get(fx->db, m.id, &got), 0);
    assert_string_equal(got.org_id, fx->org.id);
    assert_string_equal(got.body_id, fx->body.id);
    assert_string_equal(got.title, "XXVI Sesja");
    assert_string_equal(got.status, "draft");
    assert_string_equal(got.mode, "hybrid");
    assert_int_equal(got.starts_at_ms, 1800000000000);
    assert_int_equal(got.reminder_days, 7);
    assert_int_equal(got.convened_ms, 0);
    assert_int_equal(meetings_get(fx->db, "00000000000000000000", &got), OBR_ENOTFOUND);
}

static void test_meeting_update(void **state)
{
    struct fx *fx = *state;
    struct meeting m, got;
    make_meeting(fx, "Old", 1000, &m);
    snprintf(m.title, sizeof m.title, "New");
    m.is_public = true;
    snprintf(m.broadcast_url, sizeof m.broadcast_url, "https://youtube.example/x");
    assert_int_equal(meetings_update(fx->db, &m), 0);
    assert_int_equal(meetings_get(fx->db, m.id, &got), 0);
    assert_string_equal(got.title, "New");
    assert_true(got.is_public);
    assert_string_equal(got.broadcast_url, "https://youtube.example/x");
    snprintf(m.id, sizeof m.id, "00000000000000000000");
    assert_int_equal(meetings_update(fx->db, &m), OBR_ENOTFOUND);
}

static void test_meeting_status_sets_its_time(void **state)
{
    struct fx *fx = *state;
    struct meeting m, got;
    make_meeting(fx, "S", 1000, &m);
    assert_int_equal(meetings_set_status(fx->db, m.id, "convened", 11), 0);
    assert_int_equal(meetings_set_status(fx->db, m.id, "in_progress", 22), 0);
    assert_int_equal(meetings_set_status(fx->db, m.id, "closed", 33), 0);
    assert_int_equal(meetings_set_reminder_sent(fx->db, m.id, 44), 0);
    assert_int_equal(meetings_get(fx->db, m.id, &got), 0);
    assert_string_equal(got.status, "closed");
    assert_int_equal(got.convened_ms, 11);
    assert_int_equal(got.started_ms, 22);
    assert_int_equal(got.closed_ms, 33);
    assert_int_equal(got.reminder_sent_ms, 44);
    assert_int_equal(meetings_set_status(fx->db, m.id, "bogus", 1), OBR_EINVAL);
    assert_int_equal(meetings_set_status(fx->db, "00000000000000000000", "closed", 1),
                     OBR_ENOTFOUND);
}

/* Archiving waits retention_months calendar months (UTC) after the close:
 * 31 August + 3 months is 30 November, to the millisecond. */
static void test_due_for_archive_counts_calendar_months(void **state)
{
    struct fx *fx = *state;
    struct meeting m;
    make_meeting(fx, "Sesja sierpniowa", 1000, &m);
    const int64_t aug31 = 1788177600000; /* 2026-08-31T12:00:00Z */
    const int64_t nov30 = 1796040000000; /* 2026-11-30T12:00:00Z */
    assert_int_equal(meetings_set_status(fx->db, m.id, "closed", aug31), 0);
    json_t *due = meetings_due_for_archive_json(fx->db, nov30 - 1);
    assert_non_null(due);
    assert_int_equal(json_array_size(due), 0);
    json_decref(due);
    due = meetings_due_for_archive_json(fx->db, nov30);
    assert_int_equal(json_array_size(due), 1);
    assert_string_equal(json_string_value(json_array_get(due, 0)), m.id);
    json_decref(due);
    fx->org.retention_months = 1; /* 31 August + 1 month is 30 September */
    assert_int_equal(orgs_update(fx->db, &fx->org), 0);
    due = meetings_due_for_archive_json(fx->db, 1790769600000 - 1); /* 2026-09-30T12:00Z - 1 ms */
    assert_int_equal(json_array_size(due), 0);
    json_decref(due);
    due = meetings_due_for_archive_json(fx->db, 1790769600000);
    assert_int_equal(json_array_size(due), 1);
    json_decref(due);
}

static void test_meeting_json_and_lists(void **state)
{
    struct fx *fx = *state;
    struct meeting a, b;
    make_meeting(fx, "Later", 2000000000000, &a);
    make_meeting(fx, "Sooner", 1900000000000, &b);
    struct meeting got;
    assert_int_equal(meetings_get(fx->db, a.id, &got), 0);
    json_t *j = meeting_to_json(&got);
    assert_string_equal(json_string_value(json_object_get(j, "org_id")), fx->org.id);
    assert_string_equal(json_string_value(json_object_get(j, "status")), "draft");
    assert_non_null(json_string_value(json_object_get(j, "starts_at")));
    assert_true(json_is_null(json_object_get(j, "convened_at")));
    json_decref(j);

    json_t *list = meetings_list_json(fx->db, fx->body.id);
    assert_int_equal(json_array_size(list), 2);
    json_decref(list);

    int n = 0;
    char ids[4][ID_SIZE];
    assert_int_equal(meetings_set_status(fx->db, b.id, "convened", 5), 0);
    assert_int_equal(meetings_ids_in_status(fx->db, "draft", ids, 4, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(ids[0], a.id);
    assert_int_equal(meetings_ids_in_status(fx->db, "convened", ids, 0, &n), 0);
    assert_int_equal(n, 0);
}

static void test_meetings_of_user_members_and_guests(void **state)
{
    struct fx *fx = *state;
    struct meeting a, b;
    make_meeting(fx, "Later", 2000000000000, &a);
    make_meeting(fx, "Sooner", 1900000000000, &b);

    json_t *list = meetings_of_user_json(fx->db, fx->bob.id);
    assert_int_equal(json_array_size(list), 2);
    json_t *first = json_array_get(list, 0);
    assert_string_equal(json_string_value(json_object_get(first, "title")), "Sooner");
    assert_string_equal(json_string_value(json_object_get(first, "body_name")), "Senat");
    json_decref(list);

    list = meetings_of_user_json(fx->db, fx->guest.id);
    assert_int_equal(json_array_size(list), 0);
    json_decref(list);
    assert_int_equal(participants_set(fx->db, a.id, fx->guest.id, true, false), 0);
    list = meetings_of_user_json(fx->db, fx->guest.id);
    assert_int_equal(json_array_size(list), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "id")), a.id);
    json_decref(list);
}

/* ---- agenda ---- */

static void test_agenda_add_appends(void **state)
{
    struct fx *fx = *state;
    struct meeting m;
    struct agenda_item a, b, got;
    make_meeting(fx, "S", 1000, &m);
    make_item(fx, m.id, "Otwarcie", &a);
    make_item(fx, m.id, "Sprawy różne", &b);
    assert_int_equal(a.position, 1);
    assert_int_equal(b.position, 2);
    assert_int_equal(agenda_get(fx->db, b.id, &got), 0);
    assert_string_equal(got.title, "Sprawy różne");
    assert_string_equal(got.meeting_id, m.id);
    snprintf(got.description, sizeof got.description, "opis");
    got.is_amendment = true;
    assert_int_equal(agenda_update(fx->db, &got), 0);
    assert_int_equal(agenda_get(fx->db, b.id, &got), 0);
    assert_string_equal(got.description, "opis");
    assert_true(got.is_amendment);
}

static void test_agenda_remove_closes_gap(void **state)
{
    struct fx *fx = *state;
    struct meeting m;
    struct agenda_item a, b, c, d, got;
    make_meeting(fx, "S", 1000, &m);
    make_item(fx, m.id, "A", &a);
    make_item(fx, m.id, "B", &b);
    make_item(fx, m.id, "C", &c);
    assert_int_equal(agenda_remove(fx->db, b.id), 0);
    assert_int_equal(agenda_get(fx->db, b.id, &got), OBR_ENOTFOUND);
    assert_int_equal(agenda_remove(fx->db, b.id), OBR_ENOTFOUND);
    assert_int_equal(agenda_update(fx->db, &b), OBR_ENOTFOUND);
    assert_int_equal(agenda_get(fx->db, c.id, &got), 0);
    assert_int_equal(got.position, 2);
    make_item(fx, m.id, "D", &d);
    assert_int_equal(d.position, 3);

    json_t *list = agenda_list_json(fx->db, m.id);
    assert_int_equal(json_array_size(list), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 1), "id")), c.id);
    json_decref(list);
}

static void test_agenda_reorder(void **state)
{
    struct fx *fx = *state;
    struct meeting m;
    struct agenda_item a, b, c, got;
    make_meeting(fx, "S", 1000, &m);
    make_item(fx, m.id, "A", &a);
    make_item(fx, m.id, "B", &b);
    make_item(fx, m.id, "C", &c);
    const char *order[] = {c.id, a.id, b.id};
    assert_int_equal(agenda_reorder(fx->db, m.id, order, 3), 0);
    assert_int_equal(agenda_get(fx->db, c.id, &got), 0);
    assert_int_equal(got.position, 1);
    assert_int_equal(agenda_get(fx->db, b.id, &got), 0);
    assert_int_equal(got.position, 3);
    json_t *list = agenda_list_json(fx->db, m.id);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "title")), "C");
    json_decref(list);
}

static void test_agenda_reorder_refuses_other_sets(void **state)
{
    struct fx *fx = *state;
    struct meeting m, other;
    struct agenda_item a, b, x, got;
    make_meeting(fx, "S", 1000, &m);
    make_meeting(fx, "T", 1000, &other);
    make_item(fx, m.id, "A", &a);
    make_item(fx, m.id, "B", &b);
    make_item(fx, other.id, "X", &x);
    const char *missing[] = {a.id};
    const char *dup[] = {a.id, a.id};
    const char *foreign[] = {a.id, x.id};
    const char *extra[] = {a.id, b.id, x.id};
    const char *with_null[] = {a.id, NULL};
    assert_int_equal(agenda_reorder(fx->db, m.id, missing, 1), OBR_EINVAL);
    assert_int_equal(agenda_reorder(fx->db, m.id, dup, 2), OBR_EINVAL);
    assert_int_equal(agenda_reorder(fx->db, m.id, foreign, 2), OBR_EINVAL);
    assert_int_equal(agenda_reorder(fx->db, m.id, extra, 3), OBR_EINVAL);
    assert_int_equal(agenda_reorder(fx->db, m.id, with_null, 2), OBR_EINVAL);
    assert_int_equal(agenda_reorder(fx->db, m.id, NULL, 0), OBR_EINVAL);
    assert_int_equal(agenda_get(fx->db, a.id, &got), 0);
    assert_int_equal(got.position, 1);
    assert_false(db_in_transaction(fx->db));
    /* inside the caller's transaction it neither commits nor rolls back */
    const char *order[] = {b.id, a.id};
    assert_int_equal(db_begin_write(fx->db), 0);
    assert_int_equal(agenda_reorder(fx->db, m.id, order, 2), 0);
    assert_true(db_in_transaction(fx->db));
    assert_int_equal(db_rollback(fx->db), 0);
    assert_int_equal(agenda_get(fx->db, a.id, &got), 0);
    assert_int_equal(got.position, 1);
}

/* ---- documents ---- */

static void make_doc(struct fx *fx, const char *meeting_id, const char *item_id,
                     const char *name, struct document *d)
{
    memset(d, 0, sizeof *d);
    snprintf(d->meeting_id, sizeof d->meeting_id, "%s", meeting_id);
    snprintf(d->item_id, sizeof d->item_id, "%s", item_id ? item_id : "");
    snprintf(d->filename, sizeof d->filename, "%s", name);
    snprintf(d->content_type, sizeof d->content_type, "application/pdf");
    snprintf(d->sha256, sizeof d->sha256, "%064d", 7);
    d->size_bytes = 1234;
    d->is_draft_resolution = item_id != NULL;
    assert_int_equal(documents_add(fx->db, d), 0);
}

static void test_documents_add_get_remove(void **state)
{
    struct fx *fx = *state;
    struct meeting m;
    struct agenda_item it;
    struct document d, got;
    make_meeting(fx, "S", 1000, &m);
    make_item(fx, m.id, "A", &it);
    make_doc(fx, m.id, it.id, "Projekt uchwały.pdf", &d);
    assert_int_equal(documents_get(fx->db, d.id, &got), 0);
    assert_string_equal(got.filename, "Projekt uchwały.pdf");
    assert_string_equal(got.item_id, it.id);
    assert_string_equal(got.sha256, d.sha256);
    assert_int_equal(got.size_bytes, 1234);
    assert_true(got.is_draft_resolution);
    json_t *j = document_to_json(&got);
    assert_string_equal(json_string_value(json_object_get(j, "item_id")), it.id);
    json_decref(j);
    assert_int_equal(documents_remove(fx->db, d.id), 0);
    assert_int_equal(documents_get(fx->db, d.id, &got), OBR_ENOTFOUND);
    assert_int_equal(documents_remove(fx->db, d.id), OBR_ENOTFOUND);
}

static void test_documents_list_and_agenda(void **state)
{
    struct fx *fx = *state;
    struct meeting m;
    struct agenda_item a, b;
    struct document d1, d2, d3, gone;
    make_meeting(fx, "S", 1000, &m);
    make_item(fx, m.id, "A", &a);
    make_item(fx, m.id, "B", &b);
    make_doc(fx, m.id, NULL, "Zaproszenie.pdf", &d1);
    make_doc(fx, m.id, b.id, "Uchwała.pdf", &d2);
    make_doc(fx, m.id, b.id, "Załącznik.pdf", &d3);
    make_doc(fx, m.id, a.id, "Usunięty.pdf", &gone);
    assert_int_equal(documents_remove(fx->db, gone.id), 0);

    json_t *list = documents_list_json(fx->db, m.id);
    assert_int_equal(json_array_size(list), 3);
    size_t i;
    json_t *j;
    int n_meeting_level = 0;
    json_array_foreach(list, i, j) n_meeting_level += json_is_null(json_object_get(j, "item_id"));
    json_decref(list);
    assert_int_equal(n_meeting_level, 1);

    json_t *agenda = agenda_list_json(fx->db, m.id);
    assert_int_equal(json_array_size(agenda), 2);
    json_t *ia = json_array_get(agenda, 0), *ib = json_array_get(agenda, 1);
    assert_int_equal(json_integer_value(json_object_get(ib, "position")), 2);
    assert_false(json_is_true(json_object_get(ib, "is_amendment")));
    assert_int_equal(json_array_size(json_object_get(ia, "documents")), 0);
    json_t *docs = json_object_get(ib, "documents");
    assert_int_equal(json_array_size(docs), 2);
    json_t *doc = json_array_get(docs, 0);
    if (strcmp(json_string_value(json_object_get(doc, "id")), d2.id))
        doc = json_array_get(docs, 1);
    assert_string_equal(json_string_value(json_object_get(doc, "id")), d2.id);
    assert_string_equal(json_string_value(json_object_get(doc, "filename")), "Uchwała.pdf");
    assert_int_equal(json_integer_value(json_object_get(doc, "size_bytes")), 1234);
    assert_true(json_is_true(json_object_get(doc, "is_draft_resolution")));
    assert_non_null(json_object_get(doc, "sha256"));
    assert_non_null(json_object_get(doc, "content_type"));
    json_decref(agenda);
}

/* ---- participants ---- */

static json_t *find_user(json_t *list, const char *user_id)
{
    size_t i;
    json_t *p;
    json_array_foreach(list, i, p) if (!strcmp(json_string_value(json_object_get(p, "user_id")),
                                               user_id)) return p;
    return NULL;
}

static void test_participants_merge_members_and_guests(void **state)
{
    struct fx *fx = *state;
    struct meeting m;
    make_meeting(fx, "S", 1000, &m);
    assert_int_equal(participants_set(fx->db, m.id, fx->guest.id, true, false), 0);
    assert_int_equal(participants_set(fx->db, m.id, fx->bob.id, false, true), 0);
    json_t *list = participants_list_json(fx->db, m.id);
    assert_int_equal(json_array_size(list), 3);
    json_t *alice = find_user(list, fx->alice.id), *bob = find_user(list, fx->bob.id),
           *guest = find_user(list, fx->guest.id);
    assert_non_null(alice);
    assert_string_equal(json_string_value(json_object_get(alice, "role")), "chair");
    assert_string_equal(json_string_value(json_object_get(alice, "email")), "alice@example.pl");
    assert_string_equal(json_string_value(json_array_get(json_object_get(alice, "groups"), 0)),
                        "senat");
    assert_false(json_is_true(json_object_get(alice, "is_guest")));
    assert_false(json_is_true(json_object_get(alice, "is_scrutiny")));
    assert_true(json_is_true(json_object_get(bob, "is_scrutiny")));
    assert_false(json_is_true(json_object_get(bob, "is_guest")));
    assert_true(json_is_true(json_object_get(guest, "is_guest")));
    assert_string_equal(json_string_value(json_object_get(guest, "role")), "guest");
    assert_string_equal(json_string_value(json_object_get(guest, "name")), "Gość");
    assert_null(find_user(list, fx->outsider.id));
    json_decref(list);
}

static void test_participants_member_with_guest_row_listed_once(void **state)
{
    struct fx *fx = *state;
    struct meeting m;
    make_meeting(fx, "S", 1000, &m);
    assert_int_equal(participants_set(fx->db, m.id, fx->alice.id, true, false), 0);
    json_t *list = participants_list_json(fx->db, m.id);
    assert_int_equal(json_array_size(list), 2);
    assert_false(json_is_true(json_object_get(find_user(list, fx->alice.id), "is_guest")));
    json_decref(list);
}

static void test_participants_is_participant(void **state)
{
    struct fx *fx = *state;
    struct meeting m;
    bool is_guest = true, is_scrutiny = true;
    make_meeting(fx, "S", 1000, &m);
    assert_true(participants_is_participant(fx->db, m.id, fx->alice.id, &is_guest, &is_scrutiny));
    assert_false(is_guest);
    assert_false(is_scrutiny);
    assert_false(participants_is_participant(fx->db, m.id, fx->guest.id, &is_guest, NULL));
    assert_int_equal(participants_set(fx->db, m.id, fx->guest.id, true, true), 0);
    assert_true(participants_is_participant(fx->db, m.id, fx->guest.id, &is_guest, &is_scrutiny));
    assert_true(is_guest);
    assert_true(is_scrutiny);
    /* a row that is not a guest row does not make an outsider a participant */
    assert_int_equal(participants_set(fx->db, m.id, fx->outsider.id, false, true), 0);
    assert_false(participants_is_participant(fx->db, m.id, fx->outsider.id, NULL, NULL));
    assert_int_equal(participants_remove(fx->db, m.id, fx->guest.id), 0);
    assert_false(participants_is_participant(fx->db, m.id, fx->guest.id, NULL, NULL));
    assert_int_equal(participants_remove(fx->db, m.id, fx->guest.id), OBR_ENOTFOUND);
}

/* ---- deadlines ---- */

static void test_deadlines_due_next_done(void **state)
{
    struct fx *fx = *state;
    struct deadline due[4];
    int n = -1;
    assert_int_equal(deadlines_next_ms(fx->db), INT64_MAX);
    assert_int_equal(deadlines_due(fx->db, 1000, due, 4, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(deadlines_add(fx->db, "m1", "vote", "v1", 300), 0);
    assert_int_equal(deadlines_add(fx->db, "m1", "attendance", "c1", 100), 0);
    assert_int_equal(deadlines_add(fx->db, "m2", "floor", "f1", 200), 0);
    assert_int_equal(deadlines_next_ms(fx->db), 100);

    assert_int_equal(deadlines_due(fx->db, 250, due, 4, &n), 0);
    assert_int_equal(n, 2);
    assert_string_equal(due[0].kind, "attendance");
    assert_string_equal(due[0].ref_id, "c1");
    assert_int_equal(due[0].due_ms, 100);
    assert_string_equal(due[1].meeting_id, "m2");
    assert_true(id_is_valid(due[0].id));

    assert_int_equal(deadlines_due(fx->db, 1000, due, 1, &n), 0);
    assert_int_equal(n, 1);

    assert_int_equal(deadlines_done(fx->db, "m1", "attendance", "c1", 260), 0);
    assert_int_equal(deadlines_done(fx->db, "m1", "attendance", "none", 260), 0);
    assert_int_equal(deadlines_next_ms(fx->db), 200);
    assert_int_equal(deadlines_due(fx->db, 250, due, 4, &n), 0);
    assert_int_equal(n, 1);
    assert_string_equal(due[0].kind, "floor");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_meeting_create_get_carries_org),
        T(test_meeting_update),
        T(test_meeting_status_sets_its_time),
        T(test_due_for_archive_counts_calendar_months),
        T(test_meeting_json_and_lists),
        T(test_meetings_of_user_members_and_guests),
        T(test_agenda_add_appends),
        T(test_agenda_remove_closes_gap),
        T(test_agenda_reorder),
        T(test_agenda_reorder_refuses_other_sets),
        T(test_documents_add_get_remove),
        T(test_documents_list_and_agenda),
        T(test_participants_merge_members_and_guests),
        T(test_participants_member_with_guest_row_listed_once),
        T(test_participants_is_participant),
        T(test_deadlines_due_next_done),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
