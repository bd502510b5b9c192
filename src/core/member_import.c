/* member_import.c — the member-list rules of member_import.h over a parsed
 * CSV: header recognition, per-row normalisation and checks, and bilingual
 * error messages. Rows are checked independently except for duplicate
 * addresses, found with a small open-addressing set over the file. */
#include "core/member_import.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/email.h"
#include "util/buf.h"
#include "core/vote_weights.h"
#include "util/err.h"
#include "util/utf8.h"

enum col { COL_NAME, COL_EMAIL, COL_ROLE, COL_GROUPS, COL_EXTERNAL, COL_WEIGHT, COL__COUNT };

static const char *const col_field[COL__COUNT] = {"name",     "email",  "role",
                                                  "groups",   "external", "weight"};
static const char *const col_pl[COL__COUNT] = {"imię i nazwisko", "e-mail",     "rola",
                                               "grupy",           "zewnętrzny", "waga"};

/* Header names after fold_key. */
static const struct {
    const char *key;
    enum col col;
} headers[] = {
    {"name", COL_NAME},
    {"imie i nazwisko", COL_NAME},
    {"nazwisko i imie", COL_NAME},
    {"email", COL_EMAIL},
    {"e-mail", COL_EMAIL},
    {"adres e-mail", COL_EMAIL},
    {"adres email", COL_EMAIL},
    {"role", COL_ROLE},
    {"rola", COL_ROLE},
    {"funkcja", COL_ROLE},
    {"groups", COL_GROUPS},
    {"grupy", COL_GROUPS},
    {"external", COL_EXTERNAL},
    {"zewnetrzny", COL_EXTERNAL},
    {"zewnetrzna", COL_EXTERNAL},
    {"weight", COL_WEIGHT},
    {"waga", COL_WEIGHT},
    {"udzial", COL_WEIGHT},
    {"udzialy", COL_WEIGHT},
};

/* Role names after fold_key with ' ' and '-' turned into '_'. */
static const struct {
    const char *key, *role;
} roles[] = {
    {"chair", "chair"},
    {"vice_chair", "vice_chair"},
    {"vicechair", "vice_chair"},
    {"member", "member"},
    {"secretary", "secretary"},
    {"przewodniczacy", "chair"},
    {"przewodniczaca", "chair"},
    {"wiceprzewodniczacy", "vice_chair"},
    {"wiceprzewodniczaca", "vice_chair"},
    {"wice_przewodniczacy", "vice_chair"},
    {"wice_przewodniczaca", "vice_chair"},
    {"czlonek", "member"},
    {"czlonkini", "member"},
    {"radny", "member"},
    {"radna", "member"},
    {"sekretarz", "secretary"},
};

#define KEY_SIZE 64
#define SHOW_CHARS 60 /* of a user's value quoted in a message */

/* Polish letters (both cases) as the UTF-8 pair that follows lead byte 0xC3/0xC4/0xC5. */
static const struct {
    unsigned char lead, trail;
    char ascii;
} polish[] = {
    {0xC4, 0x85, 'a'}, {0xC4, 0x84, 'a'}, {0xC4, 0x87, 'c'}, {0xC4, 0x86, 'c'}, {0xC4, 0x99, 'e'},
    {0xC4, 0x98, 'e'}, {0xC5, 0x82, 'l'}, {0xC5, 0x81, 'l'}, {0xC5, 0x84, 'n'}, {0xC5, 0x83, 'n'},
    {0xC3, 0xB3, 'o'}, {0xC3, 0x93, 'o'}, {0xC5, 0x9B, 's'}, {0xC5, 0x9A, 's'}, {0xC5, 0xBA, 'z'},
    {0xC5, 0xB9, 'z'}, {0xC5, 0xBC, 'z'}, {0xC5, 0xBB, 'z'},
};

/* Length of the whitespace at p (ASCII space, tab, CR, LF or U+00A0), 0 if none. */
static size_t space_at(const char *p)
{
    if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        return 1;
    if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0)
        return 2;
    return 0;
}

