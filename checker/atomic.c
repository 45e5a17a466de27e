/* atomic.c - replacing a file whole or not at all. The new contents go to
 * a temporary file in the target's directory, which is flushed, synced
 * and put in place (rename, or link for a new file) only once everything
 * was written; then the directory is synced, so the new name survives a
 * crash too. Reports and the waivers file `privcheck waive` appends to
 * are written this way, so a crash or a full disk never leaves half a
 * file that looks complete.
 *
 * A run killed while writing must not leave a partial file behind, not
 * even a hidden one: the temporary file has no name at all where the
 * file system can do that (O_TMPFILE, Linux 3.11), and gets one only
 * when it is complete (linkat through /proc/self/fd). Elsewhere it is a
 * named .privcheck-XXXXXX file, which SIGINT, SIGTERM and SIGHUP remove
 * before the process dies (SIGKILL cannot be caught: only O_TMPFILE
 * helps there). PRIVCHECK_NO_TMPFILE forces the named file, so that the
 * fallback can be tested where O_TMPFILE works. */
#include "config.h"

#include "privcheck.h"

#include "diag.h"
#include "strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

struct pc_atomic {
    char *path; /* the target */
    char *dir;  /* its directory, for O_TMPFILE and the final fsync */
    char *tmp;  /* the named temporary file; NULL while it has no name */
    FILE *out;
    int slot;    /* index in atomic_pending while tmp is named; else -1 */
    bool synced; /* out was flushed and synced without error */
};

/* ---------------------------------------------------- signal clean-up */

/* The named temporary files that exist now, for the signal handler to
 * remove. Slots are claimed and cleared with atomics, and a path is
 * cleared before it is freed, so the handler only ever sees live
 * strings; unlink(2) is async-signal-safe. */
#define ATOMIC_SLOTS 32
static _Atomic(char *) atomic_pending[ATOMIC_SLOTS];
static atomic_flag atomic_handlers_once = ATOMIC_FLAG_INIT;
static const int atomic_signals[] = { SIGINT, SIGTERM, SIGHUP };

void
pc_atomic_discard_all(void)
{
    for (int i = 0; i < ATOMIC_SLOTS; i++) {
        char *p = atomic_exchange(&atomic_pending[i], NULL);

        if (p != NULL)
            unlink(p);
    }
}

static void
atomic_on_signal(int sig)
{
    int saved = errno;

    pc_atomic_discard_all();
    /* Die of the signal, as the process would have without us. */
    signal(sig, SIG_DFL);
    raise(sig);
    errno = saved;
}

/* Install the handler for the signals whose disposition is still the
 * default: a program that links the library and handles them itself
 * keeps its own handlers (and its own clean-up). */
static void
atomic_install_handlers(void)
{
    if (atomic_flag_test_and_set(&atomic_handlers_once))
        return;
    for (size_t i = 0; i < sizeof atomic_signals / sizeof atomic_signals[0];
         i++) {
        struct sigaction old, sa;

        if (sigaction(atomic_signals[i], NULL, &old) != 0 ||
            (old.sa_flags & SA_SIGINFO) != 0 || old.sa_handler != SIG_DFL)
            continue;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = atomic_on_signal;
        sigfillset(&sa.sa_mask);
        sigaction(atomic_signals[i], &sa, NULL);
    }
}

static void
atomic_register(pc_atomic *a)
{
    atomic_install_handlers();
    for (int i = 0; i < ATOMIC_SLOTS; i++) {
        char *expect = NULL;

        if (atomic_compare_exchange_strong(&atomic_pending[i], &expect,
                                           a->tmp)) {
            a->slot = i;
            return;
        }
    }
    /* More than ATOMIC_SLOTS at once: this one is not cleaned up on a
     * signal, which the CLI (at most a few reports) never reaches. */
}

static void
atomic_unregister(pc_atomic *a)
{
    if (a->slot >= 0) {
        char *expect = a->tmp;

        atomic_compare_exchange_strong(&atomic_pending[a->slot], &expect, NULL);
        a->slot = -1;
    }
}

/* ----------------------------------------------------------- helpers */

