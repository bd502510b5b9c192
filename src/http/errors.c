/* errors.c — the table behind errors.h. Messages are short, say what to do,
 * and never echo the client's input back. */
#include "http/errors.h"

#include "util/err.h"

static const struct api_err_info table[ERR__COUNT] = {
    [ERR_MALFORMED_JSON] = {400, "malformed_json", "The request body is not valid JSON.",
                            "Treść żądania nie jest poprawnym JSON-em."},
    [ERR_NOT_AN_OBJECT] = {400, "not_an_object", "The request body must be a JSON object.",
                           "Treść żądania musi być obiektem JSON."},
    [ERR_INVALID_UTF8] = {400, "invalid_utf8", "Text must be valid UTF-8.",
                          "Tekst musi być poprawnie zakodowany w UTF-8."},
    [ERR_BAD_PARAMETER] = {400, "bad_parameter", "A parameter of the request is not valid.",
                           "Parametr żądania jest niepoprawny."},
    [ERR_UNAUTHORIZED] = {401, "unauthorized", "Please sign in.", "Zaloguj się."},
    [ERR_FORBIDDEN] = {403, "forbidden", "You are not allowed to do this.",
                       "Nie masz uprawnień do tej czynności."},
    [ERR_ORIGIN_MISMATCH] = {403, "origin_mismatch",
                             "The request came from another site and was refused.",
                             "Żądanie pochodzi z innej witryny i zostało odrzucone."},
    [ERR_NOT_FOUND] = {404, "not_found", "Not found.", "Nie znaleziono."},
    [ERR_METHOD_NOT_ALLOWED] = {405, "method_not_allowed",
                                "This method is not allowed for this address.",
                                "Ta metoda nie jest dozwolona dla tego adresu."},
    [ERR_CONFLICT] = {409, "conflict", "The current state does not allow this.",
                      "Obecny stan nie pozwala na tę czynność."},
    [ERR_BODY_TOO_LARGE] = {413, "body_too_large", "The request body is too large.",
                            "Treść żądania jest zbyt duża."},
    [ERR_URI_TOO_LONG] = {414, "uri_too_long", "The address is too long.",
                          "Adres jest zbyt długi."},
    [ERR_UNSUPPORTED_MEDIA_TYPE] = {415, "unsupported_media_type",
                                    "Send the body as application/json.",
                                    "Wyślij treść jako application/json."},
    [ERR_UNKNOWN_FIELD] = {422, "unknown_field", "This field is not known.",
                           "To pole jest nieznane."},
    [ERR_MISSING_FIELD] = {422, "missing_field", "This field is required.",
                           "To pole jest wymagane."},
    [ERR_WRONG_TYPE] = {422, "wrong_type", "This field has the wrong type.",
                        "To pole ma niewłaściwy typ."},
    [ERR_OUT_OF_RANGE] = {422, "out_of_range", "This value is empty, too long or out of range.",
                          "Ta wartość jest pusta, zbyt długa lub spoza zakresu."},
    [ERR_RATE_LIMITED] = {429, "rate_limited", "Too many requests; try again later.",
                          "Zbyt wiele żądań; spróbuj ponownie później."},
    [ERR_HEADERS_TOO_LARGE] = {431, "headers_too_large", "The request headers are too large.",
                               "Nagłówki żądania są zbyt duże."},
    [ERR_INTERNAL] = {500, "internal", "Something went wrong on the server; nothing was changed.",
                      "Wystąpił błąd serwera; niczego nie zmieniono."},
    [ERR_UNAVAILABLE] = {503, "unavailable", "The service is busy; try again in a moment.",
                         "Usługa jest zajęta; spróbuj ponownie za chwilę."},
    [ERR_INSUFFICIENT_STORAGE] = {507, "insufficient_storage",
                                  "The server has no space left; nothing was stored.",
                                  "Na serwerze zabrakło miejsca; niczego nie zapisano."},
    [ERR_EMAIL_INVALID] = {422, "email_invalid", "This is not a valid e-mail address.",
                           "To nie jest poprawny adres e-mail."},
    [ERR_CODE_INVALID] = {401, "code_invalid", "The code is wrong. Check it and try again.",
                          "Kod jest nieprawidłowy. Sprawdź go i spróbuj ponownie."},
    [ERR_CODE_EXPIRED] = {401, "code_expired", "The code has expired or was not requested; ask for a new one.",
                          "Kod wygasł lub nie był wysłany; poproś o nowy."},
    [ERR_CODE_DEAD] = {401, "code_dead", "Too many wrong tries; ask for a new code.",
                       "Zbyt wiele błędnych prób; poproś o nowy kod."},
    [ERR_TOTP_REQUIRED] = {401, "totp_required", "Enter the code from your authenticator app.",
                           "Podaj kod z aplikacji uwierzytelniającej."},
    [ERR_TOTP_INVALID] = {401, "totp_invalid", "The authenticator code is wrong or was already used.",
                          "Kod z aplikacji jest nieprawidłowy lub został już użyty."},
    [ERR_TOTP_NOT_SET_UP] = {409, "totp_not_set_up", "Start the authenticator set-up first.",
                             "Najpierw rozpocznij konfigurację aplikacji uwierzytelniającej."},
    [ERR_EMAIL_DOMAIN] = {422, "email_domain",
                          "Members of this organisation must use an address in its e-mail domain; mark external members as external.",
                          "Członkowie tej organizacji muszą używać adresu w jej domenie; członków zewnętrznych oznacz jako zewnętrznych."},
    [ERR_ALREADY_MEMBER] = {409, "already_member", "This person is already a member of the body.",
                            "Ta osoba jest już członkiem organu."},
    [ERR_ALREADY_EXISTS] = {409, "already_exists", "It already exists.", "To już istnieje."},
    [ERR_CSV_INVALID] = {422, "csv_invalid", "The file has errors; nothing was imported.",
                         "Plik zawiera błędy; niczego nie zaimportowano."},
    [ERR_MEETING_NOT_DRAFT] = {409, "meeting_not_draft",
                               "The meeting is already convened: change the agenda by an amendment during the meeting.",
                               "Posiedzenie jest już zwołane: porządek obrad można zmienić tylko wnioskiem w trakcie posiedzenia."},
    [ERR_MEETING_NOT_READY] = {409, "meeting_not_ready", "The meeting cannot be started in its current state.",
                               "Posiedzenia nie można rozpocząć w obecnym stanie."},
    [ERR_MEETING_NOT_IN_PROGRESS] = {409, "meeting_not_in_progress", "The meeting is not in progress.",
                                     "Posiedzenie nie trwa."},
    [ERR_MEETING_CLOSED] = {409, "meeting_closed", "The meeting is closed.", "Posiedzenie jest zamknięte."},
    [ERR_CHECK_ALREADY_OPEN] = {409, "check_already_open", "An attendance check is already running.",
                                "Sprawdzanie obecności już trwa."},
    [ERR_NO_CHECK_OPEN] = {409, "no_check_open", "This attendance check has ended.",
                           "To sprawdzanie obecności już się zakończyło."},
    [ERR_NOT_PARTICIPANT] = {403, "not_participant", "You do not take part in this meeting.",
                             "Nie uczestniczysz w tym posiedzeniu."},
    [ERR_UNKNOWN_ITEM] = {409, "unknown_item", "There is no such agenda item.",
                          "Nie ma takiego punktu porządku obrad."},
    [ERR_ALREADY_QUEUED] = {409, "already_queued", "You have already asked to speak.",
                            "Już zgłoszono prośbę o głos."},
    [ERR_NOT_QUEUED] = {409, "not_queued", "This request to speak is not in the queue.",
                        "Tego zgłoszenia nie ma w kolejce."},
    [ERR_NO_SPEAKER] = {409, "no_speaker", "Nobody has the floor.", "Nikt nie ma głosu."},
    [ERR_UNKNOWN_MESSAGE] = {409, "unknown_message", "There is no such message.",
                             "Nie ma takiej wiadomości."},
    [ERR_BAD_TIME] = {422, "bad_time", "Give the time as RFC 3339, e.g. 2026-12-01T17:00:00+01:00.",
                      "Podaj czas w formacie RFC 3339, np. 2026-12-01T17:00:00+01:00."},
    [ERR_FILE_TYPE] = {415, "file_type",
                       "This file is not accepted: send PDF, Word, Excel, PowerPoint, OpenDocument, RTF, plain text, PNG or JPEG, with a name and type that match its content.",
                       "Ten plik nie jest przyjmowany: wyślij PDF, Word, Excel, PowerPoint, OpenDocument, RTF, zwykły tekst, PNG lub JPEG, z nazwą i typem zgodnymi z jego zawartością."},
    [ERR_NOT_SUPPORTED_YET] = {422, "not_supported_yet", "This kind of vote is not supported yet.",
                               "Ten rodzaj głosowania nie jest jeszcze obsługiwany."},
    [ERR_NOT_ELIGIBLE] = {403, "not_eligible", "You are not entitled to vote in this vote.",
                          "Nie jesteś uprawniony do udziału w tym głosowaniu."},
    [ERR_NOT_PRESENT] = {409, "not_present", "You are not recorded as present: check in first.",
                         "Nie jesteś zapisany jako obecny: najpierw potwierdź obecność."},
    [ERR_ALREADY_VOTED] = {409, "already_voted", "You have already voted; this body does not allow changing the vote.",
                           "Już oddano głos; ten organ nie pozwala na zmianę głosu."},
    [ERR_VOTE_CLOSED] = {409, "vote_closed", "The vote is closed; this ballot was not counted.",
                         "Głosowanie jest zamknięte; ten głos nie został policzony."},
    [ERR_VOTE_NOT_DRAFT] = {409, "vote_not_draft", "The vote has already been opened.",
                            "Głosowanie zostało już otwarte."},
    [ERR_VOTE_NOT_OPEN] = {409, "vote_not_open", "The vote is not open.", "Głosowanie nie jest otwarte."},
    [ERR_VOTE_NOT_CLOSED] = {409, "vote_not_closed", "Only a closed vote can be repeated.",
                             "Powtórzyć można tylko zamknięte głosowanie."},
    [ERR_BALLOT_ID_TAKEN] = {409, "ballot_id_taken", "This ballot id is already used by another voter.",
                             "Ten identyfikator głosu jest już użyty przez innego głosującego."},
};

const struct api_err_info *api_err_info(enum api_err err)
{
    if ((unsigned)err >= ERR__COUNT || !table[err].code)
        return &table[ERR_INTERNAL];
    return &table[err];
}

enum api_err api_err_from_obr(int obr_err)
{
    switch (obr_err) {
    case OBR_ENOTFOUND: return ERR_NOT_FOUND;
    case OBR_EEXISTS:
    case OBR_ECONFLICT: return ERR_CONFLICT;
    case OBR_EBUSY: return ERR_UNAVAILABLE;
    case OBR_EFULL: return ERR_INSUFFICIENT_STORAGE;
    case OBR_ELIMIT: return ERR_RATE_LIMITED;
    case OBR_EINVAL: return ERR_BAD_PARAMETER;
    default: return ERR_INTERNAL;
    }
}