/* Copies s with surrounding whitespace removed and inner runs collapsed to one
 * space; when is_key, also lowercases ASCII and folds Polish diacritics.
 * Returns false when the result does not fit in size. */
static bool squeeze(const char *s, char *out, size_t size, bool is_key)
{
    size_t o = 0, n;
    bool pending_space = false;
    while (*s) {
        if ((n = space_at(s)) > 0) {
            s += n;
            pending_space = o > 0;
            continue;
        }
        if (pending_space) {
            if (o + 1 >= size)
                return false;
            out[o++] = ' ';
            pending_space = false;
        }
        char c = *s++;
        if (is_key) {
            if (c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            for (size_t i = 0; i < sizeof polish / sizeof polish[0]; i++)
                if ((unsigned char)c == polish[i].lead && (unsigned char)*s == polish[i].trail) {
                    c = polish[i].ascii;
                    s++;
                    break;
                }
        }
        if (o + 1 >= size)
            return false;
        out[o++] = c;
    }
    out[o] = '\0';
    return true;
}

static char *squeeze_dup(const char *s)
{
    size_t size = strlen(s) + 1;
    char *out = malloc(size);
    if (out)
        squeeze(s, out, size, false);
    return out;
}

struct ctx {
    struct import_result *r;
    size_t cap_errors;
    bool is_oom;
    const struct import_policy *policy;
    int col[COL__COUNT]; /* field index, -1 when absent */
    struct seen {
        const char *email; /* borrowed from a row */
        int line;
    } * seen;
    size_t seen_mask;
};

/* A malloc'd printf result, or NULL when memory runs out. */
static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));

static char *fmt(const char *f, ...)
{
    struct buf b = BUF_INIT;
    va_list ap;
    va_start(ap, f);
    buf_vprintf(&b, f, ap);
    va_end(ap);
    char *s = buf_take(&b);
    buf_free(&b);
    return s;
}

/* Adds an error; takes ownership of the two messages (NULL means out of memory). */
static void add_error(struct ctx *c, int line, const char *field, const char *code, char *en,
                      char *pl)
{
    struct import_result *r = c->r;
    if (en && pl && (size_t)r->n_errors == c->cap_errors) {
        size_t cap = c->cap_errors ? c->cap_errors * 2 : 16;
        struct import_error *e = realloc(r->errors, cap * sizeof *e);
        if (e) {
            r->errors = e;
            c->cap_errors = cap;
        }
    }
    if (!en || !pl || (size_t)r->n_errors == c->cap_errors) {
        free(en);
        free(pl);
        c->is_oom = true;
        return;
    }
    r->errors[r->n_errors++] = (struct import_error){line, field, code, en, pl};
}

