/* limit.h - the named bounds on untrusted input (privcheck(1), LIMITS):
 * each has a default, a hard ceiling no setting can pass, and a name that
 * every message about it carries, with the option that raises it. */
#ifndef PC_LIMIT_H
#define PC_LIMIT_H

#include "privcheck.h"

enum limit_id {
    LIMIT_DEPTH,            /* element nesting, every XML input */
    LIMIT_ATTRIBUTES,       /* attributes on one element */
    LIMIT_MARKUP,           /* comments + processing instructions a file */
    LIMIT_ATTRIBUTE_LENGTH, /* bytes of one manifest attribute value */
    LIMIT_ELEMENTS,         /* elements in one manifest */
    LIMIT_DECLARATIONS,     /* retained elements outside flows (ids) */
    LIMIT_FIELDS,           /* fields in one flow */
    LIMIT_REGEX_MATCH,      /* pcre2 match limit */
    LIMIT_REGEX_DEPTH,      /* pcre2 depth limit */
    LIMIT_REGEX_HEAP,       /* pcre2 heap limit, KiB */
    LIMIT_REGEX_SUBJECT,    /* bytes a pattern is tried on */
    LIMIT_WAIVERS,          /* waivers in one file */
    LIMIT_BASELINE_FINDINGS,
    LIMIT_BASELINE_BYTES,
    LIMIT_COUNT
};

/* The ceiling of `depth`: arrays indexed by depth are sized by it. */
#define LIMIT_DEPTH_CEILING 256

/* The value in force (the default unless pc_limit_set changed it). */
unsigned long long limit_get(enum limit_id id);
const char *limit_name(enum limit_id id);

/* Record a PC_ELIMIT error at loc: the message made from fmt, then which
 * limit it was and how to raise it (or that it is at its ceiling).
 * Returns PC_ELIMIT, or PC_ENOMEM if recording failed. */
pc_status limit_fail(pc_diags *d, struct pc_loc loc, enum limit_id id,
                     const char *fmt, ...) PC_PRINTF(4, 5);
/* The same where the bound applied was `value`, not the one in force (a
 * caller with limits of its own, as the unit tests have). */
pc_status limit_fail_at(pc_diags *d, struct pc_loc loc, enum limit_id id,
                        unsigned long long value, const char *fmt, ...)
    PC_PRINTF(5, 6);

#endif
