/* file.c - reading an input file ourselves, whole: regular files only
 * (no FIFO, device or directory), opened without blocking, within a size
 * cap checked before and while reading. Every input comes through here:
 * XML through xml.c, which pre-scans what this returns; the JSON of a
 * baseline through baseline.c. */
#include "config.h"

#include "file.h"

#include "diag.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

pc_status
file_read(const char *path, size_t max, pc_diags *d, char **bufp, size_t *lenp)
{
    struct pc_loc loc = diag_loc(d, path, 0, 0);
    struct stat sb;
    char *buf = NULL;
    size_t len = 0;
    pc_status st = PC_OK;
    int fd;

    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return diag_fail(d, PC_EIO, loc, "cannot open: %s", strerror(errno));
    if (fstat(fd, &sb) != 0) {
        st = diag_fail(d, PC_EIO, loc, "cannot stat: %s", strerror(errno));
        goto out;
    }
    if (!S_ISREG(sb.st_mode)) {
        st = diag_fail(d, PC_EIO, loc, "not a regular file");
        goto out;
    }
    if ((unsigned long long)sb.st_size > max) {
        st =
            diag_fail(d, PC_ELIMIT, loc, "file is %lld bytes; the limit is %zu",
                      (long long)sb.st_size, max);
        goto out;
    }
    /* Size the buffer from fstat, plus one byte to notice a file that grew
     * since (it is then read again up to the cap). */
    size_t cap = (size_t)sb.st_size + 2;
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
