/* schema-check.h - every reason a parsed document does not match its
 * RELAX NG schema, found by walking the document beside the schema's own
 * patterns and said through schema-msg.h. libxml2 stays the judge of
 * validity (xml.c calls this only once it has said "invalid"); this says
 * what, where, and what was expected, for the whole file. */
#ifndef PC_SCHEMA_CHECK_H
#define PC_SCHEMA_CHECK_H

#include "privcheck.h"

#include <libxml/tree.h>

/* Record every problem of doc against the schema at rng, at the lines in
 * lines[] (the start-tag line of the i-th element in document order;
 * NULL: libxml2's own). *found: how many were recorded. PC_OK unless the
 * schema cannot be read or memory ran out. */
pc_status schema_check_doc(const char *rng, xmlDoc *doc, const char *path,
                           const unsigned *lines, size_t nlines, pc_diags *d,
                           size_t *found);

/* The root element the schema at rng starts with and its namespace, for
 * "the file is empty" messages. On PC_OK both are the caller's (free). */
pc_status schema_check_root(const char *rng, pc_diags *d, char **name,
                            char **ns);

#endif
