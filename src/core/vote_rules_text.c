/* vote_rules_text.c — the majorities, election rules, outcomes and shares in words,
 * Polish and English, for screens and the protocol (see vote_rules.h). The
 * numbers come from vote_decide_*, so the words and the decision cannot
 * disagree. Polish numerals are kept out of declension ("miejsc do
 * obsadzenia: 3") so no plural forms are needed. */
#include "core/vote_rules.h"
#include "core/vote_weights.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/err.h"

static bool is_polish(const char *lang)
{
    return lang && strcmp(lang, "pl") == 0;
}

/* Appends to out at *len, like snprintf; on overflow cuts the text at the
 * last whole UTF-8 character and returns OBR_ELIMIT (later calls then do
 * nothing and return OBR_ELIMIT). */
static int append(char *out, size_t size, size_t *len, const char *fmt, ...)
{
    if (*len >= size)
        return OBR_ELIMIT;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(out + *len, size - *len, fmt, ap);
    va_end(ap);
    if (n < 0)
        return OBR_EINVAL;
    if ((size_t)n < size - *len) {
        *len += (size_t)n;
        return 0;
    }
    /* Truncated: out holds size - 1 bytes. Drop a partial last character. */
    size_t end = size - 1, lead = end;
    while (lead > 0 && ((unsigned char)out[lead - 1] & 0xC0) == 0x80)
        lead--;
    if (lead > 0) {
        unsigned char c = (unsigned char)out[lead - 1];
        size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        if (lead - 1 + need > end)
            end = lead - 1;
    }
    out[end] = '\0';
    *len = size; /* marks the buffer as full */
    return OBR_ELIMIT;
}

/* ---- Motions ---- */

struct majority_words {
    const char *name, *rule; /* "name: rule" */
};

/* Indexed by enum vote_majority; [0] Polish, [1] English. */
static const struct majority_words majority_words[][2] = {
    [VM_SIMPLE] = {{"zwykła większość głosów",
                    "więcej głosów „za” niż „przeciw”; remis oznacza odrzucenie"},
                   {"simple majority", "more votes for than against; a tie means rejection"}},
    [VM_ABSOLUTE] = {{"bezwzględna większość głosów oddanych",
                      "więcej głosów „za” niż łącznie „przeciw” i „wstrzymujących się”"},
                     {"absolute majority of votes cast",
                      "more votes for than against and abstentions together"}},
    [VM_ABSOLUTE_STATUTORY] = {{"bezwzględna większość ustawowego składu",
                                "więcej głosów „za” niż połowa ustawowego składu"},
                               {"absolute majority of the statutory composition",
                                "more votes for than half of the statutory composition"}},
    [VM_TWO_THIRDS_CAST] = {{"większość 2/3 głosów oddanych",
                             "co najmniej 2/3 głosów oddanych (łącznie „za”, „przeciw” i "
                             "„wstrzymujących się”) to głosy „za”"},
                            {"two-thirds majority of votes cast",
                             "at least 2/3 of the votes cast (for, against and abstentions "
                             "together) are for"}},
    [VM_THREE_FIFTHS_CAST] = {{"większość 3/5 głosów oddanych",
                               "co najmniej 3/5 głosów oddanych (łącznie „za”, „przeciw” i "
                               "„wstrzymujących się”) to głosy „za”"},
                              {"three-fifths majority of votes cast",
                               "at least 3/5 of the votes cast (for, against and abstentions "
                               "together) are for"}},
    [VM_TWO_THIRDS_STATUTORY] = {{"większość 2/3 ustawowego składu",
                                  "co najmniej 2/3 ustawowego składu głosuje „za”"},
                                 {"two-thirds majority of the statutory composition",
                                  "at least 2/3 of the statutory composition vote for"}},
    [VM_THREE_FIFTHS_STATUTORY] = {{"większość 3/5 ustawowego składu",
                                    "co najmniej 3/5 ustawowego składu głosuje „za”"},
                                   {"three-fifths majority of the statutory composition",
                                    "at least 3/5 of the statutory composition vote for"}},
    [VM_FOUR_FIFTHS_STATUTORY] = {{"większość 4/5 ustawowego składu",
                                   "co najmniej 4/5 ustawowego składu głosuje „za”"},
                                  {"four-fifths majority of the statutory composition",
                                   "at least 4/5 of the statutory composition vote for"}},
    [VM_SHARES_CAST] = {{"większość udziałów głosów oddanych",
                         "udziały głosujących „za” przekraczają połowę udziałów wszystkich "
                         "głosujących (głosy liczone według wielkości udziałów)"},
                        {"majority of the shares of votes cast",
                         "the shares of those voting for exceed half the shares of all who "
                         "voted (votes counted by the size of shares)"}},
    [VM_SHARES_ALL] = {{"większość udziałów wszystkich uprawnionych",
                        "udziały głosujących „za” przekraczają połowę udziałów wszystkich "
                        "uprawnionych (ustawa o własności lokali, art. 23: większość głosów "
                        "liczona według wielkości udziałów)"},
                       {"majority of the shares of all entitled",
                        "the shares of those voting for exceed half the shares of everyone "
                        "entitled to vote (votes counted by the size of shares)"}},
};

