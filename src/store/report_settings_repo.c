/* report_settings_repo.c — see report_settings.h. */
#include "store/report_settings.h"

#include "store/db_util.h"

DB_QUERY(q_get, "report_mail_get", "SELECT report_mail FROM bodies WHERE id = $1");
DB_QUERY(q_set, "report_mail_set", "UPDATE bodies SET report_mail = $2 WHERE id = $1");

int report_mail_get(struct db *db, const char *body_id, bool *is_on)
{
    struct db_stmt *s = db_prepare(db, &q_get);
    db_bind_text(s, 1, body_id);
    int rc = db_step_one(s);
    if (rc == DB_ROW) {
        *is_on = db_col_int(s, 0) != 0;
        rc = 0;
    }
    db_stmt_done(s);
    return rc;
}

int report_mail_set(struct db *db, const char *body_id, bool is_on)
{
    struct db_stmt *s = db_prepare(db, &q_set);
    db_bind_text(s, 1, body_id);
    db_bind_int(s, 2, is_on);
    int rc = db_run(s);
    return rc ? rc : db_changes(db) ? 0 : OBR_ENOTFOUND;
}
