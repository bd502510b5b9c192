/* demo.c — the demonstration municipality (see demo.h). Addresses use the
 * reserved .example domain so no real mailbox can ever receive them. */
#include "ops/demo.h"

#include <string.h>

#include "log/eventlog.h"
#include "ops/demo_play.h"
#include "store/db.h"
#include "store/directory.h"
#include "util/diag.h"

#define DOMAIN "przykladowo.example"
#define ADMIN "admin@" DOMAIN
#define OPERATOR "biuro@" DOMAIN
#define CHAIR "przewodniczaca@" DOMAIN

static const char *const COUNCILLORS[] = {
    "Łukasz Zieliński",   "Agnieszka Kowalczyk", "Bartłomiej Nowak",    "Celina Wójcik",
    "Dariusz Kamiński",   "Elżbieta Lewandowska", "Franciszek Dąbrowski", "Grażyna Szymańska",
    "Henryk Woźniak",     "Irena Kozłowska",     "Jacek Jankowski",     "Katarzyna Mazur",
    "Leszek Krawczyk",    "Małgorzata Piotrowska",
};
#define N_COUNCILLORS (int)(sizeof COUNCILLORS / sizeof COUNCILLORS[0])
#define M(n) "radny" #n "@" DOMAIN
static const char *const EMAILS[N_COUNCILLORS] = {
    M(01), M(02), M(03), M(04), M(05), M(06), M(07), M(08), M(09), M(10), M(11), M(12), M(13), M(14),
};
#undef M

static int add_member(struct db *db, const char *body_id, const char *email, const char *name,
                      const char *role, const char *groups)
{
    struct user u;
    int rc = users_ensure(db, email, name, "pl", &u);
    if (rc)
        return rc;
    struct member m = {0};
    snprintf(m.body_id, sizeof m.body_id, "%s", body_id);
    snprintf(m.user_id, sizeof m.user_id, "%s", u.id);
    snprintf(m.role, sizeof m.role, "%s", role);
    snprintf(m.groups, sizeof m.groups, "%s", groups);
    return members_add(db, &m);
}

static int create(struct db *db, char body_id[ID_SIZE])
{
    struct user admin, op;
    struct org o = {.name = "Gmina Przykładowo", .time_zone = "Europe/Warsaw",
                    .default_lang = "pl", .email_domains = "[\"" DOMAIN "\"]",
                    .retention_days = 92, .retention_months = 3};
    struct body b = {.name = "Rada Gminy Przykładowo", .kind = "council", .statutory_size = 15,
                     .quorum_rule = "half_statutory", .vote_duration_s = 120,
                     .help_phone = "+48 12 345 67 00"};
    int rc = users_create(db, ADMIN, "Administrator Demo", "pl", true, &admin);
    if (!rc)
        rc = users_create(db, OPERATOR, "Ewa Biurowa", "pl", false, &op);
    if (!rc)
        rc = orgs_create(db, &o);
    if (!rc)
        rc = staff_set(db, o.id, admin.id, STAFF_ADMIN);
    if (!rc)
        rc = staff_set(db, o.id, op.id, STAFF_OPERATOR);
    if (!rc) {
        snprintf(b.org_id, sizeof b.org_id, "%s", o.id);
        rc = bodies_create(db, &b);
    }
    if (!rc)
        rc = add_member(db, b.id, CHAIR, "Zofia Wiśniewska", "chair", "[]");
    for (int i = 0; !rc && i < N_COUNCILLORS; i++)
        rc = add_member(db, b.id, EMAILS[i], COUNCILLORS[i], i == 0 ? "vice_chair" : "member",
                        i < 3 ? "[\"komisja-budzetowa\"]" : "[]");
    snprintf(body_id, ID_SIZE, "%s", b.id);
    return rc;
}

int demo_seed(struct db *db, const unsigned char key[TOKEN_KEY_BYTES], const char *base,
              const char *url, FILE *out)
{
    struct user u;
    int rc = 0;
    if (users_get_by_email(db, ADMIN, &u) == OBR_ENOTFOUND) {
        char body_id[ID_SIZE] = "";
        rc = db_begin_write(db);
        if (!rc) {
            rc = create(db, body_id);
            rc = rc ? (db_rollback(db), rc) : db_commit(db);
        }
        if (rc) {
            diag(DIAG_ERROR, "cannot create the demo data: %s", obr_strerror(rc));
            return rc;
        }
        diag(DIAG_INFO, "created the demo organisation Gmina Przykładowo");
        /* The meetings go through the API; without them the demo still works. */
        if (base && demo_play(db, key, base, url, body_id, OPERATOR, CHAIR, EMAILS, N_COUNCILLORS))
            diag(DIAG_WARN, "the demo meetings were not all made");
        else
            diag(DIAG_INFO, "created the demo meetings (one finished, one upcoming)");
    }
    fprintf(out,
            "\nDemo: open %s and sign in with one of these addresses; the sign-in code\n"
            "is printed here (mail goes to files under the data directory).\n"
            "  %-34s organisation admin (and instance admin)\n"
            "  %-34s operator (council office)\n"
            "  %-34s chair of Rada Gminy Przykładowo\n"
            "  %-34s a councillor (radny01 … radny14)\n\n",
            url, ADMIN, OPERATOR, CHAIR, "radny02@" DOMAIN);
    fflush(out);
    return 0;
}