/* The mode of a new file: what open(2) would give with 0666 and the
 * process's umask; or the mode of the file being replaced. */
static mode_t
atomic_mode(const char *path)
{
    struct stat sb;
    mode_t mask;

    if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
        return sb.st_mode & 07777;
    /* umask can only be read by setting it; privcheck sets it back at
     * once, before any other thread could create a file. */
    mask = umask(077);
    umask(mask);
    return 0666 & ~mask;
}

static void
atomic_free(pc_atomic *a)
{
    if (a == NULL)
        return;
    atomic_unregister(a);
    free(a->path);
    free(a->dir);
    free(a->tmp);
    free(a);
}

/* Remove the named temporary file, if there is one, and forget it. */
static void
atomic_remove_tmp(pc_atomic *a)
{
    if (a->tmp == NULL)
        return;
    atomic_unregister(a);
    unlink(a->tmp);
    free(a->tmp);
    a->tmp = NULL;
}

/* "DIR/.privcheck-XXXXXX" in *s, X's random when fill is true (mkstemp
 * fills them itself). */
static pc_status
atomic_tmp_name(const pc_atomic *a, bool fill, char **s)
{
    static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    struct strbuf b = STRBUF_INIT(4096);
    unsigned char r[6] = { 0 };
    pc_status st = strbuf_printf(&b, "%s/.privcheck-", a->dir);

    if (fill && getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
        for (size_t i = 0; i < sizeof r; i++)
            r[i] = (unsigned char)rand();
    for (size_t i = 0; i < sizeof r && st == PC_OK; i++)
        st = strbuf_putc(&b, fill ? digits[r[i] % (sizeof digits - 1)] : 'X');
    if (st != PC_OK) {
        strbuf_free(&b);
        return st;
    }
    return (*s = strbuf_detach(&b)) != NULL ? PC_OK : PC_ENOMEM;
}

/* An unnamed file in a->dir, or -1 (errno set) where there is none. */
static int
atomic_open_unnamed(const pc_atomic *a, mode_t mode)
{
#ifdef O_TMPFILE
    const char *no = getenv("PRIVCHECK_NO_TMPFILE");

    if (no != NULL && no[0] != '\0' && strcmp(no, "0") != 0) {
        errno = EOPNOTSUPP;
        return -1;
    }
    return open(a->dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
#else
    (void)a;
    (void)mode;
    errno = EOPNOTSUPP;
    return -1;
#endif
}

/* Give the unnamed file fd the name `name`; fails with EEXIST when the
 * name is taken. /proc/self/fd needs no privilege; AT_EMPTY_PATH needs
 * CAP_DAC_READ_SEARCH, and is tried when /proc is not mounted. */
static int
atomic_link(int fd, const char *name)
{
    char proc[64];

    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
    if (linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW) == 0)
        return 0;
    if (errno == EEXIST)
        return -1;
    return linkat(fd, "", AT_FDCWD, name, AT_EMPTY_PATH);
}

/* Sync the directory, so the new name is on disk with the contents.
 * Some file systems cannot sync a directory (EINVAL); that is not a
 * failure of the write. */
static int
atomic_sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int err = 0;

    if (fd < 0)
        return errno;
    if (fsync(fd) != 0 && errno != EINVAL && errno != EROFS)
        err = errno;
    close(fd);
    return err;
}

/* ---------------------------------------------------------------- API */