int vote_rule_describe(char *out, size_t size, enum vote_majority m, const struct motion_tally *t,
                       const char *lang)
{
    if (!out || size == 0 || !vote_majority_name(m) ||
        (unsigned)m >= sizeof majority_words / sizeof majority_words[0])
        return OBR_EINVAL;
    bool pl = is_polish(lang);
    struct motion_result res;
    if (vote_majority_is_weighted(m))
        t = NULL; /* the numbers are weights: vote_weights_describe */
    if (t && vote_decide_motion(m, t, &res) != 0)
        return OBR_EINVAL;
    const struct majority_words *w = &majority_words[m][pl ? 0 : 1];
    size_t len = 0;
    int rc = append(out, size, &len, "%s: %s", w->name, w->rule);
    if (rc != 0 || !t)
        return rc;

    if (vote_majority_is_statutory(m))
        return append(out, size, &len, pl ? " (potrzeba %d z %d)" : " (%d of %d needed)",
                      res.threshold, t->statutory_size);
    if (m == VM_SIMPLE) {
        int pool = t->yes + t->no;
        if (pool == 0)
            return append(out, size, &len, "%s",
                          pl ? " (nie oddano głosów „za” ani „przeciw”)"
                             : " (no votes for or against)");
        return append(out, size, &len,
                      pl ? " (potrzeba %d z %d głosów „za” i „przeciw”)"
                         : " (%d of %d votes for and against needed)",
                      res.threshold, pool);
    }
    if (res.cast == 0)
        return append(out, size, &len, "%s",
                      pl ? " (nie oddano żadnego głosu)" : " (no votes cast)");
    return append(out, size, &len, pl ? " (potrzeba %d z %d oddanych)" : " (%d of %d cast needed)",
                  res.threshold, res.cast);
}

/* ---- Elections ---- */

static const char *const election_words[][2] = {
    [ER_MOST_VOTES] = {"najwięcej głosów: wybrani zostają kandydaci z największą liczbą "
                       "głosów, o ile otrzymali co najmniej jeden; remis o ostatnie miejsce "
                       "nie jest rozstrzygany losowo",
                       "most votes: the candidates with the most votes are elected, provided "
                       "they received at least one; a tie for the last seat is not decided "
                       "by lot"},
    [ER_ABSOLUTE_MAJORITY] = {"bezwzględna większość głosów: wybrany zostaje kandydat, który "
                              "otrzymał więcej niż połowę ważnych głosów, wliczając głosy "
                              "puste; remis o ostatnie miejsce nie jest rozstrzygany losowo",
                              "absolute majority: a candidate is elected with more than half "
                              "of the valid ballots, blank ballots included; a tie for the "
                              "last seat is not decided by lot"},
};

int election_rule_describe(char *out, size_t size, enum election_rule r,
                           const struct election_tally *t, const char *lang)
{
    if (!out || size == 0 || !election_rule_name(r))
        return OBR_EINVAL;
    bool pl = is_polish(lang);
    struct election_result res;
    if (t && vote_decide_election(r, t, &res) != 0)
        return OBR_EINVAL;
    size_t len = 0;
    int rc = append(out, size, &len, "%s", election_words[r][pl ? 0 : 1]);
    if (rc != 0 || !t)
        return rc;
    if (r == ER_MOST_VOTES)
        return append(out, size, &len, pl ? " (miejsc do obsadzenia: %d)" : " (seats to fill: %d)",
                      t->seats);
    if (t->ballots_cast == 0)
        return append(out, size, &len,
                      pl ? " (nie oddano żadnego głosu; miejsc do obsadzenia: %d)"
                         : " (no ballots cast; seats to fill: %d)",
                      t->seats);
    return append(out, size, &len,
                  pl ? " (potrzeba %d z %d oddanych głosów; miejsc do obsadzenia: %d)"
                     : " (%d of %d ballots needed; seats to fill: %d)",
                  res.threshold, t->ballots_cast, t->seats);
}

