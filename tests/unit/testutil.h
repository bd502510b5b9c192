/* testutil.h — shared includes and small helpers for the cmocka unit tests. */
#ifndef OBR_TESTUTIL_H
#define OBR_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

/* Makes a fresh temporary directory for one test; the caller frees the path. */
static inline char *testutil_tmpdir(void)
{
    char tmpl[] = "/tmp/obrady-test-XXXXXX";
    char *d = mkdtemp(tmpl);
    return d ? strdup(d) : NULL;
}

/* Removes a directory made by testutil_tmpdir and everything in it. */
static inline void testutil_rmdir(char *dir)
{
    if (!dir)
        return;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    int rc = system(cmd);
    (void)rc;
    free(dir);
}

#endif
