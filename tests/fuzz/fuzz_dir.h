/* fuzz_dir.h - for the readers that take a directory (rules, rule tests):
 * one private temporary directory per process, holding the input under a
 * fixed name, rewritten for every input. Header-only, like fuzz.h. */
#ifndef PC_FUZZ_DIR_H
#define PC_FUZZ_DIR_H

#include "fuzz.h"

#include <sys/stat.h>

static char fuzz_dir_top[4096];  /* the temporary directory */
static char fuzz_dir_file[4096]; /* the input's path in it */

static void
fuzz_dir_cleanup(void)
{
    unlink(fuzz_dir_file);
}

/* Create the directory ($TMPDIR/privcheck-fuzz-XXXXXX, plus `sub` below
 * it, "" for none) and name the input `name` in it. Returns the directory
 * the input is in (static). */
static inline const char *
fuzz_dir_init(const char *sub, const char *name)
{
    static char in[4096];
    const char *t = getenv("TMPDIR");

    snprintf(fuzz_dir_top, sizeof fuzz_dir_top, "%s/privcheck-fuzz-XXXXXX",
             t != NULL && *t != '\0' ? t : "/tmp");
    if (mkdtemp(fuzz_dir_top) == NULL)
        FUZZ_DIE("mkdtemp: %s", strerror(errno));
    snprintf(in, sizeof in, "%s%s%s", fuzz_dir_top, *sub ? "/" : "", sub);
    for (char *p = in + strlen(fuzz_dir_top) + 1; *sub && *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(in, 0700) != 0)
                FUZZ_DIE("mkdir %s: %s", in, strerror(errno));
            *p = '/';
        }
    if (*sub && mkdir(in, 0700) != 0)
        FUZZ_DIE("mkdir %s: %s", in, strerror(errno));
    snprintf(fuzz_dir_file, sizeof fuzz_dir_file, "%s/%s", in, name);
    atexit(fuzz_dir_cleanup);
    return in;
}

/* Write the input to its file. */
static inline void
fuzz_dir_write(const uint8_t *data, size_t size)
{
    int fd =
        open(fuzz_dir_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    size_t off = 0;

    if (fd < 0)
        FUZZ_DIE("open %s: %s", fuzz_dir_file, strerror(errno));
    while (off < size) {
        ssize_t n = write(fd, data + off, size - off);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            FUZZ_DIE("write: %s", strerror(errno));
        off += (size_t)n;
    }
    close(fd);
}

#endif
