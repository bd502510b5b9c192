/* xlsx.c — an .xlsx from our own CSV (see xlsx.h). The CSV is read back by a
 * small RFC 4180 splitter (our writer's output: quoted fields, doubled
 * quotes, CRLF), so the workbook always says exactly what the CSV says.
 * libxlsxwriter writes to a file: a temporary one in tmp_dir, read back and
 * removed. */
#include "report/xlsx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/utf8.h"

#define MAX_COLS 16
#define MAX_SHEETS 16
#define MAX_WIDTH 60

struct sheet {
    char name[32];
    lxw_worksheet *ws;
    lxw_row_t row;
    double width[MAX_COLS];
};

struct book {
    lxw_workbook *wb;
    lxw_format *bold;
    struct sheet sheets[MAX_SHEETS];
    int n_sheets;
    char *header[MAX_COLS];
    int n_header;
};

/* Splits the next record at *pos into fields (each malloc'd, unescaped).
 * Returns the number of fields, 0 at the end, -1 when malformed. */
static int next_record(const char *s, size_t len, size_t *pos, char **fields)
{
    size_t i = *pos;
    if (i >= len)
        return 0;
    int n = 0;
    for (;;) {
        struct buf f = BUF_INIT;
        if (i < len && s[i] == '"') {
            for (i++;; i++) {
                if (i >= len)
                    return buf_free(&f), -1;
                if (s[i] == '"' && i + 1 < len && s[i + 1] == '"')
                    buf_putc(&f, s[i++]);
                else if (s[i] == '"')
                    break;
                else
                    buf_putc(&f, s[i]);
            }
            i++;
        } else {
            while (i < len && s[i] != ',' && s[i] != '\r' && s[i] != '\n')
                buf_putc(&f, s[i++]);
        }
        if (n == MAX_COLS || buf_failed(&f))
            return buf_free(&f), -1;
        buf_putc(&f, '\0'); /* an empty field still gets its string */
        fields[n++] = buf_take(&f);
        if (i < len && s[i] == ',') {
            i++;
            continue;
        }
        if (i < len && s[i] == '\r')
            i++;
        if (i < len && s[i] == '\n')
            i++;
        *pos = i;
        return n;
    }
}

/* The meeting export's sections (bip_csv.c) grouped into sheets; a section
 * not listed gets a sheet of its own name. */
static const char *const SHEETS[][2] = {
    {"posiedzenie", "Posiedzenie"},
    {"organizacja", "Posiedzenie"},
    {"organ", "Posiedzenie"},
    {"status", "Posiedzenie"},
    {"porządek obrad", "Porządek obrad"},
    {"skład", "Skład"},
    {"sprawdzenie obecności", "Obecność"},
    {"obecny", "Obecność"},
    {"głosowanie", "Głosowania"},
    {"wynik", "Głosowania"},
    {"kandydat", "Głosowania"},
    {"udziały", "Głosowania"}, /* a body with weights: the shares of each vote */
    {"imiennie", "Wykazy imienne"},
    {"meeting", "Meeting"},
    {"organisation", "Meeting"},
    {"body", "Meeting"},
    {"agenda", "Agenda"},
    {"member", "Members"},
    {"attendance check", "Attendance"},
    {"present", "Attendance"},
    {"vote", "Votes"},
    {"count", "Votes"},
    {"candidate", "Votes"},
    {"shares", "Votes"},
    {"named", "Named lists"},
};

static const char *sheet_of_section(const char *section)
{
    for (size_t i = 0; i < sizeof SHEETS / sizeof SHEETS[0]; i++)
        if (!strcmp(SHEETS[i][0], section))
            return SHEETS[i][1];
    return section;
}

static void free_fields(char **fields, int n)
{
    for (int i = 0; i < n; i++)
        free(fields[i]);
}