/* A user's value for a message: at most SHOW_CHARS characters, then "…". */
static void show(const char *s, char out[SHOW_CHARS * 4 + 4])
{
    size_t i = 0, chars = 0;
    while (s[i] && chars < SHOW_CHARS) {
        i++;
        while (((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
        chars++;
    }
    memcpy(out, s, i);
    strcpy(out + i, s[i] ? "…" : "");
}

static const char *cell(const struct ctx *c, const struct csv_row *row, enum col col)
{
    int k = c->col[col];
    return (k >= 0 && k < row->n_fields) ? row->fields[k] : "";
}

static void read_header(struct ctx *c, const struct csv_row *h)
{
    for (int k = 0; k < COL__COUNT; k++)
        c->col[k] = -1;
    for (int k = 0; k < h->n_fields; k++) {
        char key[KEY_SIZE];
        if (!squeeze(h->fields[k], key, sizeof key, true))
            continue;
        for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
            if (strcmp(key, headers[i].key) != 0)
                continue;
            enum col col = headers[i].col;
            if (c->col[col] >= 0) {
                char v[SHOW_CHARS * 4 + 4];
                show(h->fields[k], v);
                add_error(c, h->line, col_field[col], "duplicate_column",
                          fmt("The column \"%s\" appears more than once in the header row.", v),
                          fmt("Kolumna „%s” występuje w nagłówku więcej niż raz.", v));
            } else {
                c->col[col] = k;
            }
            break;
        }
    }
    static const enum col required[] = {COL_NAME, COL_EMAIL};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        enum col col = required[i];
        if (c->col[col] < 0)
            add_error(
                c, h->line, col_field[col], "missing_column",
                fmt("The required column \"%s\" is missing from the header row.", col_field[col]),
                fmt("W wierszu nagłówka brakuje wymaganej kolumny „%s”.", col_pl[col]));
    }
}

static void check_name(struct ctx *c, const struct csv_row *row, struct import_row *ir)
{
    ir->name = squeeze_dup(cell(c, row, COL_NAME));
    if (!ir->name) {
        c->is_oom = true;
        return;
    }
    size_t len = strlen(ir->name);
    if (len == 0)
        add_error(c, row->line, "name", "name_missing", fmt("The name is empty."),
                  fmt("Brak imienia i nazwiska."));
    else if (utf8_length(ir->name, len) > IMPORT_NAME_MAX_CHARS)
        add_error(c, row->line, "name", "name_too_long",
                  fmt("The name is longer than %d characters.", IMPORT_NAME_MAX_CHARS),
                  fmt("Imię i nazwisko jest dłuższe niż %d znaków.", IMPORT_NAME_MAX_CHARS));
    else if (!utf8_is_text(ir->name, len, false))
        add_error(c, row->line, "name", "name_invalid",
                  fmt("The name contains control characters."),
                  fmt("Imię i nazwisko zawiera znaki sterujące."));
}

static bool parse_external(const char *s, bool *out)
{
    static const char *const yes[] = {"yes", "tak", "1", "true"};
    static const char *const no[] = {"", "no", "nie", "0", "false"};
    char key[KEY_SIZE];
    if (!squeeze(s, key, sizeof key, true))
        return false;
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (strcmp(key, yes[i]) == 0)
            return *out = true, true;
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (strcmp(key, no[i]) == 0)
            return *out = false, true;
    return false;
}

static const char *parse_role(const char *s)
{
    char key[KEY_SIZE];
    if (!squeeze(s, key, sizeof key, true))
        return NULL;
    if (!key[0])
        return "member";
    for (char *p = key; *p; p++)
        if (*p == ' ' || *p == '-')
            *p = '_';
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (strcmp(key, roles[i].key) == 0)
            return roles[i].role;
    return NULL;
}

static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Records email at line; returns the earlier line with the same address, or 0. */
static int seen_add(struct ctx *c, const char *email, int line)
{
    size_t i = hash_str(email) & c->seen_mask;
    while (c->seen[i].email) {
        if (strcmp(c->seen[i].email, email) == 0)
            return c->seen[i].line;
        i = (i + 1) & c->seen_mask;
    }
    c->seen[i] = (struct seen){email, line};
    return 0;
}

static void check_email(struct ctx *c, const struct csv_row *row, struct import_row *ir,
                        bool is_external_known)
{
    const char *raw = cell(c, row, COL_EMAIL);
    size_t size = strlen(raw) + 1;
    ir->email = malloc(size);
    if (!ir->email) {
        c->is_oom = true;
        return;
    }
    email_normalize(raw, ir->email, size); /* never grows, so it always fits */
    char v[SHOW_CHARS * 4 + 4];
    show(ir->email, v);
    if (!ir->email[0]) {
        add_error(c, row->line, "email", "email_invalid", fmt("The e-mail address is empty."),
                  fmt("Brak adresu e-mail."));
        return;
    }
    if (!email_is_valid(ir->email)) {
        add_error(c, row->line, "email", "email_invalid",
                  fmt("\"%s\" is not a valid e-mail address.", v),
                  fmt("„%s” nie jest prawidłowym adresem e-mail.", v));
        return;
    }
    const struct import_policy *pol = c->policy;
    if (is_external_known && !ir->is_external &&
        !email_domain_allowed(ir->email, pol->domains, pol->n_domains)) {
        struct buf list = BUF_INIT;
        for (size_t i = 0; i < pol->n_domains; i++)
            buf_printf(&list, "%s%s", i ? ", " : "", pol->domains[i]);
        add_error(c, row->line, "email", "email_domain",
                  fmt("The address %s is not in an allowed domain (%s); mark the person as "
                      "external if that is intended.",
                      v, buf_str(&list)),
                  fmt("Adres %s nie należy do dozwolonej domeny (%s); jeśli to zamierzone, "
                      "oznacz osobę jako zewnętrzną.",
                      v, buf_str(&list)));
        c->is_oom |= buf_failed(&list);
        buf_free(&list);
        return;
    }
    int earlier = seen_add(c, ir->email, row->line);
    if (earlier) {
        add_error(c, row->line, "email", "duplicate_in_file",
                  fmt("The address %s already appears on line %d.", v, earlier),
                  fmt("Adres %s występuje już w wierszu %d.", v, earlier));
        return;
    }
    if (pol->is_member && pol->is_member(pol->ctx, ir->email))
        add_error(c, row->line, "email", "duplicate_member",
                  fmt("%s is already a member of this body.", v),
                  fmt("Osoba o adresie %s jest już członkiem tego organu.", v));
}

static bool is_slug(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > IMPORT_GROUP_MAX_LEN)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
            return false;
    return true;
}

