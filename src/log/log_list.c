/* log_list.c — which logs the store holds (one per meeting, plus the
 * installation's): what a backup records the heads of and what a restore
 * checks. */
#include "log/eventlog.h"
#include "store/db.h"
#include "store/db_util.h"

DB_QUERY(q_logs, "log_list",
         "SELECT meeting_id FROM events GROUP BY meeting_id ORDER BY meeting_id");

json_t *log_list_json(struct db *db)
{
    return db_texts_json(db_prepare(db, &q_logs));
}
