/* xml.h - the one hardened way into libxml2. Every file privcheck reads
 * comes through here: opened by us (regular files only, size cap, no
 * compression, UTF-8 only), pre-scanned for DOCTYPEs and pathological
 * shapes (prescan.c), then parsed from memory, or for manifests streamed
 * from the descriptor block by block, with no entity, DTD, XInclude or
 * network loading. libxml2's messages become located diagnostics. */
#ifndef PC_XML_H
#define PC_XML_H

#include "privcheck.h"

#include <libxml/tree.h>
#include <libxml/xmlreader.h>

struct xml_limits {
    size_t max_bytes;    /* file size */
    unsigned max_depth;  /* element nesting */
    unsigned max_attrs;  /* attributes on one element */
    unsigned max_markup; /* comments + processing instructions */
};

/* Limits for inputs: generous for real files, small enough that hostile
 * ones cost milliseconds. */
extern const struct xml_limits xml_default_limits;

/* Install the process-wide safety nets (external entity loader that
 * refuses everything). Idempotent; call once before threads start. */
void xml_init(void);

/* Keep a copy of buf under `name`: from then on, reading `name` (here,
 * xml_load, xml_schema) gives these bytes, not a file. For documents
 * made in memory, such as a composed schema; until xml_cleanup. Putting
 * the same bytes again is a no-op; different ones under a known name
 * are refused. */
pc_status xml_memdoc_put(const char *name, const char *buf, size_t len,
                         pc_diags *d);

/* Read `path` into memory and pre-scan it under `lim`. On PC_OK *buf (NUL
 * terminated) and *len are the caller's (free). */
pc_status xml_read_file(const char *path, const struct xml_limits *lim,
                        pc_diags *d, char **buf, size_t *len);

/* Pre-scan bytes: refuse DOCTYPE, BOMs other than UTF-8, NUL bytes,
 * invalid UTF-8, and trees deeper / wider than `lim`. */
pc_status xml_prescan(const char *path, const char *buf, size_t len,
                      const struct xml_limits *lim, pc_diags *d);

/* Parse `path` into a tree, validating it against the RELAX NG schema at
 * `schema` when that is not NULL. On PC_OK *out is the caller's
 * (xmlFreeDoc), and sha256 (if not NULL) holds the hex digest of the bytes
 * that were parsed. */
pc_status xml_load(const char *path, const char *schema, pc_diags *d,
                   xmlDoc **out, char sha256[65]);

/* As xml_load, for the engine's own data (policy, rules, classifiers):
 * a document this build already found valid against the same schema
 * (cache.h) is not validated again. Parsing and its limits still apply. */
pc_status xml_load_data(const char *path, const char *schema, pc_diags *d,
                        xmlDoc **out, char sha256[65]);

/* The compiled schema at `path`, cached for the life of the process (or
 * until xml_cleanup). Borrowed. */
pc_status xml_schema(const char *path, pc_diags *d, xmlRelaxNGPtr *out);

/* The schema at `path` as manifests stream through it: with the pattern
 * facets *facets checks (facet-xml.h) taken out. Both borrowed, cached
 * like xml_schema's. */
struct facets;
pc_status xml_stream_schema(const char *path, pc_diags *d, xmlRelaxNGPtr *out,
                            const struct facets **facets);

/* Validate an already parsed document against a schema. */
pc_status xml_validate(xmlDoc *doc, const char *schema, pc_diags *d);

/* Streaming reader over `path` (or standard input, PC_STDIN), read from
 * its descriptor a block at a time: each block is bounded, digested and
 * pre-scanned before libxml2 parses it, and validated against `schema` as
 * it is read (NULL: no validation). No more than max_bytes are read (0:
 * PC_MAX_BYTES_DEFAULT). sha256 (if not NULL) receives the hex digest of
 * every byte once the reader reaches the end; it must outlive the reader.
 * Standard input is read whole first (it can be read once). */
struct xml_reader;
pc_status xml_reader_open(const char *path, const char *schema,
                          size_t max_bytes, pc_diags *d,
                          struct xml_reader **out, char sha256[65]);
/* Advance: 1 on a node, 0 at the end, PC_ESYNTAX/PC_EINVALID (negated,
 * i.e. -PC_ESYNTAX) when parsing or validation failed. */
int xml_reader_next(struct xml_reader *r);
xmlTextReaderPtr xml_reader_raw(struct xml_reader *r);
/* Line of the node the reader is on. */
unsigned xml_reader_line(struct xml_reader *r);
void xml_reader_close(struct xml_reader *r);

/* The location of node n in doc (file name interned by d). */
struct pc_loc xml_loc(pc_diags *d, const xmlDoc *doc, const xmlNode *n);

/* Attribute `name` of n (no namespace) as a malloc'd string, or NULL. */
char *xml_attr(const xmlNode *n, const char *name);

/* Concatenated text content of n, whitespace collapsed, malloc'd. */
char *xml_text(const xmlNode *n);

/* Is n an element named `name` in namespace `ns`? */
bool xml_is(const xmlNode *n, const char *ns, const char *name);

/* Root namespace URI of the file at path (reads and pre-scans it; does not
 * validate). *out is the caller's. */
pc_status xml_root_ns(const char *path, pc_diags *d, char **out);
/* Its root element's local name and namespace URI ("" for none); both
 * the caller's. */
pc_status xml_root(const char *path, pc_diags *d, char **name, char **ns);

/* st, or PC_ENOMEM when an allocation of libxml2's or of xml_attr /
 * xml_text failed in this thread since the last parse began: a loader
 * walking a tree ends with it, since a value lost to memory reads as an
 * absent one. */
pc_status xml_settle(pc_status st);

/* Put back this thread's libxml2 error handler (after one of its own):
 * nothing printed, running out of memory noted. */
void xml_handlers_reset(void);

/* Free cached schemas (for leak checkers). */
void xml_cleanup(void);

/* Writing XML (write-xml.c): elements, attributes and text escaped by
 * libxml2, with what XML cannot carry written as \xNN. Calls after a
 * failure do nothing; xml_writer_close says whether everything was
 * written (PC_EIO, PC_ENOMEM) and frees w. NULL values are skipped. */
struct xml_writer;
pc_status xml_writer_open(FILE *out, struct xml_writer **w);
void xml_writer_start(struct xml_writer *w, const char *name);
void xml_writer_attr(struct xml_writer *w, const char *name, const char *value);
void xml_writer_attr_uint(struct xml_writer *w, const char *name, size_t n);
void xml_writer_text(struct xml_writer *w, const char *text);
/* </name> always; or <name/> when nothing was written inside. */
void xml_writer_end(struct xml_writer *w);
void xml_writer_end_empty(struct xml_writer *w);
pc_status xml_writer_close(struct xml_writer *w);

#endif