static void check_groups(struct ctx *c, const struct csv_row *row, struct import_row *ir)
{
    const char *s = cell(c, row, COL_GROUPS);
    size_t max = 1;
    for (const char *p = s; *p; p++)
        max += *p == '|' || *p == ',';
    ir->groups = calloc(max, sizeof *ir->groups);
    if (!ir->groups) {
        c->is_oom = true;
        return;
    }
    char *copy = strdup(s);
    if (!copy) {
        c->is_oom = true;
        return;
    }
    for (char *save = NULL, *tok = strtok_r(copy, "|,", &save); tok;
         tok = strtok_r(NULL, "|,", &save)) {
        char *g = squeeze_dup(tok);
        if (!g) {
            c->is_oom = true;
            break;
        }
        for (char *p = g; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p - 'A' + 'a');
        bool is_dup = false;
        for (int i = 0; i < ir->n_groups && !is_dup; i++)
            is_dup = strcmp(ir->groups[i], g) == 0;
        if (!g[0] || is_dup) {
            free(g);
            continue;
        }
        if (!is_slug(g)) {
            char v[SHOW_CHARS * 4 + 4];
            show(g, v);
            add_error(
                c, row->line, "groups", "group_invalid",
                fmt("The group \"%s\" is not valid: use 1–40 characters a–z, 0–9, _ or -.", v),
                fmt("Nieprawidłowa grupa „%s”: dozwolone 1–40 znaków a–z, 0–9, _ lub -.", v));
            free(g);
            continue;
        }
        ir->groups[ir->n_groups++] = g;
    }
    free(copy);
}

/* weight: empty → 1; otherwise a plain decimal > 0 (core/vote_weights.h). */
static void check_weight(struct ctx *c, const struct csv_row *row, struct import_row *ir)
{
    const char *w = cell(c, row, COL_WEIGHT);
    ir->weight_micro = WEIGHT_ONE;
    if (!w || !w[0])
        return;
    char *t = squeeze_dup(w);
    enum weight_error e = t ? vote_weight_parse(t, &ir->weight_micro) : WEIGHT_NOT_NUMBER;
    free(t);
    if (e == WEIGHT_OK)
        return;
    char v[SHOW_CHARS * 4 + 4];
    show(w, v);
    add_error(c, row->line, "weight", "weight_invalid",
              fmt("\"%s\" is not a valid weight: a decimal greater than 0 with at most 7 digits "
                  "before the dot and 6 after it (e.g. 1, 125 or 0.0473).",
                  v),
              fmt("„%s” nie jest poprawną wagą: liczba dziesiętna większa od 0, najwyżej 7 cyfr "
                  "przed kropką i 6 po niej (np. 1, 125 albo 0.0473).",
                  v));
}

