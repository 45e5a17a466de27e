/* paths.h - names of input files that do not depend on where privcheck
 * runs: fingerprints and SARIF artifact URIs use them. */
#ifndef PC_PATHS_H
#define PC_PATHS_H

#include "privcheck.h"

/* `path` relative to the directory `root` (NULL: the working directory),
 * normalised: "./a//b/../c" is "a/c", and the root itself is ".". A path
 * outside root (symbolic links resolved, when that brings it inside) is
 * the normalised absolute path. On PC_OK *out is the caller's (free).
 * PC_EIO when root or the working directory cannot be resolved, with a
 * diagnostic in d; PC_ENOMEM. */
pc_status paths_relative(const char *root, const char *path, pc_diags *d,
                         char **out);

#endif
