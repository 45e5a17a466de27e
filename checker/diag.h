/* diag.h - recording diagnostics with their location. */
#ifndef PC_DIAG_H
#define PC_DIAG_H

#include "privcheck.h"

#include <stdarg.h>

/* Intern a file name in the sink so locations can borrow it for the
 * sink's lifetime. Returns NULL when out of memory. */
const char *diag_intern(pc_diags *d, const char *file);

/* A location in `file` (interned), at line/col. */
struct pc_loc diag_loc(pc_diags *d, const char *file, unsigned line,
                       unsigned col);

/* Record a diagnostic. Returns PC_OK, or PC_ENOMEM if it could not. */
pc_status diag_add(pc_diags *d, pc_severity sev, struct pc_loc loc,
                   const char *fmt, ...) PC_PRINTF(4, 5);
pc_status diag_vadd(pc_diags *d, pc_severity sev, struct pc_loc loc,
                    const char *fmt, va_list ap) PC_PRINTF(4, 0);

/* Record an error; return st, or PC_ENOMEM if recording failed. */
pc_status diag_fail(pc_diags *d, pc_status st, struct pc_loc loc,
                    const char *fmt, ...) PC_PRINTF(4, 5);

/* Write s to out with control bytes and invalid UTF-8 escaped as \xNN,
 * so hostile input cannot drive the terminal. */
void diag_put_escaped(FILE *out, const char *s);

/* Order the diagnostics from index `from` on by line, keeping the order
 * of those on one line. */
void diag_sort_lines(pc_diags *d, size_t from);

struct strbuf;
/* The same escaping, appended to b. */
pc_status diag_escape(struct strbuf *b, const char *s);
/* The length of the UTF-8 sequence at s (avail bytes readable, at least
 * 1), and whether it is unsafe to show raw: a control character but tab,
 * a C1 control, a bidi override, or a byte that is not UTF-8 (then the
 * length is 1). Reports that escape in their own way use it. */
size_t diag_scan(const char *s, size_t avail, bool *unsafe);

#endif
