/* file.h - reading an input file whole, safely. */
#ifndef PC_FILE_H
#define PC_FILE_H

#include "privcheck.h"

/* Read the regular file at path, at most max bytes, into memory. On PC_OK
 * *buf (NUL-terminated, len bytes before the NUL) is the caller's (free).
 * PC_EIO (cannot open, not a regular file, read error) and PC_ELIMIT
 * (too large) come with a diagnostic at path. */
pc_status file_read(const char *path, size_t max, pc_diags *d, char **buf,
                    size_t *len);

/* Open the regular file at path for reading, refusing anything else and
 * anything over max bytes now (the caller bounds what it reads later,
 * since the file may grow). On PC_OK *fd is the caller's (close) and
 * *size what fstat said. Errors as for file_read. */
pc_status file_open(const char *path, size_t max, pc_diags *d, int *fd,
                    size_t *size);

#endif
