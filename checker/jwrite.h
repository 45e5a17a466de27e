/* jwrite.h - writing JSON as it is made, for the reports' hot paths (a
 * finding, a disclosure item): no tree, no allocation per value. The
 * bytes are the ones jansson's json_dumpf(JSON_INDENT(2) |
 * JSON_PRESERVE_ORDER) would give for the same values at the same depth,
 * so pieces written here and documents dumped with jbuild fit together;
 * jansson still escapes every string (jwrite_str). Like jbuild, the
 * first failure sticks: a run of calls needs one check at the end. */
#ifndef PC_JWRITE_H
#define PC_JWRITE_H

#include "privcheck.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

/* Deeper than any report nests. */
#define JWRITE_MAX_DEPTH 16

struct jwrite {
    FILE *out;
    pc_diags *d;
    struct pc_loc loc; /* whose strings these are, for a diagnostic */
    const char *what;  /* "the JSON report", for the diagnostic */
    bool ascii;        /* every non-ASCII character as \uXXXX */
    pc_status st;
    unsigned base;  /* indentation level of the first value */
    unsigned depth; /* containers open */
    char close[JWRITE_MAX_DEPTH];
    bool nonempty[JWRITE_MAX_DEPTH];
    json_t *scalar; /* the string jansson escapes, reused */
    /* What is written goes out in blocks: a finding is some fifty
     * pieces, and a stdio call for each cost a third of the report. */
    char buf[4096];
    size_t len;
};

/* Start writing a value at indentation level `base` (two spaces each) of
 * out; the caller has written what precedes it. */
void jwrite_init(struct jwrite *w, FILE *out, unsigned base, bool ascii,
                 pc_diags *d, const char *what);
/* Write out what w holds, free it; returns its status. Every container
 * opened must have been closed (asserted). */
pc_status jwrite_done(struct jwrite *w);

/* Each writes a value: as the member `key` of the open object, an item of
 * the open array (key NULL), or the value itself when nothing is open. */
void jwrite_object(struct jwrite *w, const char *key);
void jwrite_array(struct jwrite *w, const char *key);
/* Close the innermost open object or array. */
void jwrite_end(struct jwrite *w);
/* s, or null when s is NULL. A string that is not UTF-8 fails with
 * PC_EINVALID and a diagnostic at w->loc. */
void jwrite_str(struct jwrite *w, const char *key, const char *s);
/* The same, but nothing at all when s is NULL (SARIF has no nulls). */
void jwrite_str_opt(struct jwrite *w, const char *key, const char *s);
void jwrite_int(struct jwrite *w, const char *key, size_t n);
/* n, or null when n is 0 (a line number that is unknown). */
void jwrite_line(struct jwrite *w, const char *key, size_t n);
void jwrite_bool(struct jwrite *w, const char *key, bool b);
void jwrite_null(struct jwrite *w, const char *key);

#endif
