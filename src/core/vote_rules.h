/* vote_rules.h — whether a motion passes and who is elected, under the
 * majority the body's statute names, and the rule in words (Polish and
 * English) for screens and the protocol. Pure functions on counts, no I/O:
 * the vote engine tallies ballots and asks here for the outcome. */
#ifndef OBR_VOTE_RULES_H
#define OBR_VOTE_RULES_H

#include <stdbool.h>
#include <stddef.h>

/* Upper bound on any single count (votes, ballots, sizes); larger inputs are
 * refused with OBR_EINVAL, which keeps every product in int range. */
#define VOTE_COUNT_MAX 1000000
/* Most candidates in one election, and so most elected or tied. */
#define VOTE_MAX_CANDIDATES 64

/* Majorities for yes / no / abstain ("za / przeciw / wstrzymuję się")
 * motions. "Votes cast" is yes + no + abstain; "statutory" is the statutory
 * size of the body (ustawowy skład). Names for the API in brackets. */
enum vote_majority {
    VM_SIMPLE,                 /* "simple": yes > no; a tie is rejected */
    VM_ABSOLUTE,               /* "absolute": yes > no + abstain */
    VM_ABSOLUTE_STATUTORY,     /* "absolute_statutory": yes > statutory / 2 */
    VM_TWO_THIRDS_CAST,        /* "two_thirds": yes >= 2/3 of votes cast */
    VM_THREE_FIFTHS_CAST,      /* "three_fifths": yes >= 3/5 of votes cast */
    VM_TWO_THIRDS_STATUTORY,   /* "two_thirds_statutory": yes >= 2/3 of statutory */
    VM_THREE_FIFTHS_STATUTORY, /* "three_fifths_statutory": yes >= 3/5 of statutory */
    VM_FOUR_FIFTHS_STATUTORY,  /* "four_fifths_statutory": yes >= 4/5 of statutory */
    /* Decided on the members' weights (shares, udziały), not on heads; see
     * core/vote_weights.h. vote_decide_motion refuses them (OBR_EINVAL):
     * they need vote_decide_weighted. */
    VM_SHARES_CAST, /* "shares_cast": weight for > half the weight of votes cast */
    VM_SHARES_ALL,  /* "shares_all": weight for > half the weight of the electorate */
};

/* Sets *out to the majority called name (the names above, exact, lower
 * case). Returns 0, or OBR_EINVAL for NULL or an unknown name. */
int vote_majority_parse(const char *name, enum vote_majority *out);

/* The API name of m; NULL for a value outside the enum. */
const char *vote_majority_name(enum vote_majority m);

/* True for the rules measured against the statutory size. */
bool vote_majority_is_statutory(enum vote_majority m);

/* True for the rules decided on weights (VM_SHARES_*). */
bool vote_majority_is_weighted(enum vote_majority m);

/* The counts of a closed yes/no/abstain vote. quorum_required is the number
 * of members that must be present (0: no quorum); see quorum.h. */
struct motion_tally {
    int yes, no, abstain;
    int eligible;
    int present_at_open, present_at_close;
    int statutory_size;
    int quorum_required;
};

enum vote_outcome { VOTE_ADOPTED, VOTE_REJECTED, VOTE_INVALID };

/* Reasons a vote is invalid, as stored and sent by the API. */
#define VOTE_INVALID_NO_QUORUM_AT_OPEN "no_quorum_at_open"
#define VOTE_INVALID_NO_QUORUM_AT_CLOSE "no_quorum_at_close"
#define VOTE_INVALID_COUNTS_EXCEED_ELIGIBLE "counts_exceed_eligible"
/* Elections only: a candidate has more votes than there are non-blank
 * ballots, blank ballots exceed ballots cast, or the votes cannot be spread
 * over the non-blank ballots (each chooses 1..seats candidates). */
#define VOTE_INVALID_COUNTS_INCONSISTENT "counts_inconsistent"

/* threshold is the fewest yes votes that pass, out of the same pool the rule
 * measures: yes + no for VM_SIMPLE, votes cast for the "of votes cast" rules,
 * the statutory size for the statutory ones. For every valid tally,
 * adopted <=> yes >= threshold; it is never below 1.
 * is_tie is set when yes == no and at least one of them is non-zero, under
 * every rule (only under VM_SIMPLE does a tie decide the outcome).
 * invalid_reason is NULL or one of the VOTE_INVALID_ strings (static). */
struct motion_result {
    enum vote_outcome outcome;
    int cast;      /* yes + no + abstain */
    int not_voted; /* eligible - cast, never negative */
    int threshold;
    bool is_tie;
    const char *invalid_reason;
};

