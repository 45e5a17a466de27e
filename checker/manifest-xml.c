/* manifest-xml.c - streams a manifest through the hardened reader of xml.c,
 * validating as it goes, and hands each element of the manifest namespace
 * to a visitor. No tree is kept: one attribute buffer is reused for every
 * element, so memory stays flat however many flows a manifest has. */
#include "config.h"

#include "manifest.h"

#include "diag.h"
#include "limit.h"
#include "strbuf.h"
#include "strv.h"
#include "xml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bounds on top of xml.c's (file size, depth, attributes per element)
 * are limit.c's elements and attribute-length. */
/* Open elements remembered for a syntax error's context; xml.c bounds
 * nesting well below this. */
#define MANIFEST_MAX_OPEN 64

/* The attributes of the current element: names and values copied into
 * one buffer ("name\0value\0..."), then pointed at. libxml2's own value
 * pointers may be invalidated by the next attribute move. */
struct manifest_attrs {
    struct strbuf text;
    size_t *offs; /* 2 per attribute: name, value */
    struct manifest_attr *v;
    size_t n, cap;
};

struct manifest_reader {
    struct xml_reader *xr;
    xmlTextReaderPtr r;
    pc_diags *d;
    const char *path;          /* interned */
    const struct strv *ext_ns; /* pairs URI, prefix; NULL: none */
    struct manifest_attrs attrs;
    unsigned long elements, max_elements;
    bool seen_root;
    /* The element open at each depth, for "unclosed <flows>" notes:
     * libxml2 calls a truncated file "extra content at the end". */
    struct {
        char name[32];
        unsigned line;
    } open[MANIFEST_MAX_OPEN];
    unsigned nopen;
};

static pc_status
manifest_attrs_push(struct manifest_attrs *a, const char *name,
                    const char *value)
{
    pc_status st;

    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 16;
        size_t *offs = realloc(a->offs, cap * 2 * sizeof *offs);

        if (offs == NULL)
            return PC_ENOMEM;
        a->offs = offs;
        struct manifest_attr *v = realloc(a->v, cap * sizeof *v);
        if (v == NULL)
            return PC_ENOMEM;
        a->v = v;
        a->cap = cap;
    }
    a->offs[2 * a->n] = a->text.len;
    if ((st = strbuf_add(&a->text, name, strlen(name) + 1)) != PC_OK)
        return st;
    a->offs[2 * a->n + 1] = a->text.len;
    if ((st = strbuf_add(&a->text, value, strlen(value) + 1)) != PC_OK)
        return st;
    a->n++;
    return PC_OK;
}

/* Point the attribute array into the buffer, once it no longer moves. */
static void
manifest_attrs_fix(struct manifest_attrs *a)
{
    for (size_t i = 0; i < a->n; i++) {
        a->v[i].name = a->text.ptr + a->offs[2 * i];
        a->v[i].value = a->text.ptr + a->offs[2 * i + 1];
    }
}

static void
manifest_attrs_free(struct manifest_attrs *a)
{
    strbuf_free(&a->text);
    free(a->offs);
    free(a->v);
}

/* The prefix a pack's extension gives namespace uri; NULL: none. */
static const char *
manifest_ext_prefix(const struct manifest_reader *m, const char *uri)
{
    for (size_t i = 0; m->ext_ns != NULL && i + 1 < m->ext_ns->n; i += 2)
        if (strcmp(m->ext_ns->v[i], uri) == 0)
            return m->ext_ns->v[i + 1];
    return NULL;
}

/* Copy the attributes of the element the reader is on: local names, no
 * namespace declarations; an attribute in a namespace of the pack's
 * extension as prefix:local with the extension's prefix, so rules name
 * it one way whatever prefix the manifest chose; no other attribute in a
 * namespace (the schema refuses them). Leaves the reader on the
 * element. */
