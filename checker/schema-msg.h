/* schema-msg.h - the words of every message about a file that does not
 * match its schema or is not XML at all. Whoever finds a problem (the
 * tree walk of schema-check.c, or a streaming validator) passes the
 * facts - where, which element and attribute, what was expected, what
 * was there - and these functions record the one diagnostic, so every
 * command says the same thing about the same file. Names and values
 * come from the schema and the input; nothing here knows a format. */
#ifndef PC_SCHEMA_MSG_H
#define PC_SCHEMA_MSG_H

#include "privcheck.h"

struct strbuf;
struct strv;

/* Each function records one error at loc and returns PC_EINVALID (or
 * PC_ESYNTAX for files that are not XML), or PC_ENOMEM when it could
 * not. `elem` and `parent` are local element names. Sets may be NULL or
 * empty when the schema gives none. */

/* attr is not an attribute elem may carry; allowed: those it may. */
pc_status schema_msg_unknown_attr(pc_diags *d, struct pc_loc loc,
                                  const char *elem, const char *attr,
                                  const struct strv *allowed);

/* elem lacks required attribute attr; values: its closed set, if any. */
/* An attribute in a namespace the schema has no extension for. */
pc_status schema_msg_foreign_attr(pc_diags *d, struct pc_loc loc,
                                  const char *elem, const char *attr,
                                  const char *ns);
/* A child element in another namespace than its parent's. */
pc_status schema_msg_foreign_elem(pc_diags *d, struct pc_loc loc,
                                  const char *parent, const char *elem,
                                  const char *ns);
pc_status schema_msg_missing_attr(pc_diags *d, struct pc_loc loc,
                                  const char *elem, const char *attr,
                                  const struct strv *values);

/* elem needs one of the attributes in alternatives, and has none. */
pc_status schema_msg_missing_choice(pc_diags *d, struct pc_loc loc,
                                    const char *elem,
                                    const struct strv *alternatives);

/* elem carries attributes a and b, which exclude each other. */
pc_status schema_msg_exclusive_attrs(pc_diags *d, struct pc_loc loc,
                                     const char *elem, const char *a,
                                     const char *b);

/* Attribute attr of elem (attr NULL: elem's text) has `got`, which is not
 * in the closed set `allowed`. */
pc_status schema_msg_bad_value(pc_diags *d, struct pc_loc loc, const char *elem,
                               const char *attr, const char *got,
                               const struct strv *allowed);

/* Attribute attr of elem (NULL: its text) has `got`, which is not
 * `expected` (a phrase: "an id (letters, digits, ...)"), see
 * schema_msg_describe_*. */
pc_status schema_msg_bad_data(pc_diags *d, struct pc_loc loc, const char *elem,
                              const char *attr, const char *got,
                              const char *expected);

/* Child elem of parent is not one parent may hold; allowed: those it may
 * (NULL or empty: none). */
pc_status schema_msg_unknown_elem(pc_diags *d, struct pc_loc loc,
                                  const char *parent, const char *elem,
                                  const struct strv *allowed);

/* Child elem of parent comes after `after` (at after_line), which the
 * schema puts later; order: the children of parent in schema order. */
pc_status schema_msg_misplaced_elem(pc_diags *d, struct pc_loc loc,
                                    const char *parent, const char *elem,
                                    const char *after, unsigned after_line,
                                    const struct strv *order);

/* A second elem in parent, which takes one (the first at first_line). */
pc_status schema_msg_repeated_elem(pc_diags *d, struct pc_loc loc,
                                   const char *parent, const char *elem,
                                   unsigned first_line);

/* Child elem of parent is known but not allowed where it is; expected:
 * what could come there instead (may be empty). */
pc_status schema_msg_unexpected_elem(pc_diags *d, struct pc_loc loc,
                                     const char *parent, const char *elem,
                                     const struct strv *expected);

/* parent ends while it still needs one of the elements in expected. */
pc_status schema_msg_missing_elem(pc_diags *d, struct pc_loc loc,
                                  const char *parent,
                                  const struct strv *expected);

/* elem holds text, and takes none. */
pc_status schema_msg_text_not_allowed(pc_diags *d, struct pc_loc loc,
                                      const char *elem, const char *text);

/* The root is got_name in got_ns (NULL: none); the schema wants
 * want_name in want_ns. */
pc_status schema_msg_wrong_root(pc_diags *d, struct pc_loc loc,
                                const char *want_name, const char *want_ns,
                                const char *got_name, const char *got_ns);

/* The schema rejected elem and no finer fact is known. */
pc_status schema_msg_invalid(pc_diags *d, struct pc_loc loc, const char *elem);

/* Files that are not XML. `root`/`ns`: what the file should start with
 * (NULL: unknown). */
pc_status schema_msg_empty(pc_diags *d, struct pc_loc loc, const char *root,
                           const char *ns);
pc_status schema_msg_not_xml(pc_diags *d, struct pc_loc loc, const char *start,
                             const char *root, const char *ns);
pc_status schema_msg_no_root(pc_diags *d, struct pc_loc loc, const char *root,
                             const char *ns);
/* The file ends inside elem, opened at open_line. */
pc_status schema_msg_truncated(pc_diags *d, struct pc_loc loc, const char *elem,
                               unsigned open_line);
/* </got> closes elem, opened at open_line. */
pc_status schema_msg_mismatched_tag(pc_diags *d, struct pc_loc loc,
                                    const char *elem, unsigned open_line,
                                    const char *got);
/* Any other well-formedness error: the parser's own description. */
pc_status schema_msg_syntax(pc_diags *d, struct pc_loc loc, const char *what);

/* Phrases for schema_msg_bad_data's `expected`, appended to b. */
pc_status schema_msg_describe_values(struct strbuf *b,
                                     const struct strv *values);
/* A datatype: its documentation if the schema has one, else from its
 * facets (any may be NULL). */
pc_status schema_msg_describe_data(struct strbuf *b, const char *doc,
                                   const char *type, const char *pattern,
                                   const char *min_len, const char *max_len,
                                   const char *min, const char *max);
/* b already holds the item's phrase: make it a list's. */
pc_status schema_msg_describe_list(struct strbuf *b, const char *item);

#endif
