/* fuzz.h - helpers shared by the libFuzzer targets: where the source tree
 * is (for the real policy, rules and schemas), and an in-memory file to
 * hand the readers that take a path. Header-only (static), so each target
 * stays one translation unit; see tests/fuzz/README.md. */
#ifndef PC_FUZZ_H
#define PC_FUZZ_H

#include "privcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* Fail loudly during set-up: a fuzzer without its engine fuzzes nothing. */
#define FUZZ_DIE(...)                                                          \
    do {                                                                       \
        fprintf(stderr, "fuzz: " __VA_ARGS__);                                 \
        fputc('\n', stderr);                                                   \
        abort();                                                               \
    } while (0)

/* An invariant the target checks on every input: abort (libFuzzer saves
 * the input as a crash) with the condition that failed. */
#define FUZZ_ASSERT(cond)                                                      \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "fuzz: %s:%d: assertion failed: %s\n", __FILE__,   \
                    __LINE__, #cond);                                          \
            abort();                                                           \
        }                                                                      \
    } while (0)

/* Every input is validated and its patterns compiled afresh: the start-up
 * cache (checker/cache.h) would skip the work for bytes seen before, and
 * write to the user's cache directory at every input. Before main, so
 * before the library first looks at its environment. */
__attribute__((constructor)) static void
fuzz_no_cache(void)
{
    setenv("PRIVCHECK_NO_CACHE", "1", 1);
}

/* The source tree: $FUZZ_SRCDIR, else what build.sh compiled in, else two
 * directories up from this file (tests/fuzz/ -> top). Static storage. */
static inline const char *
fuzz_srcdir(void)
{
    static char dir[4096];
    const char *env = getenv("FUZZ_SRCDIR");
    char *slash;

    if (env != NULL && *env != '\0')
        return env;
#ifdef FUZZ_SRCDIR
    return FUZZ_SRCDIR;
#endif
    snprintf(dir, sizeof dir, "%s", __FILE__);
    for (int i = 0; i < 3; i++) {
        slash = strrchr(dir, '/');
        if (slash == NULL)
            return ".";
        *slash = '\0';
    }
    return dir[0] != '\0' ? dir : "/";
}

/* "$srcdir/rel", malloc'd; aborts when out of memory. */
static inline char *
fuzz_path(const char *rel)
{
    const char *top = fuzz_srcdir();
    size_t n = strlen(top) + strlen(rel) + 2;
    char *p = malloc(n);

    if (p == NULL)
        FUZZ_DIE("out of memory");
    snprintf(p, n, "%s/%s", top, rel);
    return p;
}

/* The real engine from the source tree's policy and rules, with explicit
 * paths: a target runs from anywhere, installed data or not. Aborts when
 * it cannot load. The caller frees it (pc_engine_free) or keeps it. */
static inline pc_engine *
fuzz_load_engine(void)
{
    struct pc_paths paths = { 0 };
    pc_diags *d = pc_diags_new();
    pc_engine *e = NULL;

    if (d == NULL)
        FUZZ_DIE("out of memory");
    paths.policy = fuzz_path("policy/serenepractice.xml");
    paths.rules_dir = fuzz_path("rules");
    paths.policy_schema = fuzz_path("policy/policy.rng");
    paths.rules_schema = fuzz_path("rules/rules.rng");
    paths.classifiers_schema = fuzz_path("rules/classifiers.rng");
    paths.manifest_schema = fuzz_path("checker/manifest.rng");
    paths.waivers_schema = fuzz_path("checker/waivers.rng");
    if (pc_engine_load(&paths, d, &e) != PC_OK) {
        pc_diags_print(d, stderr);
        FUZZ_DIE("cannot load the engine from %s (set FUZZ_SRCDIR)",
                 fuzz_srcdir());
    }
    pc_paths_clear(&paths);
    pc_diags_free(d);
    return e;
}

/* One in-memory regular file per process (memfd; a temporary file when
 * memfd_create is not there), rewritten for every input. The readers open
 * it by name, as they would a manifest on disk: /proc/self/fd/N reopens
 * the memfd at offset 0. */
struct fuzz_file {
    int fd;
    char path[64];
    char tmp[4096]; /* set when a temporary file stands in; unlinked */
};

static struct fuzz_file fuzz_file = { -1, "", "" };

static inline void
fuzz_file_cleanup(void)
{
    if (fuzz_file.tmp[0] != '\0')
        unlink(fuzz_file.tmp);
}

