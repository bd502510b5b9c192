/* handlers.h — every request handler, grouped by the file that holds it. */
#ifndef OBR_API_HANDLERS_H
#define OBR_API_HANDLERS_H

#include "http/req.h"

/* health.c */
void api_healthz(struct req *rq);
void api_metrics(struct req *rq);
void api_openapi(struct req *rq);
void api_backups_status(struct req *rq);
void api_backups_run(struct req *rq);
void api_meeting_archive(struct req *rq);
/* live.c */
void api_live(struct req *rq);
void api_meeting_events(struct req *rq);
/* client_errors.c */
void api_client_errors(struct req *rq);
/* auth.c */
void api_auth_code(struct req *rq);
void api_auth_session(struct req *rq);
void api_auth_logout(struct req *rq);
void api_auth_totp(struct req *rq);
/* me.c */
void api_me(struct req *rq);
void api_me_voter_key(struct req *rq);
void api_me_voter_key_set(struct req *rq);
void api_me_sms(struct req *rq);     /* sms.c */
void api_me_sms_set(struct req *rq);
void api_installation_key(struct req *rq);
void api_me_update(struct req *rq);
void api_me_sessions(struct req *rq);
void api_me_session_delete(struct req *rq);
void api_me_totp_setup(struct req *rq);
void api_me_totp_enable(struct req *rq);
void api_me_totp_disable(struct req *rq);
/* orgs.c */
void api_orgs_list(struct req *rq);
void api_orgs_create(struct req *rq);
void api_org_get(struct req *rq);
void api_org_update(struct req *rq);
void api_staff_list(struct req *rq);
void api_staff_add(struct req *rq);
void api_staff_remove(struct req *rq);
/* bodies.c */
void api_bodies_list(struct req *rq);
void api_bodies_create(struct req *rq);
void api_body_get(struct req *rq);
void api_body_update(struct req *rq);
/* members.c, members_import.c */
void api_members_list(struct req *rq);
void api_members_add(struct req *rq);
void api_members_import(struct req *rq);
void api_member_update(struct req *rq);
void api_member_remove(struct req *rq);
/* meetings.c */
void api_my_meetings(struct req *rq);
void api_office_meetings(struct req *rq);
void api_public_vote_xlsx(struct req *rq);
void api_meeting_export_xlsx(struct req *rq);
void api_meetings_list(struct req *rq);
void api_meetings_create(struct req *rq);
void api_meeting_get(struct req *rq);
void api_meeting_update(struct req *rq);
void api_agenda_add(struct req *rq);
void api_agenda_reorder(struct req *rq);
void api_agenda_update(struct req *rq);
void api_agenda_remove(struct req *rq);
/* participants.c */
void api_participants_list(struct req *rq);
void api_participants_add(struct req *rq);
void api_participants_remove(struct req *rq);
void api_scrutiny_set(struct req *rq);
/* meeting_flow.c */
void api_meeting_convene(struct req *rq);
/* proceedings.c */
void api_meeting_start(struct req *rq);
void api_meeting_close(struct req *rq);
void api_meeting_state(struct req *rq);
void api_attendance_start(struct req *rq);
void api_attendance_present(struct req *rq);
void api_attendance_end(struct req *rq);
void api_presence(struct req *rq);
void api_current_item(struct req *rq);
void api_floor_request(struct req *rq);
void api_floor_withdraw(struct req *rq);
void api_floor_grant(struct req *rq);
void api_floor_end(struct req *rq);
void api_chat_send(struct req *rq);
void api_chat_hide(struct req *rq);
void api_chat_mute(struct req *rq);
/* votes.c */
void api_votes_list(struct req *rq);
void api_votes_create(struct req *rq);
void api_vote_get(struct req *rq);
void api_vote_open(struct req *rq);
void api_vote_close(struct req *rq);
void api_vote_extend(struct req *rq);
void api_vote_board(struct req *rq);
void api_vote_trustees(struct req *rq);
void api_vote_trustee_key(struct req *rq);
void api_vote_trustee_shares(struct req *rq);
void api_vote_decryption(struct req *rq);
void api_vote_ballot(struct req *rq);
void api_vote_repeat(struct req *rq);
void api_vote_hand(struct req *rq);
void api_vote_confirm(struct req *rq);
void api_vote_announce(struct req *rq);
/* reports.c */
void api_vote_report(struct req *rq);
void api_meeting_protocol(struct req *rq);
void api_body_report_mail_get(struct req *rq);
void api_body_report_mail_set(struct req *rq);
/* attendance.c: attendance and activity over a period */
void api_body_attendance(struct req *rq);
void api_body_attendance_csv(struct req *rq);
void api_body_attendance_pdf(struct req *rq);
/* templates.c, meeting_copy.c: meeting templates and copies */
void api_templates_list(struct req *rq);
void api_templates_create(struct req *rq);
void api_templates_remove(struct req *rq);
void api_meeting_from_template(struct req *rq);
void api_meeting_copy(struct req *rq);
/* interpellations.c: members' interpellations and questions */
void api_interp_file(struct req *rq);
void api_interp_list(struct req *rq);
void api_interp_register(struct req *rq);
void api_interp_answer(struct req *rq);
void api_public_interp_json(struct req *rq);
void api_public_interp_csv(struct req *rq);
void api_public_interp_page(struct req *rq);
void api_meeting_interpellations(struct req *rq);
/* interp_files.c: attachments of interpellations */
void api_interp_file_upload(struct req *rq);
void api_interp_file_get(struct req *rq);
void api_interp_file_remove(struct req *rq);
/* access.c */
void api_access_page(struct req *rq);
void api_access_get(struct req *rq);
/* publication.c */
void api_public_meetings(struct req *rq);
void api_public_stats(struct req *rq);
void api_public_vote(struct req *rq);
void api_public_vote_csv(struct req *rq);
void api_public_vote_html(struct req *rq);
void api_meeting_export_json(struct req *rq);
void api_meeting_export_csv(struct req *rq);
void api_meeting_export_html(struct req *rq);
/* public_pages.c */
void api_public_home(struct req *rq);
void api_public_meeting_page(struct req *rq);
void api_public_vote_page(struct req *rq);
/* audio.c */
void api_audio_source_start(struct req *rq);
void api_audio_source_stop(struct req *rq);
void api_audio_packets(struct req *rq);
void api_audio_listen(struct req *rq);
void api_audio_status(struct req *rq);
void api_audio_recording(struct req *rq);
void api_audio_index(struct req *rq);

#endif