/* ---- Outcomes ---- */

static const char *const motion_outcomes[][2] = {
    [VOTE_ADOPTED] = {"podjęta", "adopted"},
    [VOTE_REJECTED] = {"odrzucona", "rejected"},
    [VOTE_INVALID] = {"nieważne", "invalid"},
};

static const char *const election_outcomes[][2] = {
    [VOTE_ADOPTED] = {"rozstrzygnięte", "decided"},
    [VOTE_REJECTED] = {"nikt nie został wybrany", "no one elected"},
    [VOTE_INVALID] = {"nieważne", "invalid"},
};

const char *vote_outcome_text(enum vote_outcome o, const char *lang)
{
    if ((unsigned)o >= sizeof motion_outcomes / sizeof motion_outcomes[0])
        return NULL;
    return motion_outcomes[o][is_polish(lang) ? 0 : 1];
}

const char *election_outcome_text(enum vote_outcome o, const char *lang)
{
    if ((unsigned)o >= sizeof election_outcomes / sizeof election_outcomes[0])
        return NULL;
    return election_outcomes[o][is_polish(lang) ? 0 : 1];
}

static const struct {
    const char *reason, *pl, *en;
} invalid_reasons[] = {
    {VOTE_INVALID_NO_QUORUM_AT_OPEN, "brak kworum przy otwarciu głosowania",
     "no quorum when the vote opened"},
    {VOTE_INVALID_NO_QUORUM_AT_CLOSE, "brak kworum przy zamknięciu głosowania",
     "no quorum when the vote closed"},
    {VOTE_INVALID_COUNTS_EXCEED_ELIGIBLE, "więcej głosów niż uprawnionych do głosowania",
     "more votes than eligible voters"},
    {VOTE_INVALID_COUNTS_INCONSISTENT, "liczby głosów są ze sobą sprzeczne",
     "the vote counts contradict each other"},
};

const char *vote_invalid_reason_text(const char *reason, const char *lang)
{
    if (!reason)
        return NULL;
    for (size_t i = 0; i < sizeof invalid_reasons / sizeof invalid_reasons[0]; i++)
        if (strcmp(invalid_reasons[i].reason, reason) == 0)
            return is_polish(lang) ? invalid_reasons[i].pl : invalid_reasons[i].en;
    return NULL;
}

int vote_result_describe(char *out, size_t size, const struct motion_result *res, const char *lang)
{
    const char *outcome = res ? vote_outcome_text(res->outcome, lang) : NULL;
    if (!out || size == 0 || !outcome)
        return OBR_EINVAL;
    bool pl = is_polish(lang);
    size_t len = 0;
    int rc = append(out, size, &len, "%s", outcome);
    if (rc != 0)
        return rc;
    if (res->outcome == VOTE_INVALID) {
        const char *why = vote_invalid_reason_text(res->invalid_reason, lang);
        return why ? append(out, size, &len, " — %s", why) : 0;
    }
    if (res->outcome == VOTE_REJECTED && res->is_tie)
        return append(out, size, &len, " — %s", pl ? "remis" : "tie");
    return 0;
}

/* ---- Weights (declared in vote_weights.h) ---- */

int vote_weights_describe(char *out, size_t size, enum vote_majority m,
                          const struct weight_tally *wt, const struct weight_result *w,
                          const char *lang)
{
    if (!out || size == 0 || !wt || !w || !vote_majority_name(m))
        return OBR_EINVAL;
    bool pl = is_polish(lang);
    char y[WEIGHT_TEXT_SIZE], n[WEIGHT_TEXT_SIZE], a[WEIGHT_TEXT_SIZE], c[WEIGHT_TEXT_SIZE],
        e[WEIGHT_TEXT_SIZE];
    vote_weight_format(wt->yes, y, sizeof y);
    vote_weight_format(wt->no, n, sizeof n);
    vote_weight_format(wt->abstain, a, sizeof a);
    vote_weight_format(w->cast, c, sizeof c);
    vote_weight_format(wt->eligible, e, sizeof e);
    size_t len = 0;
    out[0] = '\0';
    int rc = append(out, size, &len,
                    pl ? "udziały: za %s, przeciw %s, wstrzymujące się %s; oddane %s z %s"
                       : "shares: for %s, against %s, abstaining %s; cast %s of %s",
                    y, n, a, c, e);
    if (rc || !vote_majority_is_weighted(m))
        return rc;
    return append(out, size, &len,
                  pl ? "; potrzeba więcej niż połowy z %s" : "; more than half of %s needed",
                  m == VM_SHARES_ALL ? e : c);
}