static void check_row(struct ctx *c, const struct csv_row *row, struct import_row *ir)
{
    int errors_before = c->r->n_errors;
    ir->line = row->line;
    check_name(c, row, ir);

    const char *ext = cell(c, row, COL_EXTERNAL);
    bool is_external_known = parse_external(ext, &ir->is_external);
    check_email(c, row, ir, is_external_known);

    ir->role = parse_role(cell(c, row, COL_ROLE));
    if (!ir->role) {
        char v[SHOW_CHARS * 4 + 4];
        show(cell(c, row, COL_ROLE), v);
        add_error(c, row->line, "role", "role_unknown",
                  fmt("Unknown role \"%s\"; use chair, vice_chair, member or secretary.", v),
                  fmt("Nieznana funkcja „%s”; dozwolone: przewodniczący, wiceprzewodniczący, "
                      "członek, sekretarz.",
                      v));
    }
    check_groups(c, row, ir);
    check_weight(c, row, ir);
    if (!is_external_known) {
        char v[SHOW_CHARS * 4 + 4];
        show(ext, v);
        add_error(c, row->line, "external", "external_invalid",
                  fmt("\"%s\" is not a yes/no value for the external column.", v),
                  fmt("„%s” nie jest wartością tak/nie w kolumnie „zewnętrzny”.", v));
    }
    ir->is_valid = c->r->n_errors == errors_before;
}

static int check_rows(struct ctx *c, const struct csv_doc *doc)
{
    int n = doc->n_rows - 1;
    if (n <= 0)
        return 0;
    size_t cap = 16;
    while (cap < (size_t)n * 2)
        cap *= 2;
    c->seen = calloc(cap, sizeof *c->seen);
    c->r->rows = calloc((size_t)n, sizeof *c->r->rows);
    if (!c->seen || !c->r->rows)
        return OBR_ENOMEM;
    c->seen_mask = cap - 1;
    for (int i = 0; i < n && !c->is_oom; i++) {
        c->r->n_rows++;
        check_row(c, &doc->rows[i + 1], &c->r->rows[i]);
    }
    return 0;
}

int member_import_validate(const char *csv, size_t len, const struct import_policy *policy,
                           struct import_result **out)
{
    if (!out || !policy || (!csv && len > 0))
        return OBR_EINVAL;
    *out = NULL;
    struct ctx c = {.policy = policy};
    c.r = calloc(1, sizeof *c.r);
    if (!c.r)
        return OBR_ENOMEM;

    struct csv_doc *doc = NULL;
    int err_line = 0;
    const char *err_msg = NULL;
    int rc = csv_parse(csv, len, &doc, &err_line, &err_msg);
    if (rc == OBR_ENOMEM) {
        import_result_free(c.r);
        return rc;
    }
    if (rc != 0) {
        add_error(&c, err_line, NULL, "csv_syntax", fmt("The file cannot be read: %s.", err_msg),
                  fmt("Nie można odczytać pliku: %s.", csv_message_pl(err_msg)));
    } else if (doc->n_rows == 0) {
        struct csv_row empty = {1, 0, NULL};
        read_header(&c, &empty);
    } else {
        read_header(&c, &doc->rows[0]);
        bool has_required = c.col[COL_NAME] >= 0 && c.col[COL_EMAIL] >= 0;
        if (has_required && check_rows(&c, doc) != 0)
            c.is_oom = true;
    }
    csv_free(doc);
    free(c.seen);
    if (c.is_oom) {
        import_result_free(c.r);
        return OBR_ENOMEM;
    }
    *out = c.r;
    return 0;
}

void import_result_free(struct import_result *r)
{
    if (!r)
        return;
    for (int i = 0; i < r->n_rows; i++) {
        struct import_row *ir = &r->rows[i];
        free(ir->name);
        free(ir->email);
        for (int g = 0; g < ir->n_groups; g++)
            free(ir->groups[g]);
        free(ir->groups);
    }
    free(r->rows);
    for (int i = 0; i < r->n_errors; i++) {
        free(r->errors[i].message_en);
        free(r->errors[i].message_pl);
    }
    free(r->errors);
    free(r);
}