pc_status
pc_atomic_open(const char *path, pc_diags *d, pc_atomic **out, FILE **stream)
{
    const char *slash = strrchr(path, '/');
    pc_atomic *a = calloc(1, sizeof *a);
    mode_t mode;
    pc_status st;
    int fd = -1;

    *out = NULL;
    *stream = NULL;
    if (a == NULL)
        return PC_ENOMEM;
    a->slot = -1;
    if ((a->path = strdup(path)) == NULL ||
        (a->dir = slash == NULL ? strdup(".")
                  : slash == path
                      ? strdup("/")
                      : strndup(path, (size_t)(slash - path))) == NULL) {
        atomic_free(a);
        return PC_ENOMEM;
    }
    mode = atomic_mode(path);
    /* In the target's directory: a rename or a link within one file
     * system is atomic. */
    if ((fd = atomic_open_unnamed(a, mode)) < 0) {
        if ((st = atomic_tmp_name(a, false, &a->tmp)) != PC_OK) {
            atomic_free(a);
            return st;
        }
        /* Named from the start: register it before it exists, so that
         * no signal can come between its creation and its registration
         * (the handler's unlink of a name not yet there is harmless). */
        atomic_register(a);
        if ((fd = mkstemp(a->tmp)) < 0) {
            st = diag_fail(d, PC_EIO, diag_loc(d, path, 0, 0),
                           "cannot create a temporary file beside it: %s",
                           strerror(errno));
            atomic_free(a);
            return st;
        }
    }
    /* The file it becomes follows the umask, or keeps the mode of the
     * one it replaces (mkstemp makes it 0600; O_TMPFILE applies the
     * umask, which a replaced file's mode need not follow). */
    if (fchmod(fd, mode) != 0 || (a->out = fdopen(fd, "w")) == NULL) {
        st = diag_fail(d, PC_EIO, diag_loc(d, path, 0, 0), "%s",
                       strerror(errno));
        close(fd);
        atomic_remove_tmp(a);
        atomic_free(a);
        return st;
    }
    *out = a;
    *stream = a->out;
    return PC_OK;
}

pc_status
pc_atomic_close(pc_atomic *a, pc_diags *d)
{
    int err = 0;

    if (a->out == NULL || a->synced)
        return a->synced ? PC_OK : PC_EIO;
    /* The stream stays open: an unnamed file lives only as long as its
     * descriptor, and gets its name at commit. */
    if (fflush(a->out) != 0 || ferror(a->out) || fsync(fileno(a->out)) != 0)
        err = errno != 0 ? errno : EIO;
    if (err != 0) {
        fclose(a->out);
        a->out = NULL;
        return diag_fail(d, PC_EIO, diag_loc(d, a->path, 0, 0),
                         "cannot write it: %s", strerror(err));
    }
    a->synced = true;
    return PC_OK;
}

/* Put the synced temporary file in place: a named one is renamed over
 * the target; an unnamed one is linked as the target when there is none,
 * or else linked under a fresh temporary name and renamed over it (which
 * leaves a complete file under that name only if the process dies
 * between the two calls). Returns 0 or an errno value. */
static int
atomic_install(pc_atomic *a)
{
    int fd = fileno(a->out);

    if (a->tmp != NULL)
        return rename(a->tmp, a->path) == 0 ? 0 : errno;
    if (atomic_link(fd, a->path) == 0)
        return 0;
    if (errno != EEXIST)
        return errno;
    for (int tries = 0; tries < 16; tries++) {
        if (atomic_tmp_name(a, true, &a->tmp) != PC_OK)
            return ENOMEM;
        atomic_register(a);
        if (atomic_link(fd, a->tmp) == 0)
            return rename(a->tmp, a->path) == 0 ? 0 : errno;
        atomic_unregister(a);
        free(a->tmp);
        a->tmp = NULL;
        if (errno != EEXIST)
            return errno;
    }
    return EEXIST;
}

pc_status
pc_atomic_commit(pc_atomic *a, pc_diags *d)
{
    pc_status st;
    int err = 0;

    if (a == NULL)
        return PC_OK;
    if ((st = pc_atomic_close(a, d)) == PC_OK) {
        err = atomic_install(a);
        if (err == 0) {
            /* In place: the temporary name is gone with the rename. */
            atomic_unregister(a);
            free(a->tmp);
            a->tmp = NULL;
            err = atomic_sync_dir(a->dir);
        }
        if (fclose(a->out) != 0 && err == 0)
            err = errno != 0 ? errno : EIO;
        a->out = NULL;
        if (err != 0)
            st = diag_fail(d, PC_EIO, diag_loc(d, a->path, 0, 0), "%s",
                           strerror(err));
    }
    atomic_remove_tmp(a);
    atomic_free(a);
    return st;
}

void
pc_atomic_abort(pc_atomic *a)
{
    if (a == NULL)
        return;
    if (a->out != NULL)
        fclose(a->out);
    atomic_remove_tmp(a);
    atomic_free(a);
}
