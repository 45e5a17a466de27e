/* facet-xml.h - the XSD `pattern` facets of a RELAX NG schema, checked
 * with pcre2 patterns compiled once, instead of by libxml2, which
 * compiles the regular expression again for every value it validates.
 * The schema stays the one source of truth: the patterns are read from
 * it, and taken out only of the copy a manifest streams through. */
#ifndef PC_FACET_XML_H
#define PC_FACET_XML_H

#include "privcheck.h"

#include <libxml/tree.h>

struct facets;

/* Take the pattern facets out of `rng` (a parsed schema, changed in
 * place) where they can be checked here with the same answer: each
 * attribute of an element whose value is a pattern type, a list of them,
 * or a choice of those and fixed values. Patterns anything else uses
 * stay. On PC_OK *out is the caller's (facet_free); it may check none. */
pc_status facet_strip(xmlDoc *rng, pc_diags *d, struct facets **out);

/* As facet_strip, for documents validated as trees, whose elements are
 * checked after validation with their text: the pattern of an element's
 * text is taken out too when data is its whole content. */
pc_status facet_strip_whole(xmlDoc *rng, pc_diags *d, struct facets **out);

/* How many <param name="pattern"> were taken out. */
size_t facet_count(const struct facets *f);

/* Do the attributes of element n (of the schema's namespace) satisfy the
 * patterns taken out? 1 yes, 0 no, -1 when a pattern could not decide
 * (a match limit, reported to d at loc), FACET_NOMEM when memory ran out
 * (not reported: the caller says out of memory). */
#define FACET_NOMEM (-2)
int facet_check(const struct facets *f, const xmlNode *n, pc_diags *d,
                struct pc_loc loc);

void facet_free(struct facets *f);

#endif
