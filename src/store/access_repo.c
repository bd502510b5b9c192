/* access_repo.c — see access_facts.h. The same conditions as staff_role_of,
 * members_get_by_user and participants_is_participant, as scalar subqueries
 * of one statement, with store errors told apart from "no role" (so a
 * cache never keeps an answer the store did not give). */
#include "store/access_facts.h"

#include <stdio.h>
#include <string.h>

#include "store/db_util.h"

DB_QUERY(q_facts, "access_facts_get",
         "SELECT (SELECT role FROM org_staff WHERE org_id = $1 AND user_id = $4), "
         "(SELECT m.role FROM members m JOIN users u ON u.id = m.user_id "
         "WHERE m.body_id = $2 AND m.user_id = $4), "
         "(SELECT 1 FROM meetings mt JOIN members m ON m.body_id = mt.body_id "
         "WHERE mt.id = $3 AND m.user_id = $4), "
         "(SELECT is_guest FROM meeting_participants WHERE meeting_id = $3 AND user_id = $4), "
         "(SELECT is_scrutiny FROM meeting_participants WHERE meeting_id = $3 AND user_id = $4)");

int access_facts_get(struct db *db, const char *org_id, const char *body_id, const char *meeting_id,
                     const char *user_id, struct access_facts *out)
{
    memset(out, 0, sizeof *out);
    struct db_stmt *s = db_prepare(db, &q_facts);
    db_bind_text(s, 1, org_id ? org_id : "");
    db_bind_text(s, 2, body_id ? body_id : "");
    db_bind_text(s, 3, meeting_id ? meeting_id : "");
    db_bind_text(s, 4, user_id);
    int rc = db_step(s);
    if (rc == DB_ROW) {
        const char *staff = db_col_is_null(s, 0) ? NULL : db_col_text(s, 0);
        out->staff = staff && !strcmp(staff, "admin")      ? STAFF_ADMIN
                     : staff && !strcmp(staff, "operator") ? STAFF_OPERATOR
                                                           : STAFF_NONE;
        if (!db_col_is_null(s, 1))
            snprintf(out->member_role, sizeof out->member_role, "%s", db_col_text(s, 1));
        out->is_meeting_member = !db_col_is_null(s, 2);
        out->has_row = !db_col_is_null(s, 3);
        out->row_guest = out->has_row && db_col_int(s, 3) != 0;
        out->row_scrutiny = out->has_row && !db_col_is_null(s, 4) && db_col_int(s, 4) != 0;
    }
    db_stmt_done(s);
    return rc == DB_ROW ? 0 : rc < 0 ? rc : OBR_EDB;
}
