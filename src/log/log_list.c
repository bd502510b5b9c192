/* log_list.c — which logs the store holds (one per meeting, plus the
 * installation's): what a backup records the heads of and what a restore
 * checks. */
#include "log/eventlog.h"
#include "store/db.h"

DB_QUERY(q_logs, "log_list", "SELECT meeting_id FROM events GROUP BY meeting_id ORDER BY meeting_id");

json_t *log_list_json(struct db *db)
{
    json_t *ids = json_array();
    struct db_stmt *s = db_prepare(db, &q_logs);
    int rc = (ids && s) ? 0 : OBR_EDB;
    while (rc == 0 && (rc = db_step(s)) == DB_ROW) {
        rc = json_array_append_new(ids, json_string(db_col_text(s, 0))) ? OBR_ENOMEM : 0;
    }
    db_stmt_done(s);
    if (rc < 0) {
        json_decref(ids);
        return NULL;
    }
    return ids;
}
