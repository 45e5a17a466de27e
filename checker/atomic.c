/* atomic.c - replacing a file whole or not at all: the new contents go to
 * a temporary file beside it, which is flushed, synced and renamed over
 * the old one only once everything was written. Reports and the waivers
 * file `privcheck waive` appends to are written this way, so a crash or a
 * full disk never leaves half a file that looks complete. */
#include "config.h"

#include "privcheck.h"

#include "diag.h"
#include "strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct pc_atomic {
    char *path, *tmp;
    FILE *out;
    bool closed; /* out was flushed, synced and closed without error */
};

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
    free(a->path);
    free(a->tmp);
    free(a);
}

pc_status
pc_atomic_open(const char *path, pc_diags *d, pc_atomic **out, FILE **stream)
{
    struct strbuf tmp = STRBUF_INIT(4096);
    const char *slash = strrchr(path, '/');
    pc_atomic *a = calloc(1, sizeof *a);
    pc_status st;
    int fd = -1;

    *out = NULL;
    *stream = NULL;
    if (a == NULL || (a->path = strdup(path)) == NULL) {
        atomic_free(a);
        return PC_ENOMEM;
    }
    /* Beside the target: a rename within one file system is atomic. */
    if (slash != NULL)
        st = strbuf_printf(&tmp, "%.*s/.privcheck-XXXXXX", (int)(slash - path),
                           path);
    else
        st = strbuf_puts(&tmp, ".privcheck-XXXXXX");
    if (st != PC_OK) {
        atomic_free(a);
        return st == PC_ELIMIT ? diag_fail(d, st, diag_loc(d, path, 0, 0),
                                           "the path is too long")
                               : st;
    }
    if ((a->tmp = strbuf_detach(&tmp)) == NULL) {
        atomic_free(a);
        return PC_ENOMEM;
    }
    if ((fd = mkstemp(a->tmp)) < 0) {
        st = diag_fail(d, PC_EIO, diag_loc(d, path, 0, 0),
                       "cannot create a temporary file beside it: %s",
                       strerror(errno));
        atomic_free(a);
        return st;
    }
    /* mkstemp makes it 0600; the file it becomes follows the umask, or
     * keeps the mode of the one it replaces. */
    if (fchmod(fd, atomic_mode(path)) != 0 ||
        (a->out = fdopen(fd, "w")) == NULL) {
        st = diag_fail(d, PC_EIO, diag_loc(d, path, 0, 0), "%s",
                       strerror(errno));
        close(fd);
        unlink(a->tmp);
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

    if (a->out == NULL)
        return a->closed ? PC_OK : PC_EIO;
    if (fflush(a->out) != 0 || ferror(a->out) || fsync(fileno(a->out)) != 0)
        err = errno != 0 ? errno : EIO;
    if (fclose(a->out) != 0 && err == 0)
        err = errno != 0 ? errno : EIO;
    a->out = NULL;
    if (err != 0)
        return diag_fail(d, PC_EIO, diag_loc(d, a->path, 0, 0),
                         "cannot write it: %s", strerror(err));
    a->closed = true;
    return PC_OK;
}

pc_status
pc_atomic_commit(pc_atomic *a, pc_diags *d)
{
    pc_status st;

    if (a == NULL)
        return PC_OK;
    if ((st = pc_atomic_close(a, d)) == PC_OK && rename(a->tmp, a->path) != 0)
        st = diag_fail(d, PC_EIO, diag_loc(d, a->path, 0, 0), "%s",
                       strerror(errno));
    if (st != PC_OK)
        unlink(a->tmp);
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
    unlink(a->tmp);
    atomic_free(a);
}
