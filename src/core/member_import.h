/* member_import.h — checks an uploaded CSV list of a body's members before
 * anything is written. Every bad row is reported by line number; the caller
 * imports only when there are no errors at all, so a file is never half-applied.
 * Pure: the "is already a member" question goes through a callback. */
#ifndef OBR_MEMBER_IMPORT_H
#define OBR_MEMBER_IMPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IMPORT_NAME_MAX_CHARS 200
#define IMPORT_GROUP_MAX_LEN 40

struct import_policy {
    /* Domains a non-external member's address must be in (email_domain_allowed);
     * n_domains == 0 allows any. */
    const char *const *domains;
    size_t n_domains;
    /* True when the normalised address already belongs to a member of the body;
     * NULL to skip the check. */
    bool (*is_member)(void *ctx, const char *email);
    void *ctx;
};

/* One data row as it would be imported, normalised. Rows with errors are kept
 * (is_valid false) so the preview can show them beside their errors; then
 * role may be NULL (unknown role) and groups holds only the valid ones. */
struct import_row {
    int line;         /* 1-based line in the file where the row starts */
    char *name;       /* trimmed, inner whitespace runs collapsed to one space */
    char *email;      /* trimmed and lowercased (email_normalize) */
    const char *role; /* static: "chair", "vice_chair", "member" or "secretary" */
    char **groups;    /* lowercase slugs [a-z0-9_-]{1,40}, no duplicates */
    int n_groups;
    bool is_external;
    int64_t weight_micro; /* millionths (core/vote_weights.h); 1 when the cell is empty */
    bool is_valid; /* no error was reported for this line */
};

/* One problem, in the shape of the API's user-facing errors.
 * code is one of: missing_column, duplicate_column, csv_syntax, name_missing,
 * name_too_long, name_invalid, email_invalid, email_domain, duplicate_in_file,
 * duplicate_member, role_unknown, group_invalid, external_invalid, weight_invalid. */
struct import_error {
    int line; /* of the row (the header line for column errors) */
    /* static: "name", "email", "role", "groups", "external", "weight"; NULL for csv_syntax */
    const char *field;
    const char *code; /* static */
    char *message_en; /* plain text (escape it for HTML) */
    char *message_pl;
};

struct import_result {
    struct import_row *rows; /* every data row in file order; none when the file
                              * has a syntax error or lacks a required column */
    int n_rows;
    struct import_error *errors; /* in line order */
    int n_errors;
};

/* Parses csv (csv.h) and validates it as a member list:
 * - The first row is the header. Columns are recognised case-insensitively,
 *   Polish diacritics optional, surrounding spaces ignored:
 *   name: name | imię i nazwisko | nazwisko i imię;  email: email | e-mail |
 *   adres e-mail | adres email;  role: role | rola | funkcja;  groups: groups |
 *   grupy;  external: external | zewnętrzny | zewnętrzna;  weight: weight |
 *   waga | udział | udziały (empty → 1; a decimal > 0). Other columns are
 *   ignored. name and email are required; a recognised column twice is an error.
 * - role: empty → member; chair, vice_chair (vice chair, vice-chair), member,
 *   secretary; przewodniczący/-a → chair, wiceprzewodniczący/-a → vice_chair,
 *   członek/członkini/radny/radna → member, sekretarz → secretary.
 * - groups: separated by '|' or ','; each trimmed and lowercased; empty items skipped.
 * - external: empty/no/nie/0/false → false; yes/tak/1/true → true.
 * - email: must be valid after normalising; when not external, in the policy's
 *   domains; the same address on an earlier line → duplicate_in_file on the
 *   later line naming the earlier one; policy->is_member → duplicate_member.
 *   At most one email error per row (checked in that order).
 * Returns 0 with *out set whether or not the file had errors (the caller
 * imports only when (*out)->n_errors == 0); OBR_EINVAL for NULL arguments;
 * OBR_ENOMEM. */
int member_import_validate(const char *csv, size_t len, const struct import_policy *policy,
                           struct import_result **out);

/* Frees a result; accepts NULL. */
void import_result_free(struct import_result *r);

#endif
