/* report_text.c — see report_text.h. */
#include "report/report_text.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "mail/invitations.h"
#include "crypto/evote.h"
#include "report/layout.h"
#include "report/report.h"

void report_format_time(char *out, size_t size, int64_t ms, const char *zone, bool is_en)
{
    if (!ms) {
        snprintf(out, size, "—");
        return;
    }
    struct invitation_local_time t;
    invitation_local_time(ms, zone, &t);
    if (is_en)
        snprintf(out, size, "%04d-%02d-%02d %02d:%02d %s", t.year, t.month, t.day, t.hour, t.minute,
                 t.abbr);
    else
        snprintf(out, size, "%02d.%02d.%04d %02d:%02d %s", t.day, t.month, t.year, t.hour, t.minute,
                 t.abbr);
}

void report_format_hm(char *out, size_t size, int64_t ms, const char *zone)
{
    if (!ms) {
        snprintf(out, size, "—");
        return;
    }
    struct invitation_local_time t;
    invitation_local_time(ms, zone, &t);
    snprintf(out, size, "%02d:%02d", t.hour, t.minute);
}

void report_format_date(char *out, size_t size, int64_t ms, const char *zone, bool is_en)
{
    struct invitation_local_time t;
    invitation_local_time(ms, zone, &t);
    if (is_en)
        snprintf(out, size, "%04d-%02d-%02d", t.year, t.month, t.day);
    else
        snprintf(out, size, "%02d.%02d.%04d", t.day, t.month, t.year);
}

const char *report_choice_word(const char *choice, bool is_en)
{
    if (!choice)
        return TR(is_en, "nie głosował(a)", "did not vote");
    if (!strcmp(choice, "yes"))
        return TR(is_en, "za", "yes");
    if (!strcmp(choice, "no"))
        return TR(is_en, "przeciw", "no");
    if (!strcmp(choice, "abstain"))
        return TR(is_en, "wstrzymał(a) się", "abstained");
    return choice;
}

const char *report_no_ballot_word(bool is_absent, bool is_en)
{
    if (is_absent)
        return TR(is_en, "nieobecny/nieobecna", "absent");
    return report_choice_word(NULL, is_en);
}

const char *report_proxy_words(bool is_en)
{
    return TR(is_en, " — oddany przez pełnomocnika ", " — cast by proxy holder ");
}

const char *report_outcome_word(const char *outcome, bool is_en)
{
    if (outcome && !strcmp(outcome, "adopted"))
        return TR(is_en, "podjęta", "adopted");
    if (outcome && !strcmp(outcome, "rejected"))
        return TR(is_en, "odrzucona", "rejected");
    return TR(is_en, "głosowanie nieważne", "invalid");
}

static char key_hex[65], key_fp[EVOTE_FINGERPRINT];
static char public_url[256];

void report_set_public_url(const char *url)
{
    snprintf(public_url, sizeof public_url, "%s", url ? url : "");
}

const char *report_public_url(void)
{
    return public_url;
}

void report_set_installation_key(const unsigned char pk[32])
{
    sodium_bin2hex(key_hex, sizeof key_hex, pk, 32);
    evote_key_fingerprint(pk, key_fp);
}

void report_key_lines(struct lay *l, bool is_en)
{
    if (!key_hex[0])
        return;
    char s[200];
    snprintf(s, sizeof s,
             is_en ? "Installation key (signs the bulletin boards of secret votes; "
                     "/.well-known/obrady-key), fingerprint %s:"
                   : "Klucz instalacji (podpisuje tablice głosowań tajnych; "
                     "/.well-known/obrady-key), odcisk %s:",
             key_fp);
    lay_para(l, LAY_SMALL, s);
    lay_para(l, LAY_MONO, key_hex);
}
