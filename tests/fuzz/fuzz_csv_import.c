/* fuzz_csv_import.c — CSV import (core/csv.c, core/member_import.c): any
 * upload is parsed within the limits into valid UTF-8 fields, or refused with
 * a line number; the member-list validation on top reports errors by line
 * and field, never more rows than the file has. */
#include <stdbool.h>
#include <stdint.h>

#include "core/csv.h"
#include "core/member_import.h"
#include "fuzz_util.h"
#include "util/utf8.h"

static bool is_member(void *ctx, const char *email)
{
    return email && strstr(email, "radny01@") == email;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    struct csv_doc *doc = NULL;
    int line = 0;
    const char *msg = NULL;
    if (csv_parse(text, size, &doc, &line, &msg) == 0) {
        FZ_CHECK(doc && doc->n_rows <= CSV_MAX_ROWS, "rows over the limit");
        for (int r = 0; r < doc->n_rows; r++) {
            FZ_CHECK(doc->rows[r].n_fields >= 1 && doc->rows[r].n_fields <= CSV_MAX_FIELDS,
                     "fields per row");
            for (int f = 0; f < doc->rows[r].n_fields; f++) {
                const char *s = doc->rows[r].fields[f];
                FZ_CHECK(strlen(s) <= CSV_MAX_FIELD_BYTES && utf8_is_valid(s, strlen(s)),
                         "field %d of row %d", f, r);
            }
        }
        csv_free(doc);
    } else {
        FZ_CHECK(!doc && msg, "refused without a message");
    }
    static const char *const domains[] = {"przykladowo.example", "uczelnia.example"};
    struct import_policy pol = {.domains = domains, .n_domains = 2, .is_member = is_member};
    struct import_result *res = NULL;
    if (member_import_validate(text, size, &pol, &res) == 0) {
        FZ_CHECK(res && res->n_rows >= 0 && res->n_rows < CSV_MAX_ROWS, "import rows");
        for (int i = 0; i < res->n_errors; i++)
            FZ_CHECK(res->errors[i].code && res->errors[i].message_en &&
                         res->errors[i].message_pl && res->errors[i].line >= 0,
                     "error %d incomplete", i);
        import_result_free(res);
    }
    return 0;
}