static pc_status
manifest_collect(struct manifest_reader *m, unsigned line)
{
    struct manifest_attrs *a = &m->attrs;
    pc_status st = PC_OK;
    int rc;

    a->n = 0;
    strbuf_reset(&a->text);
    if (xmlTextReaderHasAttributes(m->r) != 1)
        return PC_OK;
    for (rc = xmlTextReaderMoveToFirstAttribute(m->r); rc == 1;
         rc = xmlTextReaderMoveToNextAttribute(m->r)) {
        const char *name, *value, *uri, *prefix = NULL;
        char qname[256];
        size_t len;

        if (xmlTextReaderIsNamespaceDecl(m->r) == 1)
            continue;
        uri = (const char *)xmlTextReaderConstNamespaceUri(m->r);
        if (uri != NULL && (prefix = manifest_ext_prefix(m, uri)) == NULL)
            continue;
        name = (const char *)xmlTextReaderConstLocalName(m->r);
        value = (const char *)xmlTextReaderConstValue(m->r);
        if (name == NULL || value == NULL) {
            st = PC_ENOMEM;
            break;
        }
        if (prefix != NULL) {
            int n = snprintf(qname, sizeof qname, "%s:%s", prefix, name);

            if (n < 0 || (size_t)n >= sizeof qname) {
                st = diag_fail(
                    m->d, PC_ELIMIT, diag_loc(m->d, m->path, line, 0),
                    "attribute name %s:%.64s... is too long", prefix, name);
                break;
            }
            name = qname;
        }
        len = strlen(value);
        if (len > limit_get(LIMIT_ATTRIBUTE_LENGTH)) {
            st = limit_fail(m->d, diag_loc(m->d, m->path, line, 0),
                            LIMIT_ATTRIBUTE_LENGTH,
                            "attribute %s is %zu bytes long", name, len);
            break;
        }
        if ((st = manifest_attrs_push(a, name, value)) != PC_OK)
            break;
    }
    if (st == PC_OK && rc < 0)
        st = diag_fail(m->d, PC_ESYNTAX, diag_loc(m->d, m->path, line, 0),
                       "cannot read the attributes of this element");
    if (xmlTextReaderMoveToElement(m->r) < 0 && st == PC_OK)
        st = PC_ENOMEM;
    if (st == PC_OK)
        manifest_attrs_fix(a);
    return st;
}

static bool
manifest_in_ns(xmlTextReaderPtr r)
{
    const xmlChar *ns = xmlTextReaderConstNamespaceUri(r);

    return ns != NULL && strcmp((const char *)ns, MANIFEST_NS) == 0;
}

/* The root must be <application> in the manifest namespace: said plainly
 * here, whether or not a schema said it first. */
static pc_status
manifest_check_root(struct manifest_reader *m, unsigned line)
{
    const xmlChar *local = xmlTextReaderConstLocalName(m->r);
    const xmlChar *ns = xmlTextReaderConstNamespaceUri(m->r);

    m->seen_root = true;
    if (manifest_in_ns(m->r) && local != NULL &&
        strcmp((const char *)local, "application") == 0)
        return PC_OK;
    if (local == NULL)
        return PC_ENOMEM;
    if (ns == NULL)
        return diag_fail(m->d, PC_EINVALID, diag_loc(m->d, m->path, line, 0),
                         "not a privcheck manifest: the root element must "
                         "be <application> in namespace %s, not <%s> "
                         "without a namespace",
                         MANIFEST_NS, (const char *)local);
    return diag_fail(m->d, PC_EINVALID, diag_loc(m->d, m->path, line, 0),
                     "not a privcheck manifest: the root element must be "
                     "<application> in namespace %s, not <%s> in "
                     "namespace %s",
                     MANIFEST_NS, (const char *)local, (const char *)ns);
}

/* A negative xml_reader_next: xml.c has already said why, every schema
 * problem and the syntax error in its words (the wrong root too); what is
 * left is which status it was. */
static pc_status
manifest_failure(struct manifest_reader *m, int rc, bool validating)
{
    pc_status st = (pc_status)-rc;

    if (st == PC_ESYNTAX && validating && xmlTextReaderIsValid(m->r) == 0)
        st = PC_EINVALID;
    return st;
}

static void
manifest_push_open(struct manifest_reader *m, int depth, unsigned line)
{
    const char *name = (const char *)xmlTextReaderConstName(m->r);

    if (depth < 0 || depth >= MANIFEST_MAX_OPEN)
        return;
    snprintf(m->open[depth].name, sizeof m->open[depth].name, "%s",
             name != NULL ? name : "?");
    m->open[depth].line = line;
    m->nopen = (unsigned)depth + 1;
}