/* Write data to the per-process file; return its path (static). */
static inline const char *
fuzz_file_write(const uint8_t *data, size_t size)
{
    size_t off = 0;

    if (fuzz_file.fd < 0) {
#ifdef MFD_CLOEXEC
        fuzz_file.fd = memfd_create("privcheck-fuzz", MFD_CLOEXEC);
#endif
        if (fuzz_file.fd >= 0) {
            snprintf(fuzz_file.path, sizeof fuzz_file.path, "/proc/self/fd/%d",
                     fuzz_file.fd);
        } else {
            const char *t = getenv("TMPDIR");

            snprintf(fuzz_file.tmp, sizeof fuzz_file.tmp,
                     "%s/privcheck-fuzz-XXXXXX",
                     t != NULL && *t != '\0' ? t : "/tmp");
            fuzz_file.fd = mkstemp(fuzz_file.tmp);
            if (fuzz_file.fd < 0)
                FUZZ_DIE("cannot create a temporary file: %s", strerror(errno));
            snprintf(fuzz_file.path, sizeof fuzz_file.path, "%s",
                     fuzz_file.tmp);
            atexit(fuzz_file_cleanup);
        }
    }
    if (ftruncate(fuzz_file.fd, 0) != 0)
        FUZZ_DIE("ftruncate: %s", strerror(errno));
    while (off < size) {
        ssize_t n = pwrite(fuzz_file.fd, data + off, size - off, (off_t)off);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            FUZZ_DIE("write: %s", strerror(errno));
        off += (size_t)n;
    }
    return fuzz_file.path;
}

/* A NUL-terminated copy of the input, malloc'd. Embedded NULs stay: the
 * string functions see a prefix, as a C caller would. */
static inline char *
fuzz_string(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);

    if (s == NULL)
        FUZZ_DIE("out of memory");
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* Every diagnostic must be printable and located in a file we named (or
 * none): walk them, which also makes ASan read each message. */
static inline void
fuzz_check_diags(const pc_diags *d)
{
    for (size_t i = 0; i < pc_diags_count(d); i++) {
        const struct pc_diag *g = pc_diags_get(d, i);

        FUZZ_ASSERT(g != NULL && g->message != NULL);
        FUZZ_ASSERT(g->severity <= PC_SEV_ERROR);
        (void)strlen(g->message);
    }
}

/* Set FUZZ_VERBOSE=1 to see the diagnostics of each input (for triage). */
static inline void
fuzz_maybe_print(const pc_diags *d)
{
    const char *v = getenv("FUZZ_VERBOSE");

    if (v != NULL && *v == '1')
        pc_diags_print(d, stderr);
}

/* Is this text safe for a terminal, as diag_put_escaped promises: no C0
 * control but '\n' and '\t', no DEL, no C1 control (U+0080..U+009F) and
 * no bidi override (U+202A..U+202E, U+2066..U+2069)? Returns the offset of
 * the first offending byte, or SIZE_MAX. */
static inline size_t
fuzz_terminal_unsafe(const char *buf, size_t len)
{
    const unsigned char *u = (const unsigned char *)buf;

    for (size_t i = 0; i < len; i++) {
        if ((u[i] < 0x20 && u[i] != '\n' && u[i] != '\t') || u[i] == 0x7f)
            return i;
        if (u[i] == 0xc2 && i + 1 < len && u[i + 1] >= 0x80 && u[i + 1] < 0xa0)
            return i;
        if (u[i] == 0xe2 && i + 2 < len &&
            ((u[i + 1] == 0x80 && u[i + 2] >= 0xaa && u[i + 2] <= 0xae) ||
             (u[i + 1] == 0x81 && u[i + 2] >= 0xa6 && u[i + 2] <= 0xa9)))
            return i;
    }
    return SIZE_MAX;
}

/* Print the diagnostics into memory and check the text is terminal-safe
 * (what privcheck writes to stderr for any input). */
static inline void
fuzz_check_diags_print(const pc_diags *d)
{
    char *buf = NULL;
    size_t len = 0, bad;
    FILE *f = open_memstream(&buf, &len);

    if (f == NULL)
        FUZZ_DIE("open_memstream failed");
    pc_diags_print(d, f);
    fclose(f);
    bad = fuzz_terminal_unsafe(buf, len);
    if (bad != SIZE_MAX)
        fprintf(stderr, "fuzz: unescaped byte 0x%02x at offset %zu of:\n%s\n",
                (unsigned char)buf[bad], bad, buf);
    FUZZ_ASSERT(bad == SIZE_MAX);
    free(buf);
}

/* What every target checks of the diagnostics of one input: printed on
 * request, well formed, and safe to print. */
static inline void
fuzz_check_all_diags(const pc_diags *d)
{
    fuzz_maybe_print(d);
    fuzz_check_diags(d);
    fuzz_check_diags_print(d);
}

#endif
