/* testutil.h - small helpers shared by the Check suites: paths from the
 * environment `make check` sets (SRCDIR, TESTDATA), temporary files,
 * reading files, searching diagnostics. Header-only (static inline). */
#ifndef PC_TESTUTIL_H
#define PC_TESTUTIL_H

#include "privcheck.h"

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* $name, or the test aborts: run the suites through `make check`. */
static inline const char *
tu_env(const char *name)
{
    const char *v = getenv(name);

    if (v == NULL || *v == '\0')
        ck_abort_msg("environment variable %s is not set (run the tests "
                     "with `make check`)",
                     name);
    return v;
}

/* "$envvar/rel", malloc'd. */
static inline char *
tu_path(const char *envvar, const char *rel)
{
    const char *dir = tu_env(envvar);
    size_t n = strlen(dir) + strlen(rel) + 2;
    char *p = malloc(n);

    ck_assert_ptr_nonnull(p);
    snprintf(p, n, "%s/%s", dir, rel);
    return p;
}

/* The whole file, NUL-terminated, malloc'd; *len (if not NULL) its
 * length. */
static inline char *
tu_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0;

    ck_assert_msg(f != NULL, "cannot open %s", path);
    for (;;) {
        if (cap - n < 4096) {
            cap = cap ? cap * 2 : 8192;
            buf = realloc(buf, cap + 1);
            ck_assert_ptr_nonnull(buf);
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    if (len != NULL)
        *len = n;
    return buf;
}

/* Write len bytes to a new temporary file; returns its path (malloc'd;
 * the caller unlinks and frees). `suffix` like ".xml". */
static inline char *
tu_tmpfile(const char *suffix, const void *data, size_t len)
{
    const char *tmp = getenv("TMPDIR");
    size_t n;
    char *path;
    int fd;

    if (tmp == NULL || *tmp == '\0')
        tmp = "/tmp";
    n = strlen(tmp) + strlen(suffix) + 32;
    path = malloc(n);
    ck_assert_ptr_nonnull(path);
    snprintf(path, n, "%s/privcheck-test-XXXXXX%s", tmp, suffix);
    fd = mkstemps(path, (int)strlen(suffix));
    ck_assert_msg(fd >= 0, "mkstemps %s failed", path);
    ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
    close(fd);
    return path;
}

static inline char *
tu_tmpfile_str(const char *suffix, const char *s)
{
    return tu_tmpfile(suffix, s, strlen(s));
}

/* 1-based number of the first line of the file containing `marker`; the
 * test fails when there is none. */
static inline unsigned
tu_line_of(const char *path, const char *marker)
{
    char *buf = tu_read(path, NULL);
    char *hit = strstr(buf, marker);
    unsigned line = 1;

    ck_assert_msg(hit != NULL, "'%s' not found in %s", marker, path);
    for (const char *p = buf; p < hit; p++)
        line += *p == '\n';
    free(buf);
    return line;
}

/* The first diagnostic whose message contains `needle`, or NULL. */
static inline const struct pc_diag *
tu_diag_find(const pc_diags *d, const char *needle)
{
    for (size_t i = 0; i < pc_diags_count(d); i++) {
        const struct pc_diag *g = pc_diags_get(d, i);

        if (strstr(g->message, needle) != NULL)
            return g;
    }
    return NULL;
}

/* Does `needle` occur in any diagnostic, message or file name? */
static inline bool
tu_diags_mention(const pc_diags *d, const char *needle)
{
    for (size_t i = 0; i < pc_diags_count(d); i++) {
        const struct pc_diag *g = pc_diags_get(d, i);

        if (strstr(g->message, needle) != NULL ||
            (g->loc.file != NULL && strstr(g->loc.file, needle) != NULL))
            return true;
    }
    return false;
}

/* Every diagnostic, one per line, for failure messages (malloc'd). */
static inline char *
tu_diags_text(const pc_diags *d)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    ck_assert_ptr_nonnull(f);
    pc_diags_print(d, f);
    fclose(f);
    return buf;
}

/* s with every run of white space made one space, trimmed (malloc'd). */
static inline char *
tu_collapse(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    bool space = false;

    ck_assert_ptr_nonnull(out);
    for (; *s != '\0'; s++) {
        if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
            space = o > out;
            continue;
        }
        if (space)
            *o++ = ' ';
        *o++ = *s;
        space = false;
    }
    *o = '\0';
    return out;
}

/* 64-bit FNV-1a, the unkeyed hash the maps once used. */
static inline uint64_t
tu_fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;

    for (; *s != '\0'; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

/* n ids of the manifest's id syntax ("s" + 6 letters or digits), all
 * equal in the low `bits` bits of FNV-1a: what an attacker sends to put
 * every id of an unkeyed map into one probe chain. ids[i] must hold 8
 * bytes. Deterministic: the same ids every run. */
static inline void
tu_colliding_ids(char (*ids)[8], size_t n, unsigned bits)
{
    static const char alpha[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    const uint64_t mask = ((uint64_t)1 << bits) - 1;
    uint64_t target = 0, x = 0;
    size_t found = 0;

    while (found < n) {
        uint64_t v = x++;
        char id[8];

        id[0] = 's';
        for (int k = 1; k < 7; k++, v /= 36)
            id[k] = alpha[v % 36];
        id[7] = '\0';
        if (found == 0)
            target = tu_fnv1a(id) & mask;
        if ((tu_fnv1a(id) & mask) == target)
            memcpy(ids[found++], id, 8);
    }
}

/* Run a suite; the process exit status is the number of failures. */
static inline int
tu_run(Suite *s)
{
    SRunner *sr = srunner_create(s);
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
