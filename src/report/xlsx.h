/* xlsx.h — the CSV exports (bip.h) also as Excel workbooks, which offices
 * open and forward: the same rows, made by libxlsxwriter (xlsx.c). */
#ifndef OBR_REPORT_XLSX_H
#define OBR_REPORT_XLSX_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

/* Turns csv (RFC 4180 as bip.h writes it: a header row, then records) into
 * an .xlsx appended to out. With by_section the first column (the meeting
 * export's section) chooses the sheet each record goes to — meeting, agenda,
 * members, attendance, votes, named lists — every sheet with the header row;
 * otherwise one sheet named sheet. Header bold and frozen, columns sized to their text, digits
 * written as numbers, the formula guard's apostrophe dropped (a workbook's
 * strings are never formulas). tmp_dir holds the file while it is written.
 * 0, OBR_EINVAL (malformed CSV), OBR_EIO or OBR_ENOMEM. */
int xlsx_from_csv(const char *csv, size_t len, bool by_section, const char *sheet,
                  const char *tmp_dir, struct buf *out);

#endif