/* Decides a motion under m. Checks, in this order: counts above eligible
 * (VOTE_INVALID, counts_exceed_eligible, not_voted 0), presence at opening
 * below quorum_required (no_quorum_at_open), at closing (no_quorum_at_close).
 * An invalid result still carries cast and threshold for the protocol, with
 * is_tie false. Returns 0, or OBR_EINVAL for NULL pointers, an unknown m,
 * a count that is negative or above VOTE_COUNT_MAX, or a statutory rule with
 * statutory_size < 1 (*out is then untouched). */
int vote_decide_motion(enum vote_majority m, const struct motion_tally *t,
                       struct motion_result *out);

/* Elections: choose up to `seats` of n candidates (seats = 1 is the usual
 * personal vote). */
enum election_rule {
    ER_MOST_VOTES,        /* "most_votes": the `seats` candidates with the most votes (>= 1) */
    ER_ABSOLUTE_MAJORITY, /* "absolute_majority": votes * 2 > ballots_cast */
};

int election_rule_parse(const char *name, enum election_rule *out);
const char *election_rule_name(enum election_rule r);

/* votes[i] is the number of ballots choosing candidate i. ballots_cast counts
 * every valid ballot, blank ones (no candidate chosen) included, so blank
 * ballots raise the bar of an absolute majority. */
struct election_tally {
    int n_candidates; /* 0..VOTE_MAX_CANDIDATES */
    const int *votes; /* n_candidates entries; may be NULL when 0 */
    int ballots_cast;
    int ballots_blank;
    int eligible;
    int present_at_open, present_at_close, quorum_required;
    int seats; /* 1..VOTE_MAX_CANDIDATES */
};

/* elected and tied hold candidate indexes, by votes descending and index
 * ascending within equal votes. A tie is never broken at random: when
 * candidates with equal votes compete for the last seat(s), only those
 * strictly above them are elected and the equal ones are listed in tied
 * (is_tie), so the body can hold a further round.
 * outcome: VOTE_ADOPTED when at least one candidate is elected ("decided"),
 * VOTE_REJECTED when no one is, VOTE_INVALID as for motions.
 * threshold: the fewest votes that elect under the rule in itself — 1 for
 * most votes, ballots_cast / 2 + 1 for an absolute majority. */
struct election_result {
    enum vote_outcome outcome;
    int n_elected;
    int elected[VOTE_MAX_CANDIDATES];
    bool is_tie;
    int tied[VOTE_MAX_CANDIDATES];
    int n_tied;
    int threshold;
    int not_voted; /* eligible - ballots_cast, never negative */
    const char *invalid_reason;
};

/* Decides an election under r. Invalid in this order: ballots_cast above
 * eligible (counts_exceed_eligible), inconsistent counts
 * (counts_inconsistent), no quorum at opening, at closing. Returns 0, or
 * OBR_EINVAL for NULL pointers, an unknown r, n_candidates or seats out of
 * range, votes NULL with candidates, or a count negative or above
 * VOTE_COUNT_MAX (*out is then untouched). */
int vote_decide_election(enum election_rule r, const struct election_tally *t,
                         struct election_result *out);

/* ---- Wording (vote_rules_text.c) ----
 * lang "pl" gives Polish, anything else (NULL, "en") English. The describe
 * functions write UTF-8 into out and return 0, OBR_EINVAL for bad arguments,
 * or OBR_ELIMIT when out is too small: out then holds the text cut at a whole
 * character. */

/* The rule with its numbers, e.g. "bezwzględna większość głosów oddanych:
 * więcej głosów „za” niż łącznie „przeciw” i „wstrzymujących się” (potrzeba
 * 8 z 15 oddanych)". t may be NULL for the rule without numbers. Statutory
 * rules with a tally need statutory_size >= 1. */
int vote_rule_describe(char *out, size_t size, enum vote_majority m, const struct motion_tally *t,
                       const char *lang);

/* The election rule with the seats to fill and, for an absolute majority,
 * the votes needed; t may be NULL for the rule without numbers. */
int election_rule_describe(char *out, size_t size, enum election_rule r,
                           const struct election_tally *t, const char *lang);

/* "podjęta" / "adopted", "odrzucona" / "rejected", "nieważne" / "invalid"
 * for a motion; static text, NULL for a value outside the enum. The reason
 * of an invalid vote comes from vote_invalid_reason_text. */
const char *vote_outcome_text(enum vote_outcome o, const char *lang);

/* "rozstrzygnięte" / "decided", "nikt nie został wybrany" / "no one
 * elected", "nieważne" / "invalid" for an election. */
const char *election_outcome_text(enum vote_outcome o, const char *lang);

/* The reason in words, e.g. "brak kworum przy otwarciu głosowania" / "no
 * quorum when the vote opened"; NULL for NULL or an unknown reason. */
const char *vote_invalid_reason_text(const char *reason, const char *lang);

/* The whole verdict of a motion in one line, e.g. "podjęta", "odrzucona —
 * remis" or "nieważne — brak kworum przy zamknięciu głosowania". */
int vote_result_describe(char *out, size_t size, const struct motion_result *res, const char *lang);

#endif