static bool is_count(const char *s)
{
    size_t n = strlen(s);
    if (!n || n > 15 || (s[0] == '0' && n > 1))
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

static void write_row(struct book *b, struct sheet *sh, char **fields, int n, lxw_format *fmt)
{
    for (int c = 0; c < n; c++) {
        const char *v = fields[c];
        /* bip.h's guard against spreadsheet formulas; strings here are never run. */
        if (v[0] == '\'' && v[1] && strchr("=+-@", v[1]))
            v++;
        if (!fmt && is_count(v))
            worksheet_write_number(sh->ws, sh->row, (lxw_col_t)c, (double)atoll(v), NULL);
        else
            worksheet_write_string(sh->ws, sh->row, (lxw_col_t)c, v, fmt);
        double w = (double)utf8_length(v, strlen(v)) + 2;
        if (w > sh->width[c])
            sh->width[c] = w > MAX_WIDTH ? MAX_WIDTH : w;
    }
    sh->row++;
    (void)b;
}

/* The sheet called name (made with the header row on first use), or NULL. */
static struct sheet *sheet_for(struct book *b, const char *name)
{
    char clean[32];
    size_t k = 0;
    /* Sheet names: at most 31 characters, none of []:*?/\ — cut on a
     * character boundary. */
    for (size_t i = 0; name[i] && k < 31;) {
        size_t cl = 1;
        while (name[i + cl] && ((unsigned char)name[i + cl] & 0xC0) == 0x80)
            cl++;
        if (k + cl > 31)
            break;
        for (size_t j = 0; j < cl; j++)
            clean[k++] = strchr("[]:*?/\\", name[i + j]) ? '_' : name[i + j];
        i += cl;
    }
    clean[k] = '\0';
    if (!k)
        snprintf(clean, sizeof clean, "-");
    for (int i = 0; i < b->n_sheets; i++)
        if (!strcmp(b->sheets[i].name, clean))
            return &b->sheets[i];
    if (b->n_sheets == MAX_SHEETS)
        return &b->sheets[MAX_SHEETS - 1];
    struct sheet *sh = &b->sheets[b->n_sheets];
    memset(sh, 0, sizeof *sh);
    snprintf(sh->name, sizeof sh->name, "%s", clean);
    sh->ws = workbook_add_worksheet(b->wb, sh->name);
    if (!sh->ws)
        return NULL;
    b->n_sheets++;
    write_row(b, sh, b->header, b->n_header, b->bold);
    worksheet_freeze_panes(sh->ws, 1, 0);
    return sh;
}

static int fill(struct book *b, const char *csv, size_t len, bool by_section, const char *sheet)
{
    size_t pos = 0;
    if (len >= 3 && !memcmp(csv, "\xEF\xBB\xBF", 3))
        pos = 3;
    b->n_header = next_record(csv, len, &pos, b->header);
    if (b->n_header <= 0)
        return OBR_EINVAL;
    struct sheet *single = by_section ? NULL : sheet_for(b, sheet);
    if (!by_section && !single)
        return OBR_ENOMEM;
    char *fields[MAX_COLS];
    int n, rc = 0;
    while (!rc && (n = next_record(csv, len, &pos, fields)) > 0) {
        struct sheet *sh = single ? single : sheet_for(b, sheet_of_section(fields[0]));
        if (!sh)
            rc = OBR_ENOMEM;
        else
            write_row(b, sh, fields, n, NULL);
        free_fields(fields, n);
    }
    if (!rc && n < 0)
        rc = OBR_EINVAL;
    for (int i = 0; i < b->n_sheets; i++)
        for (int c = 0; c < MAX_COLS; c++)
            if (b->sheets[i].width[c] > 0)
                worksheet_set_column(b->sheets[i].ws, (lxw_col_t)c, (lxw_col_t)c,
                                     b->sheets[i].width[c], NULL);
    return rc;
}

static int read_file(const char *path, struct buf *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return OBR_EIO;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        buf_append(out, chunk, n);
    int rc = ferror(f) ? OBR_EIO : buf_failed(out) ? OBR_ENOMEM : 0;
    fclose(f);
    return rc;
}

int xlsx_from_csv(const char *csv, size_t len, bool by_section, const char *sheet,
                  const char *tmp_dir, struct buf *out)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/xlsx-XXXXXX", tmp_dir && *tmp_dir ? tmp_dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return OBR_EIO;
    close(fd);
    lxw_workbook_options opt = {.constant_memory = LXW_FALSE,
                                .tmpdir = tmp_dir && *tmp_dir ? (char *)tmp_dir : NULL};
    struct book b = {.wb = workbook_new_opt(path, &opt)};
    int rc = b.wb ? 0 : OBR_ENOMEM;
    if (!rc) {
        b.bold = workbook_add_format(b.wb);
        format_set_bold(b.bold);
        rc = fill(&b, csv, len, by_section, sheet ? sheet : "Arkusz1");
        if (workbook_close(b.wb) != LXW_NO_ERROR && !rc)
            rc = OBR_EIO;
    }
    free_fields(b.header, b.n_header > 0 ? b.n_header : 0);
    if (!rc)
        rc = read_file(path, out);
    unlink(path);
    return rc;
}
