/* file.c - reading an input file ourselves, whole: regular files only
 * (no FIFO, device or directory), opened without blocking, within a size
 * cap checked before and while reading; and standard input, named
 * PC_STDIN, which may be a pipe, under the same cap. Every input comes through
 * here: XML through xml.c, which pre-scans what this returns; the JSON of a
 * baseline through baseline.c. */
#include "config.h"

#include "file.h"

#include "diag.h"

#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Standard input can be read once: what it held is kept for every later
 * read of PC_STDIN (a validate reads a file twice). */
static pthread_mutex_t file_stdin_lock = PTHREAD_MUTEX_INITIALIZER;
static char *file_stdin_buf;
static size_t file_stdin_len;
static pc_status file_stdin_st = PC_OK;
static bool file_stdin_done;

static pc_status file_read_fd(int fd, const char *path, size_t max, pc_diags *d,
                              char **bufp, size_t *lenp);

static pc_status
file_read_stdin(size_t max, pc_diags *d, char **bufp, size_t *lenp)
{
    struct pc_loc loc = diag_loc(d, PC_STDIN, 0, 0);
    pc_status st;

    pthread_mutex_lock(&file_stdin_lock);
    if (!file_stdin_done) {
        int fd = dup(STDIN_FILENO);

        file_stdin_done = true;
        if (fd < 0)
            file_stdin_st =
                diag_fail(d, PC_EIO, loc, "cannot read: %s", strerror(errno));
        else
            file_stdin_st = file_read_fd(fd, PC_STDIN, max, d, &file_stdin_buf,
                                         &file_stdin_len);
    } else if (file_stdin_st != PC_OK) {
        diag_fail(d, file_stdin_st, loc, "standard input could not be read");
    }
    st = file_stdin_st;
    if (st == PC_OK && file_stdin_len > max)
        st = diag_fail(d, PC_ELIMIT, loc,
                       "standard input exceeds the limit of %zu bytes", max);
    if (st == PC_OK) {
        if ((*bufp = malloc(file_stdin_len + 1)) == NULL) {
            st = PC_ENOMEM;
        } else {
            memcpy(*bufp, file_stdin_buf, file_stdin_len + 1);
            *lenp = file_stdin_len;
        }
    }
    pthread_mutex_unlock(&file_stdin_lock);
    return st;
}

/* What every input must be, checked on its descriptor: a regular file
 * within the cap (piped: standard input, which may also be a pipe, a
 * socket or a terminal, read up to the cap). *size is 0 for those. */
static pc_status
file_check_fd(int fd, const char *path, bool piped, size_t max, pc_diags *d,
              size_t *size)
{
    struct pc_loc loc = diag_loc(d, path, 0, 0);
    struct stat sb;

    if (fstat(fd, &sb) != 0)
        return diag_fail(d, PC_EIO, loc, "cannot stat: %s", strerror(errno));
    if (piped && !S_ISREG(sb.st_mode)) {
        if (!S_ISFIFO(sb.st_mode) && !S_ISSOCK(sb.st_mode) &&
            !S_ISCHR(sb.st_mode))
            return diag_fail(d, PC_EIO, loc, "not a regular file or a pipe");
        sb.st_size = 0; /* read up to the cap */
    } else if (!S_ISREG(sb.st_mode)) {
        return diag_fail(d, PC_EIO, loc, "not a regular file");
    }
    if ((unsigned long long)sb.st_size > max)
        return diag_fail(d, PC_ELIMIT, loc,
                         "file is %lld bytes; the limit is %zu",
                         (long long)sb.st_size, max);
    *size = (size_t)sb.st_size;
    return PC_OK;
}

pc_status
file_open(const char *path, size_t max, pc_diags *d, int *fdp, size_t *size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    pc_status st;

    if (fd < 0)
        return diag_fail(d, PC_EIO, diag_loc(d, path, 0, 0), "cannot open: %s",
                         strerror(errno));
    if ((st = file_check_fd(fd, path, false, max, d, size)) != PC_OK) {
        close(fd);
        return st;
    }
    *fdp = fd;
    return PC_OK;
}

pc_status
file_read(const char *path, size_t max, pc_diags *d, char **bufp, size_t *lenp)
{
    struct pc_loc loc = diag_loc(d, path, 0, 0);
    int fd;

    if (strcmp(path, PC_STDIN) == 0)
        return file_read_stdin(max, d, bufp, lenp);
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return diag_fail(d, PC_EIO, loc, "cannot open: %s", strerror(errno));
    return file_read_fd(fd, path, max, d, bufp, lenp);
}

/* Read fd (closed here): a regular file, or standard input, which may be
 * a pipe. */
static pc_status
file_read_fd(int fd, const char *path, size_t max, pc_diags *d, char **bufp,
             size_t *lenp)
{
    struct pc_loc loc = diag_loc(d, path, 0, 0);
    bool piped = strcmp(path, PC_STDIN) == 0;
    char *buf = NULL;
    size_t len = 0, size = 0;
    pc_status st = file_check_fd(fd, path, piped, max, d, &size);

    if (st != PC_OK)
        goto out;
    /* Size the buffer from fstat, plus one byte to notice a file that grew
     * since (it is then read again up to the cap). */
    size_t cap = size + 2 < 4096 && piped ? 4096 : size + 2;
    buf = malloc(cap);
    if (buf == NULL) {
        st = PC_ENOMEM;
        goto out;
    }
    for (;;) {
        ssize_t n;

        if (len + 1 == cap) {
            size_t ncap = cap * 2 > max + 2 ? max + 2 : cap * 2;
            char *nb = realloc(buf, ncap);

            if (nb == NULL) {
                st = PC_ENOMEM;
                goto out;
            }
            buf = nb;
            cap = ncap;
        }
        n = read(fd, buf + len, cap - 1 - len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            st = diag_fail(d, PC_EIO, loc, "read error: %s", strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        len += (size_t)n;
        if (len > max) {
            st = diag_fail(d, PC_ELIMIT, loc,
                           "file exceeds the limit of %zu bytes", max);
            goto out;
        }
    }
    buf[len] = '\0';
out:
    close(fd);
    if (st != PC_OK) {
        free(buf);
        return st;
    }
    *bufp = buf;
    *lenp = len;
    return PC_OK;
}
