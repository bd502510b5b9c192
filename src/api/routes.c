/* routes.c — every route of the API in one table: method, pattern, handler,
 * body limit, flags. Reading it is reading the API's surface. */
#include "api/app.h"
#include "api/documents.h"
#include "api/handlers.h"

#define JSON_BODY (16 * 1024)
#define CSV_BODY (1024 * 1024)
/* Actions without parameters still accept the "{}" many clients send. */
#define EMPTY_BODY 64
/* A secret ballot: per option two points and a 0/1 proof, plus the sum
 * proof; 64 options fit in well under 96 KiB of JSON. */
#define BALLOT_BODY (96 * 1024)

const struct route api_routes[] = {
    {"GET", "/healthz", api_healthz, 0, 0, NULL},
    {"GET", "/metrics", api_metrics, 0, 0, NULL},
    {"GET", "/api/live", api_live, 0, 0, NULL},
    {"GET", "/api/meetings/{id}/events", api_meeting_events, 0, 0, NULL},
    {"POST", "/api/client-errors", api_client_errors, 8 * 1024, 0, NULL},

    {"POST", "/api/auth/code", api_auth_code, JSON_BODY, 0, NULL},
    {"POST", "/api/auth/session", api_auth_session, JSON_BODY, 0, NULL},
    {"DELETE", "/api/auth/session", api_auth_logout, 0, 0, NULL},
    {"POST", "/api/auth/totp", api_auth_totp, JSON_BODY, 0, NULL},
    {"GET", "/api/me", api_me, 0, 0, NULL},
    {"PATCH", "/api/me", api_me_update, JSON_BODY, 0, NULL},
    {"GET", "/api/me/sessions", api_me_sessions, 0, 0, NULL},
    {"DELETE", "/api/me/sessions/{id}", api_me_session_delete, 0, 0, NULL},
    {"POST", "/api/me/totp/setup", api_me_totp_setup, EMPTY_BODY, 0, NULL},
    {"POST", "/api/me/totp/enable", api_me_totp_enable, JSON_BODY, 0, NULL},
    {"POST", "/api/me/totp/disable", api_me_totp_disable, JSON_BODY, 0, NULL},

    {"GET", "/api/orgs", api_orgs_list, 0, 0, NULL},
    {"POST", "/api/orgs", api_orgs_create, JSON_BODY, 0, NULL},
    {"GET", "/api/orgs/{id}", api_org_get, 0, 0, NULL},
    {"PATCH", "/api/orgs/{id}", api_org_update, JSON_BODY, 0, NULL},
    {"GET", "/api/orgs/{id}/staff", api_staff_list, 0, 0, NULL},
    {"POST", "/api/orgs/{id}/staff", api_staff_add, JSON_BODY, 0, NULL},
    {"DELETE", "/api/orgs/{id}/staff/{user}", api_staff_remove, 0, 0, NULL},
    {"GET", "/api/orgs/{id}/bodies", api_bodies_list, 0, 0, NULL},
    {"POST", "/api/orgs/{id}/bodies", api_bodies_create, JSON_BODY, 0, NULL},
    {"GET", "/api/bodies/{id}", api_body_get, 0, 0, NULL},
    {"PATCH", "/api/bodies/{id}", api_body_update, JSON_BODY, 0, NULL},
    {"GET", "/api/bodies/{id}/members", api_members_list, 0, 0, NULL},
    {"POST", "/api/bodies/{id}/members", api_members_add, JSON_BODY, 0, NULL},
    {"POST", "/api/bodies/{id}/members/import", api_members_import, CSV_BODY, 0, NULL},
    {"PATCH", "/api/bodies/{id}/members/{member}", api_member_update, JSON_BODY, 0, NULL},
    {"DELETE", "/api/bodies/{id}/members/{member}", api_member_remove, 0, 0, NULL},

    {"GET", "/api/me/meetings", api_my_meetings, 0, 0, NULL},
    {"GET", "/api/bodies/{id}/meetings", api_meetings_list, 0, 0, NULL},
    {"POST", "/api/bodies/{id}/meetings", api_meetings_create, JSON_BODY, 0, NULL},
    {"GET", "/api/meetings/{id}", api_meeting_get, 0, 0, NULL},
    {"PATCH", "/api/meetings/{id}", api_meeting_update, JSON_BODY, 0, NULL},
    {"POST", "/api/meetings/{id}/agenda", api_agenda_add, JSON_BODY, 0, NULL},
    {"POST", "/api/meetings/{id}/agenda/order", api_agenda_reorder, JSON_BODY, 0, NULL},
    {"PATCH", "/api/meetings/{id}/agenda/{item}", api_agenda_update, JSON_BODY, 0, NULL},
    {"DELETE", "/api/meetings/{id}/agenda/{item}", api_agenda_remove, 0, 0, NULL},
    {"POST", "/api/meetings/{id}/documents", api_documents_upload, DOC_MAX_BYTES, 0,
     api_document_sink},
    {"DELETE", "/api/meetings/{id}/documents/{doc}", api_document_remove, 0, 0, NULL},
    {"GET", "/api/documents/{id}", api_document_get, 0, 0, NULL},
    {"GET", "/api/meetings/{id}/participants", api_participants_list, 0, 0, NULL},
    {"POST", "/api/meetings/{id}/participants", api_participants_add, JSON_BODY, 0, NULL},
    {"DELETE", "/api/meetings/{id}/participants/{user}", api_participants_remove, 0, 0, NULL},
    {"POST", "/api/meetings/{id}/scrutiny", api_scrutiny_set, JSON_BODY, 0, NULL},
    {"POST", "/api/meetings/{id}/convene", api_meeting_convene, EMPTY_BODY, 0, NULL},
    {"POST", "/api/meetings/{id}/start", api_meeting_start, EMPTY_BODY, 0, NULL},
    {"POST", "/api/meetings/{id}/close", api_meeting_close, EMPTY_BODY, 0, NULL},
    {"GET", "/api/meetings/{id}/state", api_meeting_state, 0, 0, NULL},
    {"POST", "/api/meetings/{id}/attendance-checks", api_attendance_start, JSON_BODY, 0, NULL},
    {"POST", "/api/meetings/{id}/attendance-checks/{check}/present", api_attendance_present, EMPTY_BODY, 0,
     NULL},
    {"POST", "/api/meetings/{id}/attendance-checks/{check}/end", api_attendance_end, EMPTY_BODY, 0, NULL},
    {"POST", "/api/meetings/{id}/presence", api_presence, JSON_BODY, 0, NULL},
    {"POST", "/api/meetings/{id}/current-item", api_current_item, JSON_BODY, 0, NULL},
    {"POST", "/api/meetings/{id}/speakers", api_floor_request, JSON_BODY, 0, NULL},
    {"DELETE", "/api/meetings/{id}/speakers/{request}", api_floor_withdraw, 0, 0, NULL},
    {"POST", "/api/meetings/{id}/speakers/{request}/grant", api_floor_grant, JSON_BODY, 0, NULL},
    {"POST", "/api/meetings/{id}/floor/end", api_floor_end, EMPTY_BODY, 0, NULL},
    {"POST", "/api/meetings/{id}/chat", api_chat_send, JSON_BODY, 0, NULL},
    {"POST", "/api/meetings/{id}/chat/{message}/hide", api_chat_hide, EMPTY_BODY, 0, NULL},
    {"GET", "/api/meetings/{id}/votes", api_votes_list, 0, 0, NULL},
    {"POST", "/api/meetings/{id}/votes", api_votes_create, JSON_BODY, 0, NULL},
    {"GET", "/api/votes/{id}", api_vote_get, 0, 0, NULL},
    {"GET", "/api/votes/{id}/board", api_vote_board, 0, 0, NULL},
    {"GET", "/api/votes/{id}/trustees", api_vote_trustees, 0, 0, NULL},
    {"POST", "/api/votes/{id}/trustees/key", api_vote_trustee_key, JSON_BODY, 0, NULL},
    {"POST", "/api/votes/{id}/trustees/shares", api_vote_trustee_shares, BALLOT_BODY, 0, NULL},
    {"POST", "/api/votes/{id}/decryptions", api_vote_decryption, BALLOT_BODY, 0, NULL},
    {"POST", "/api/votes/{id}/open", api_vote_open, EMPTY_BODY, 0, NULL},
    {"POST", "/api/votes/{id}/close", api_vote_close, EMPTY_BODY, 0, NULL},
    {"POST", "/api/votes/{id}/extend", api_vote_extend, JSON_BODY, 0, NULL},
    {"POST", "/api/votes/{id}/ballots", api_vote_ballot, BALLOT_BODY, 0, NULL},
    {"POST", "/api/votes/{id}/repeat", api_vote_repeat, JSON_BODY, 0, NULL},

    {"GET", "/m/{token:token}", api_access_page, 0, ROUTE_LOG_PATTERN, NULL},
    {"GET", "/api/access/{token:token}", api_access_get, 0, ROUTE_LOG_PATTERN, NULL},
};
const size_t api_routes_count = sizeof api_routes / sizeof api_routes[0];