static pc_status
manifest_element(struct manifest_reader *m, manifest_visit_fn visit, void *ctx)
{
    struct manifest_node node;
    unsigned line = xml_reader_line(m->xr);
    int depth = xmlTextReaderDepth(m->r);
    bool empty;
    pc_status st;

    if (++m->elements > m->max_elements)
        return limit_fail_at(m->d, diag_loc(m->d, m->path, line, 0),
                             LIMIT_ELEMENTS, m->max_elements,
                             "more than %lu elements", m->max_elements);
    if (!m->seen_root && (st = manifest_check_root(m, line)) != PC_OK)
        return st;
    empty = xmlTextReaderIsEmptyElement(m->r) == 1;
    if (!empty)
        manifest_push_open(m, depth, line);
    if (!manifest_in_ns(m->r))
        return PC_OK; /* only without a schema: it refuses strangers */
    if ((st = manifest_collect(m, line)) != PC_OK)
        return st;
    node.kind = (const char *)xmlTextReaderConstLocalName(m->r);
    if (node.kind == NULL)
        return PC_ENOMEM;
    node.line = line;
    node.depth = depth > 0 ? (unsigned)depth : 0;
    node.attrs = m->attrs.v;
    node.nattrs = m->attrs.n;
    if ((st = visit(ctx, &node, false)) != PC_OK || !empty)
        return st;
    node.attrs = NULL;
    node.nattrs = 0;
    return visit(ctx, &node, true);
}

static pc_status
manifest_end(struct manifest_reader *m, manifest_visit_fn visit, void *ctx)
{
    struct manifest_node node;
    int depth = xmlTextReaderDepth(m->r);

    if (depth >= 0 && (unsigned)depth < m->nopen)
        m->nopen = (unsigned)depth;
    if (!manifest_in_ns(m->r))
        return PC_OK;
    node.kind = (const char *)xmlTextReaderConstLocalName(m->r);
    if (node.kind == NULL)
        return PC_ENOMEM;
    node.line = xml_reader_line(m->xr); /* of the start tag */
    node.depth = depth > 0 ? (unsigned)depth : 0;
    node.attrs = NULL;
    node.nattrs = 0;
    return visit(ctx, &node, true);
}

pc_status
manifest_read(const char *path, const char *schema, const struct strv *ext_ns,
              const struct manifest_limits *lim, pc_diags *d,
              manifest_visit_fn visit, void *ctx, char sha256[65])
{
    struct manifest_reader m = {
        .d = d,
        .ext_ns = ext_ns,
        .attrs = { .text = STRBUF_INIT(0) },
    };
    pc_status st;
    int rc;

    m.max_elements = lim != NULL && lim->max_elements != 0
                         ? lim->max_elements
                         : (unsigned long)limit_get(LIMIT_ELEMENTS);
    m.path = diag_intern(d, path);
    if (m.path == NULL)
        return PC_ENOMEM;
    if ((st = xml_reader_open(path, schema, lim != NULL ? lim->max_bytes : 0, d,
                              &m.xr, sha256)) != PC_OK)
        return st;
    m.r = xml_reader_raw(m.xr);
    while ((rc = xml_reader_next(m.xr)) == 1) {
        switch (xmlTextReaderNodeType(m.r)) {
        case XML_READER_TYPE_ELEMENT:
            st = manifest_element(&m, visit, ctx);
            break;
        case XML_READER_TYPE_END_ELEMENT:
            st = manifest_end(&m, visit, ctx);
            break;
        default:
            break;
        }
        if (st != PC_OK)
            goto out;
    }
    if (rc < 0) {
        st = manifest_failure(&m, rc, schema != NULL);
        goto out;
    }
    if (!m.seen_root)
        st = diag_fail(d, PC_ESYNTAX, diag_loc(d, path, 0, 0),
                       "no root element");
out:
    manifest_attrs_free(&m.attrs);
    xml_reader_close(m.xr);
    return st;
}

const char *
manifest_attr(const struct manifest_node *n, const char *name)
{
    for (size_t i = 0; i < n->nattrs; i++)
        if (strcmp(n->attrs[i].name, name) == 0)
            return n->attrs[i].value;
    return NULL;
}
