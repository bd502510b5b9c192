/* fuzz_mime.c — MIME and RFC 2047 encoding (mail/mime.c): whatever names,
 * subjects and bodies come in, a built message has CRLF line ends only, no
 * line over 78 octets, pure ASCII headers, exactly one To and one Subject
 * (no header injection), and a header field refused rather than broken. */
#include <stdbool.h>
#include <stdint.h>

#include "fuzz_util.h"
#include "mail/mail.h"

static void check_message(const char *msg, size_t len)
{
    FZ_CHECK(strlen(msg) == len, "NUL inside the message");
    size_t line_start = 0;
    int to = 0, subject = 0;
    bool in_headers = true;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)msg[i];
        if (c == '\n')
            FZ_CHECK(i > 0 && msg[i - 1] == '\r', "bare LF at %zu", i);
        if (c == '\r')
            FZ_CHECK(i + 1 < len && msg[i + 1] == '\n', "bare CR at %zu", i);
        if (in_headers)
            FZ_CHECK(c < 128, "8-bit header byte at %zu", i);
        if (c == '\n') {
            size_t l = i - 1 - line_start;
            FZ_CHECK(l <= 78, "line of %zu octets at %zu", l, line_start);
            if (in_headers && l == 0)
                in_headers = false;
            line_start = i + 1;
            if (in_headers) {
                to += !strncmp(msg + line_start, "To:", 3);
                subject += !strncmp(msg + line_start, "Subject:", 8);
            }
        }
    }
    to += !strncmp(msg, "To:", 3);
    subject += !strncmp(msg, "Subject:", 8);
    FZ_CHECK(to == 1 && subject == 1, "To x%d, Subject x%d", to, subject);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *p = data;
    size_t left = size;
    char *name = fz_field(&p, &left, NULL);
    char *subject = fz_field(&p, &left, NULL);
    char *text = fz_field(&p, &left, NULL);
    char *html = fz_field(&p, &left, NULL);
    char *from_name = fz_field(&p, &left, NULL);
    char from[512];
    snprintf(from, sizeof from, "%s <no-reply@obrady.example>", from_name);
    struct mail_message m = {
        .to_addr = "radny01@przykladowo.example",
        .to_name = *name ? name : NULL,
        .subject = subject,
        .text = text,
        .html = *html ? html : NULL,
    };
    size_t len = 0;
    char *msg = mime_build(&m, from, &len);
    if (msg)
        check_message(msg, len);
    free(msg);
    free(name);
    free(subject);
    free(text);
    free(html);
    free(from_name);
    return 0;
}
