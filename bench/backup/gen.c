/* gen.c — makes the backup benchmark's installation: MEETINGS meetings with
 * EVENTS events each, appended through the real event log (hash-chained,
 * 64 events a transaction, syncs relaxed since only the result matters),
 * plus DATA/secret.key. Usage: gen MEETINGS EVENTS DATA_DIR */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <sodium.h>

#include "log/eventlog.h"
#include "ops/secrets.h"
#include "store/db.h"
#include "util/diag.h"

int main(int argc, char **argv)
{
    if (argc != 4 || sodium_init() < 0) {
        fprintf(stderr, "usage: gen MEETINGS EVENTS DATA_DIR\n");
        return 2;
    }
    diag_set_level(DIAG_WARN);
    int meetings = atoi(argv[1]), events = atoi(argv[2]);
    const char *dir = argv[3];
    mkdir(dir, 0700);
    unsigned char key[32];
    char path[1024];
    snprintf(path, sizeof path, "%s/obrady.db", dir);
    struct db_config dc = {.sqlite_path = path, .synchronous_normal = true};
    struct db *db;
    if (secrets_load(dir, key) || db_open(&dc, &db) || db_migrate(db)) {
        fprintf(stderr, "gen: cannot set up %s\n", dir);
        return 1;
    }
    for (int m = 0; m < meetings; m++) {
        char id[32];
        snprintf(id, sizeof id, "BENCHMEETING%08d", m);
        for (int e = 0; e < events;) {
            struct log_tx tx;
            if (log_tx_begin(&tx, db, NULL))
                return 1;
            for (int k = 0; k < LOG_TX_MAX_EVENTS && e < events; k++, e++) {
                char ballot[48];
                snprintf(ballot, sizeof ballot, "bench-%d-%d", m, e);
                json_t *p = json_pack("{s:s,s:s,s:s,s:i}", "ballot_id", ballot, "choice",
                                      e % 3 ? "yes" : "no", "name", "Radna Zofia Żółkiewska",
                                      "seq_hint", e);
                int rc = log_append(&tx, id, "01JBENCHUSER0000000000000", "vote.ballot", p,
                                    EVENT_PUBLIC, NULL);
                json_decref(p);
                if (rc) {
                    log_tx_rollback(&tx);
                    fprintf(stderr, "gen: append failed\n");
                    return 1;
                }
            }
            if (log_tx_commit(&tx))
                return 1;
        }
    }
    db_close(db);
    return 0;
}
