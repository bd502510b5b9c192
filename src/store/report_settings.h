/* report_settings.h — per-body settings of the reports (report_settings_repo.c). */
#ifndef OBR_STORE_REPORT_SETTINGS_H
#define OBR_STORE_REPORT_SETTINGS_H

#include <stdbool.h>

struct db;

/* Whether the body's protocols and secret-vote reports are e-mailed. 0 and
 * *is_on, or OBR_ENOTFOUND for an unknown body. */
int report_mail_get(struct db *db, const char *body_id, bool *is_on);
int report_mail_set(struct db *db, const char *body_id, bool is_on);

#endif
