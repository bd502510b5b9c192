/* errors.h — every error a client can receive, in one table: HTTP status,
 * stable machine code, and the message in English and Polish. Handlers name an
 * entry (reply_error(rq, ERR_..., field)); nothing else builds error bodies.
 * Later capabilities add their entries here. */
#ifndef OBR_HTTP_ERRORS_H
#define OBR_HTTP_ERRORS_H

enum api_err {
    ERR_MALFORMED_JSON,
    ERR_NOT_AN_OBJECT,
    ERR_INVALID_UTF8,
    ERR_BAD_PARAMETER,
    ERR_UNAUTHORIZED,
    ERR_FORBIDDEN,
    ERR_ORIGIN_MISMATCH,
    ERR_NOT_FOUND,
    ERR_METHOD_NOT_ALLOWED,
    ERR_CONFLICT,
    ERR_BODY_TOO_LARGE,
    ERR_URI_TOO_LONG,
    ERR_UNSUPPORTED_MEDIA_TYPE,
    ERR_UNKNOWN_FIELD,
    ERR_MISSING_FIELD,
    ERR_WRONG_TYPE,
    ERR_OUT_OF_RANGE,
    ERR_RATE_LIMITED,
    ERR_HEADERS_TOO_LARGE,
    ERR_LINK_EXPIRED,
    ERR_INTERNAL,
    ERR_UNAVAILABLE,
    ERR_INSUFFICIENT_STORAGE,
    /* sign-in */
    ERR_EMAIL_INVALID,
    ERR_CODE_INVALID,
    ERR_CODE_EXPIRED,
    ERR_CODE_DEAD,
    ERR_TOTP_REQUIRED,
    ERR_TOTP_INVALID,
    ERR_TOTP_NOT_SET_UP,
    /* directory */
    ERR_EMAIL_DOMAIN,
    ERR_ALREADY_MEMBER,
    ERR_ALREADY_EXISTS,
    ERR_CSV_INVALID,
    /* meetings */
    ERR_MEETING_NOT_DRAFT,
    ERR_MEETING_NOT_READY,
    ERR_MEETING_NOT_IN_PROGRESS,
    ERR_MEETING_CLOSED,
    ERR_CHECK_ALREADY_OPEN,
    ERR_NO_CHECK_OPEN,
    ERR_NOT_PARTICIPANT,
    ERR_UNKNOWN_ITEM,
    ERR_ALREADY_QUEUED,
    ERR_NOT_QUEUED,
    ERR_NO_SPEAKER,
    ERR_UNKNOWN_MESSAGE,
    ERR_CHAT_MUTED,
    ERR_BAD_TIME,
    /* documents */
    ERR_FILE_TYPE,
    /* votes */
    ERR_NOT_ELIGIBLE,
    ERR_NOT_PRESENT,
    ERR_ALREADY_VOTED,
    ERR_VOTE_CLOSED,
    ERR_VOTE_NOT_DRAFT,
    ERR_VOTE_NOT_OPEN,
    ERR_VOTE_NOT_CLOSED,
    ERR_BALLOT_ID_TAKEN,
    ERR_TOO_MANY_CHOICES,
    ERR_EMPTY_ELECTORATE,
    ERR_BAD_BALLOT,
    ERR_DUPLICATE_BALLOT,
    ERR_TRUSTEES_NOT_READY,
    ERR_BAD_TRUSTEE_KEY,
    ERR_NOT_TRUSTEE,
    ERR_TRUSTEE_DONE,
    ERR_BAD_DECRYPTION,
    ERR_NO_COMMITTEE,
    ERR_NO_VOTER_KEY,
    ERR_VOTER_KEY_TAKEN,
    ERR_BAD_VOTER_KEY,
    /* roll-call by hand */
    ERR_HAND_SECRET,
    ERR_HAND_NOT_VOTER,
    ERR_VOTED_ELECTRONICALLY,
    ERR_ENTERED_BY_HAND,
    /* the scrutiny committee's confirmation */
    ERR_NOT_CONFIRMING,
    ERR_NOT_SCRUTINY,
    ERR_ALREADY_CONFIRMED,
    ERR_NOT_CONFIRMED,
    /* weights (shares) */
    ERR_WEIGHT_NOT_NUMBER,
    ERR_WEIGHT_DIGITS,
    ERR_WEIGHT_NOT_POSITIVE,
    ERR_WEIGHT_TOO_LARGE,
    ERR_WEIGHTS_OFF,
    ERR_WEIGHTS_SECRET,
    ERR_WEIGHTS_ELECTION,
    /* reports */
    ERR_REPORT_VOTE_NOT_CLOSED,
    /* attendance over a period */
    ERR_PERIOD_REVERSED,
    ERR_PERIOD_TOO_LONG,
    /* meeting templates */
    ERR_TEMPLATE_AGENDA_TWICE,
    ERR_TEMPLATE_NAME_TAKEN,
    ERR_TEMPLATE_UNKNOWN,
    /* interpellations and questions */
    ERR_INTERP_NOT_MEMBER,
    ERR_INTERP_NUMBER_TAKEN,
    ERR_INTERP_REGISTERED,
    ERR_INTERP_NOT_REGISTERED,
    ERR_INTERP_ANSWER_EARLY,
    ERR_INTERP_FILES_FULL,
    ERR_INTERP_FILING_CLOSED,
    /* proxies (pełnomocnictwa) */
    ERR_PROXY_SELF,
    ERR_PROXY_NOT_MEMBER,
    ERR_PROXY_CHAIN,
    ERR_PROXY_OVERLAP,
    ERR_PROXY_REVOKED,
    ERR_PROXY_SECRET,
    ERR_PROXY_NONE,
    ERR_PROXY_GRANTOR_PRESENT,
    ERR_PROXY_GRANTOR_VOTED,
    ERR_PROXY_HOLDER_ABSENT,
    /* backups */
    ERR_BACKUP_RUNNING,
    ERR_BACKUPS_OFF,
    /* audio */
    ERR_AUDIO_NOT_LIVE,
    ERR_AUDIO_BUSY,
    ERR_AUDIO_NOT_SOURCE,
    ERR_AUDIO_PACKET,
    ERR_AUDIO_PACKET_TOO_LARGE,
    ERR_AUDIO_NO_RECORDING,
    ERR_RANGE_NOT_SATISFIABLE,
    ERR__COUNT
};

struct api_err_info {
    unsigned status;
    const char *code;
    const char *message_en;
    const char *message_pl;
};

const struct api_err_info *api_err_info(enum api_err err);
/* The client-facing error for an internal OBR_E* code (busy → 503, full → 507 ...). */
enum api_err api_err_from_obr(int obr_err);

#endif
