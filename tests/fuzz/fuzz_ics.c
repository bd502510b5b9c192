/* fuzz_ics.c — iCalendar output (mail/ics.c): any summary, place,
 * description, URL and names give a calendar with CRLF lines of at most 75
 * octets, exactly one VEVENT, and no property smuggled in by a field. */
#include <stdbool.h>
#include <stdint.h>

#include "fuzz_util.h"
#include "mail/ics.h"

static int count(const char *s, const char *what)
{
    int n = 0;
    for (const char *p = s; (p = strstr(p, what)); p++)
        n++;
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data;
    size_t left = size;
    char *summary = fz_field(&p, &left, NULL);
    char *location = fz_field(&p, &left, NULL);
    char *description = fz_field(&p, &left, NULL);
    char *url = fz_field(&p, &left, NULL);
    char *org_name = fz_field(&p, &left, NULL);
    char *att_name = fz_field(&p, &left, NULL);
    struct ics_event e = {
        .uid = "m1@obrady.example",
        .sequence = (int)(size % 7),
        .start_ms = 1938000000000,
        .end_ms = 1938007200000,
        .stamp_ms = 1937000000000,
        .summary = summary,
        .location = location,
        .description = description,
        .url = url,
        .organizer_name = org_name,
        .organizer_email = "biuro@przykladowo.example",
        .attendee_name = att_name,
        .attendee_email = "radny01@przykladowo.example",
        .is_cancelled = size % 2,
    };
    size_t len = 0;
    char *cal = ics_build(&e, &len);
    if (cal) {
        FZ_CHECK(strlen(cal) == len, "NUL inside");
        size_t start = 0;
        for (size_t i = 0; i < len; i++) {
            if (cal[i] == '\r')
                FZ_CHECK(i + 1 < len && cal[i + 1] == '\n', "bare CR");
            if (cal[i] == '\n') {
                FZ_CHECK(i > 0 && cal[i - 1] == '\r', "bare LF");
                FZ_CHECK(i - 1 - start <= 75, "line of %zu octets", i - 1 - start);
                start = i + 1;
            }
        }
        FZ_CHECK(count(cal, "\r\nBEGIN:VEVENT\r\n") == 1 && count(cal, "\r\nEND:VEVENT\r\n") == 1,
                 "not one VEVENT");
        FZ_CHECK(count(cal, "\r\nATTENDEE") == 1 && count(cal, "\r\nORGANIZER") == 1,
                 "a field added a property");
        FZ_CHECK(len >= 15 && !strcmp(cal + len - 15, "END:VCALENDAR\r\n"), "end");
    }
    free(cal);
    free(summary);
    free(location);
    free(description);
    free(url);
    free(org_name);
    free(att_name);
    return 0;
}
