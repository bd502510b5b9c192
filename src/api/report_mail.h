/* report_mail.h — the reports e-mailed as the university regulation
 * requires: the report of every secret vote when it closes and the protocol
 * of every meeting when it closes, to the body's members and the scrutiny
 * committee, with the PDF attached, unless the body turned it off
 * (store/report_settings.h). The closing transaction only records a
 * deadline due at once; the scheduler's thread renders and queues the mail
 * after the commit, so closing never waits for a PDF and a crash in between
 * loses nothing. */
#ifndef OBR_API_REPORT_MAIL_H
#define OBR_API_REPORT_MAIL_H

struct db;
struct vote;

/* In the transaction that closes v: schedules its report for mailing when v
 * is secret (open votes are summarised in the meeting's protocol). */
int report_mail_after_vote(struct db *db, const struct vote *v);
/* In the transaction that closes the meeting: schedules its protocol. */
int report_mail_after_meeting(struct db *db, const char *meeting_id);
void report_mail_register_deadlines(void);

#endif
