/* manifest.h - streaming an application manifest. The reader knows XML,
 * not privacy: it hands each element to a visitor with its attributes and
 * line, and the evaluator decides what they mean. */
#ifndef PC_MANIFEST_H
#define PC_MANIFEST_H

#include "privcheck.h"

#define MANIFEST_NS "urn:privcheck:manifest:1"

/* Whose data moves: an attribute of the format's flows (DESIGN §5). A
 * rule's subjects="..." is matched against it. */
#define MANIFEST_SUBJECT_KIND "flow"
#define MANIFEST_SUBJECT_ATTR "subject"

struct manifest_attr {
    const char *name, *value;
};

struct manifest_node {
    const char *kind; /* the element's local name: "flow", "field", ... */
    unsigned line;
    unsigned depth; /* 0 for the root <application> */
    const struct manifest_attr *attrs;
    size_t nattrs;
};

/* Called at each element's start (end == false, with its attributes) and
 * at its end (end == true, no attributes; an empty element gets both).
 * Everything in *n is valid only during the call. A non-OK return stops
 * the read and is returned by manifest_read. */
typedef pc_status (*manifest_visit_fn)(void *ctx, const struct manifest_node *n,
                                       bool end);

struct strv;
/* Stream the manifest at `path`, validating it against `schema` as it is
 * read. ext_ns (pairs URI, prefix; NULL: none) names the namespaces of
 * the pack's manifest extension: their attributes reach the visitor as
 * prefix:local. Returns PC_OK only if the whole file was read and valid; on any
 * other status the visitor may already have seen part of it, and the
 * caller must discard what it built. lim NULL: the defaults. sha256 (if not
 * NULL) receives the hex digest of the bytes read. */
struct manifest_limits {
    size_t max_bytes;    /* 0: PC_MAX_BYTES_DEFAULT */
    size_t max_elements; /* 0: the elements limit in force (limit.h) */
};
pc_status manifest_read(const char *path, const char *schema,
                        const struct strv *ext_ns,
                        const struct manifest_limits *lim, pc_diags *d,
                        manifest_visit_fn visit, void *ctx, char sha256[65]);

/* The value of attribute `name` of n, or NULL. */
const char *manifest_attr(const struct manifest_node *n, const char *name);

#endif
