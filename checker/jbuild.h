/* jbuild.h - building a JSON document with jansson for a report (JSON,
 * SARIF): puts whose first failure sticks, so a run of them needs one
 * check at the end, like a strbuf. */
#ifndef PC_JBUILD_H
#define PC_JBUILD_H

#include "privcheck.h"

#include <jansson.h>

struct jbuild {
    pc_diags *d;
    struct pc_loc loc; /* whose strings these are, for a diagnostic */
    const char *what;  /* "the JSON report", for the diagnostic */
    pc_status st;
};

/* obj[key] = v, or append v when key is NULL. v is stolen, even on
 * failure; NULL v (a constructor out of memory) fails with PC_ENOMEM.
 * Returns v, borrowed, or NULL once anything has failed. */
json_t *jbuild_put(struct jbuild *p, json_t *obj, const char *key, json_t *v);
/* obj[key] = s, or null when s is NULL. A string that is not UTF-8 fails
 * with PC_EINVALID and a diagnostic at p->loc. */
void jbuild_str(struct jbuild *p, json_t *obj, const char *key, const char *s);
/* The same, but nothing at all when s is NULL (SARIF has no nulls). */
void jbuild_str_opt(struct jbuild *p, json_t *obj, const char *key,
                    const char *s);
void jbuild_int(struct jbuild *p, json_t *obj, const char *key, size_t n);
void jbuild_bool(struct jbuild *p, json_t *obj, const char *key, bool b);
/* Serialise doc to out, keys in insertion order, indented, with a final
 * newline; ascii: every non-ASCII character as \uXXXX, so the file holds
 * no byte that could reorder or drive what displays it. PC_EIO when the
 * stream failed, PC_ENOMEM otherwise. */
pc_status jbuild_dump(json_t *doc, FILE *out, bool ascii);

/* Writing a document in pieces, byte for byte as jbuild_dump would write
 * it whole, so a report need not hold every finding as a tree:
 * jbuild_write(out, "\n" + indent spaces, v) writes v as jbuild_dump
 * would at that depth (its lines indented by `indent` more); member
 * writes `,`? newline, indentation, "key": and the value. PC_EIO when
 * the stream failed, PC_ENOMEM otherwise. */
pc_status jbuild_write(FILE *out, unsigned indent, json_t *v, bool ascii);
pc_status jbuild_write_member(FILE *out, bool first, unsigned indent,
                              const char *key, json_t *v, bool ascii);
/* Every member of obj, in order, the first after a comma unless first. */
pc_status jbuild_write_members(FILE *out, bool first, unsigned indent,
                               json_t *obj, bool ascii);

#endif
