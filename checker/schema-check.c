/* schema-check.c - why a document does not match its RELAX NG schema, for
 * every element of it: unknown and missing attributes, values outside
 * their set or datatype, unknown, misplaced, repeated and missing child
 * elements, stray text. It reads the schema's patterns as they are
 * written (element, attribute, group, choice, optional, zeroOrMore,
 * oneOrMore, ref, value, data, list, text, empty) and checks datatypes
 * with libxml2's own XML Schema types, so its verdicts agree with the
 * validator's; the validator decides, this explains. */
#include "config.h"

#include "schema-check.h"

#include "diag.h"
#include "map.h"
#include "nearest.h"
#include "schema-msg.h"
#include "strbuf.h"
#include "strv.h"
#include "xml.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/schemasInternals.h>
#include <libxml/xmlschemastypes.h>

#define RNG_NS "http://relaxng.org/ns/structure/1.0"
#define RNG_ANNOTATIONS_NS "http://relaxng.org/ns/compatibility/annotations/1.0"
#define XSD_DATATYPES "http://www.w3.org/2001/XMLSchema-datatypes"
#define XSD_NS "http://www.w3.org/2001/XMLSchema"

/* Schemas are small; recursion through refs stops here. */
#define SC_MAX_DEPTH 64

struct sc {
    xmlDoc *rng;
    struct map *defines; /* name -> <define> */
    const xmlNode *start;
    pc_diags *d;
    const char *path;
    const unsigned *lines;
    size_t nlines;
    size_t found;
    pc_status st; /* first hard failure (ENOMEM) */
};

/* One match of a sequence against a pattern: the children of an element
 * (kids), or the items of a list value (tok). */
struct sc_match {
    xmlNode **kids;
    const struct strv *tok;
    size_t n;
    long far;         /* farthest position a pattern failed at */
    struct strv want; /* what it wanted there */
    pc_status st;
};

static bool
sc_is(const xmlNode *n, const char *name)
{
    return xml_is(n, RNG_NS, name);
}

static const char *
sc_prop(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a != NULL; a = a->next)
        if (a->ns == NULL && xmlStrcmp(a->name, BAD_CAST name) == 0 &&
            a->children != NULL)
            return (const char *)a->children->content;
    return NULL;
}

/* An attribute inherited from the nearest ancestor that has it (ns,
 * datatypeLibrary). */
static const char *
sc_inherited(const xmlNode *n, const char *name)
{
    for (; n != NULL && n->type == XML_ELEMENT_NODE; n = n->parent) {
        const char *v = sc_prop(n, name);

        if (v != NULL)
            return v;
    }
    return NULL;
}

/* The name of an <element> or <attribute> pattern: its name attribute, or
 * a <name> child. */
static const char *
sc_pattern_name(const xmlNode *p)
{
    const char *v = sc_prop(p, "name");

    if (v != NULL)
        return v;
    for (const xmlNode *c = p->children; c != NULL; c = c->next)
        if (sc_is(c, "name") && c->children != NULL &&
            c->children->content != NULL)
            return (const char *)c->children->content;
    return NULL;
}

static const xmlNode *
sc_define(const struct sc *s, const xmlNode *ref)
{
    const char *name = sc_prop(ref, "name");

    return name != NULL ? map_get(s->defines, name) : NULL;
}

static unsigned
sc_line(const struct sc *s, const xmlNode *n)
{
    uintptr_t i = (uintptr_t)n->_private;
    long line;

    if (s->lines != NULL && i > 0 && i - 1 < s->nlines && s->lines[i - 1] > 0)
        return s->lines[i - 1];
    line = xmlGetLineNo(n);
    return line > 0 ? (unsigned)line : 0;
}

static struct pc_loc
sc_loc(struct sc *s, const xmlNode *n)
{
    return diag_loc(s->d, s->path, sc_line(s, n), 0);
}

/* Count a message; keep a hard failure. */
static void
sc_said(struct sc *s, pc_status st)
{
    if (st == PC_ENOMEM)
        s->st = PC_ENOMEM;
    else
        s->found++;
}

static bool
sc_elem_matches(const xmlNode *p, const xmlNode *n)
{
    const char *name = sc_pattern_name(p);
    const char *ns = sc_inherited(p, "ns");
    const char *nns = n->ns != NULL ? (const char *)n->ns->href : "";

    if (name == NULL)
        return true; /* a name class we do not read: any */
    return xmlStrcmp(n->name, BAD_CAST name) == 0 &&
           strcmp(ns != NULL ? ns : "", nns) == 0;
}

/* ------------------------------------------------------------------ */
/* What a pattern holds, without entering nested elements. */

typedef void (*sc_visit)(struct sc *, const xmlNode *, void *);

/* Call fn on every <element> (or <attribute>, per `want`) pattern under
 * p, in schema order, refs followed. */
static void
sc_each(struct sc *s, const xmlNode *p, const char *want, sc_visit fn,
        void *arg, unsigned depth)
{
    if (depth > SC_MAX_DEPTH)
        return;
    for (const xmlNode *c = p->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || c->ns == NULL ||
            xmlStrcmp(c->ns->href, BAD_CAST RNG_NS) != 0)
            continue;
        if (sc_is(c, want))
            fn(s, c, arg);
        if (sc_is(c, "element") || sc_is(c, "attribute"))
            continue;
        if (sc_is(c, "ref") || sc_is(c, "parentRef")) {
            const xmlNode *def = sc_define(s, c);

            if (def != NULL)
                sc_each(s, def, want, fn, arg, depth + 1);
            continue;
        }
        sc_each(s, c, want, fn, arg, depth + 1);
    }
}

struct sc_named {
    struct strv names;
    const xmlNode *nodes[128]; /* parallel to names, first of each */
    pc_status st;
};

static void
sc_collect_named(struct sc *s, const xmlNode *p, void *arg)
{
    struct sc_named *nm = arg;
    const char *name = sc_pattern_name(p);

    (void)s;
    if (name == NULL || strv_has(&nm->names, name) ||
        nm->names.n >= sizeof nm->nodes / sizeof nm->nodes[0])
        return;
    if (strv_push(&nm->names, name) != PC_OK) {
        nm->st = PC_ENOMEM;
        return;
    }
    nm->nodes[nm->names.n - 1] = p;
}

static const xmlNode *
sc_named_find(const struct sc_named *nm, const char *name)
{
    for (size_t i = 0; i < nm->names.n; i++)
        if (strcmp(nm->names.v[i], name) == 0)
            return nm->nodes[i];
    return NULL;
}

/* Does the content of p admit text (text, data, value, list, mixed)? */
static int
sc_text_kind(struct sc *s, const xmlNode *p, unsigned depth)
{
    /* 0: no text; 1: any text; 2: a value the patterns constrain. */
    int kind = 0;

    if (depth > SC_MAX_DEPTH)
        return 1;
    for (const xmlNode *c = p->children; c != NULL && kind != 1; c = c->next) {
        int k = 0;

        if (c->type != XML_ELEMENT_NODE || c->ns == NULL ||
            xmlStrcmp(c->ns->href, BAD_CAST RNG_NS) != 0 ||
            sc_is(c, "element") || sc_is(c, "attribute"))
            continue;
        if (sc_is(c, "text") || sc_is(c, "mixed"))
            k = 1;
        else if (sc_is(c, "data") || sc_is(c, "value") || sc_is(c, "list"))
            k = 2;
        else if (sc_is(c, "ref") || sc_is(c, "parentRef")) {
            const xmlNode *def = sc_define(s, c);

            k = def != NULL ? sc_text_kind(s, def, depth + 1) : 1;
        } else {
            k = sc_text_kind(s, c, depth + 1);
        }
        if (k == 1)
            return 1;
        if (k == 2)
            kind = 2;
    }
    return kind;
}

/* ------------------------------------------------------------------ */
/* Values: libxml2's datatypes, RELAX NG's value comparison. */

/* Collapse whitespace as the token type does; malloc'd. */
static char *
sc_collapse(const char *v)
{
    struct strbuf b = STRBUF_INIT(0);
    bool space = false;

    for (; *v != '\0'; v++) {
        if (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r') {
            space = b.len > 0;
            continue;
        }
        if ((space && strbuf_putc(&b, ' ') != PC_OK) ||
            strbuf_putc(&b, *v) != PC_OK) {
            strbuf_free(&b);
            return NULL;
        }
        space = false;
    }
    return strbuf_detach(&b);
}

static bool
sc_value_eq(const xmlNode *p, const char *v)
{
    const char *type = sc_prop(p, "type");
    const char *want = p->children != NULL && p->children->content != NULL
                           ? (const char *)p->children->content
                           : "";
    char *a, *b;
    bool eq;

    if (type != NULL && strcmp(type, "string") == 0)
        return strcmp(want, v) == 0;
    a = sc_collapse(want);
    b = sc_collapse(v);
    eq = a != NULL && b != NULL && strcmp(a, b) == 0;
    free(a);
    free(b);
    return eq;
}

static const struct {
    const char *name;
    xmlSchemaTypeType type;
} sc_facets[] = {
    { "pattern", XML_SCHEMA_FACET_PATTERN },
    { "length", XML_SCHEMA_FACET_LENGTH },
    { "minLength", XML_SCHEMA_FACET_MINLENGTH },
    { "maxLength", XML_SCHEMA_FACET_MAXLENGTH },
    { "minInclusive", XML_SCHEMA_FACET_MININCLUSIVE },
    { "maxInclusive", XML_SCHEMA_FACET_MAXINCLUSIVE },
    { "minExclusive", XML_SCHEMA_FACET_MINEXCLUSIVE },
    { "maxExclusive", XML_SCHEMA_FACET_MAXEXCLUSIVE },
    { "totalDigits", XML_SCHEMA_FACET_TOTALDIGITS },
    { "fractionDigits", XML_SCHEMA_FACET_FRACTIONDIGITS },
};

/* Does v satisfy <data> p: its type and every <param>? What the validator
 * does (relaxng.c checks facets the same way). */
static bool
sc_data_ok(const xmlNode *p, const char *v)
{
    const char *lib = sc_inherited(p, "datatypeLibrary");
    const char *type = sc_prop(p, "type");
    xmlSchemaTypePtr t;
    xmlSchemaValPtr val = NULL;
    bool ok = true;

    if (type == NULL)
        return true;
    if (lib == NULL || lib[0] == '\0')
        return true; /* built-in string and token: any text */
    if (strcmp(lib, XSD_DATATYPES) != 0)
        return true; /* a library we do not know: the validator judged */
    xmlSchemaInitTypes();
    t = xmlSchemaGetPredefinedType(BAD_CAST type, BAD_CAST XSD_NS);
    if (t == NULL)
        return true;
    if (xmlSchemaValPredefTypeNode(t, BAD_CAST v, &val, NULL) != 0)
        return false;
    for (const xmlNode *c = p->children; c != NULL && ok; c = c->next) {
        const char *name, *fv;
        xmlSchemaFacetPtr f;

        if (!sc_is(c, "param") || (name = sc_prop(c, "name")) == NULL)
            continue;
        fv = c->children != NULL && c->children->content != NULL
                 ? (const char *)c->children->content
                 : "";
        for (size_t i = 0; i < sizeof sc_facets / sizeof sc_facets[0]; i++) {
            if (strcmp(name, sc_facets[i].name) != 0)
                continue;
            if ((f = xmlSchemaNewFacet()) == NULL)
                break;
            f->type = sc_facets[i].type;
            f->value = (xmlChar *)fv; /* borrowed: FreeFacet leaves it */
            if (xmlSchemaCheckFacet(f, t, NULL, BAD_CAST type) == 0 &&
                xmlSchemaValidateFacet(t, f, BAD_CAST v, val) != 0)
                ok = false;
            xmlSchemaFreeFacet(f);
            break;
        }
    }
    if (val != NULL)
        xmlSchemaFreeValue(val);
    /* <except>: the value must not match what it names. */
    return ok;
}

static long sc_match_group(struct sc *s, struct sc_match *m,
                           const xmlNode *first, long pos, unsigned depth);

/* Is v a value the pattern p admits? */
static bool
sc_value_ok(struct sc *s, const xmlNode *p, const char *v, unsigned depth)
{
    if (depth > SC_MAX_DEPTH)
        return true;
    if (sc_is(p, "value"))
        return sc_value_eq(p, v);
    if (sc_is(p, "data"))
        return sc_data_ok(p, v);
    if (sc_is(p, "text"))
        return true;
    if (sc_is(p, "empty"))
        return v[strspn(v, " \t\r\n")] == '\0';
    if (sc_is(p, "notAllowed"))
        return false;
    if (sc_is(p, "list")) {
        struct strv tok = STRV_INIT;
        struct sc_match m = { .tok = &tok, .far = -1, .want = STRV_INIT };
        bool ok = strv_split(&tok, v) == PC_OK;

        m.n = tok.n;
        ok = ok && sc_match_group(s, &m, p->children, 0, depth) == (long)tok.n;
        strv_free(&m.want);
        strv_free(&tok);
        return ok;
    }
    if (sc_is(p, "choice")) {
        for (const xmlNode *c = p->children; c != NULL; c = c->next)
            if (c->type == XML_ELEMENT_NODE && sc_value_ok(s, c, v, depth + 1))
                return true;
        return false;
    }
    if (sc_is(p, "ref")) {
        const xmlNode *def = sc_define(s, p);

        return def == NULL || sc_value_ok(s, def, v, depth + 1);
    }
    /* define, group, attribute content: its one pattern */
    for (const xmlNode *c = p->children; c != NULL; c = c->next)
        if (c->type == XML_ELEMENT_NODE && c->ns != NULL &&
            xmlStrcmp(c->ns->href, BAD_CAST RNG_NS) == 0)
            return sc_value_ok(s, c, v, depth + 1);
    return true; /* <attribute name="x"/>: text */
}

/* The values of p when it is a closed set of them (choice, value, ref);
 * false when it admits anything else. */
static bool
sc_enum(struct sc *s, const xmlNode *p, struct strv *out, unsigned depth)
{
    bool any = false;

    if (depth > SC_MAX_DEPTH)
        return false;
    for (const xmlNode *c = p->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || c->ns == NULL ||
            xmlStrcmp(c->ns->href, BAD_CAST RNG_NS) != 0)
            continue;
        any = true;
        if (sc_is(c, "value")) {
            const char *v = c->children != NULL && c->children->content != NULL
                                ? (const char *)c->children->content
                                : "";

            if (strv_add_unique(out, v) != PC_OK)
                return false;
        } else if (sc_is(c, "choice")) {
            if (!sc_enum(s, c, out, depth + 1))
                return false;
        } else if (sc_is(c, "ref")) {
            const xmlNode *def = sc_define(s, c);

            if (def == NULL || !sc_enum(s, def, out, depth + 1))
                return false;
        } else {
            return false;
        }
    }
    return any;
}

/* The schema's own words for a datatype: a:documentation on the <data>,
 * or on the define or attribute it sits in. */
static const char *
sc_documentation(const xmlNode *p)
{
    for (const xmlNode *n = p; n != NULL && n->type == XML_ELEMENT_NODE;
         n = n->parent) {
        for (const xmlNode *c = n->children; c != NULL; c = c->next)
            if (xml_is(c, RNG_ANNOTATIONS_NS, "documentation") &&
                c->children != NULL && c->children->content != NULL)
                return (const char *)c->children->content;
        if (sc_is(n, "define") || sc_is(n, "attribute") || sc_is(n, "element"))
            break;
    }
    return NULL;
}

static pc_status sc_describe(struct sc *s, const xmlNode *p, struct strbuf *b,
                             unsigned depth);

static pc_status
sc_describe_children(struct sc *s, const xmlNode *p, struct strbuf *b,
                     const char *sep, unsigned depth)
{
    pc_status st = PC_OK;
    bool first = true;

    for (const xmlNode *c = p->children; c != NULL && st == PC_OK;
         c = c->next) {
        if (c->type != XML_ELEMENT_NODE || c->ns == NULL ||
            xmlStrcmp(c->ns->href, BAD_CAST RNG_NS) != 0 || sc_is(c, "param"))
            continue;
        if (!first)
            st = strbuf_puts(b, sep);
        if (st == PC_OK)
            st = sc_describe(s, c, b, depth + 1);
        first = false;
    }
    return st;
}

/* A phrase for what p admits: "one of a, b", "an id (...)", "a
 * space-separated list, each item ...". */
static pc_status
sc_describe(struct sc *s, const xmlNode *p, struct strbuf *b, unsigned depth)
{
    struct strv vals = STRV_INIT;
    pc_status st;

    if (depth > SC_MAX_DEPTH)
        return strbuf_puts(b, "a value the schema allows");
    if (sc_is(p, "value")) {
        st = strbuf_printf(b, "'%s'",
                           p->children != NULL && p->children->content != NULL
                               ? (const char *)p->children->content
                               : "");
        return st;
    }
    if (sc_is(p, "data")) {
        const char *param[4] = { NULL, NULL, NULL, NULL };
        static const char *const names[4] = { "pattern", "minLength",
                                              "maxLength", "maxInclusive" };
        const char *min = NULL;

        for (const xmlNode *c = p->children; c != NULL; c = c->next) {
            const char *name = sc_is(c, "param") ? sc_prop(c, "name") : NULL;

            for (size_t i = 0; name != NULL && i < 4; i++)
                if (strcmp(name, names[i]) == 0 && c->children != NULL)
                    param[i] = (const char *)c->children->content;
            if (name != NULL && strcmp(name, "minInclusive") == 0 &&
                c->children != NULL)
                min = (const char *)c->children->content;
        }
        return schema_msg_describe_data(b, sc_documentation(p),
                                        sc_prop(p, "type"), param[0], param[1],
                                        param[2], min, param[3]);
    }
    if (sc_is(p, "text"))
        return strbuf_puts(b, "text");
    if (sc_is(p, "list")) {
        struct strbuf item = STRBUF_INIT(0);

        st = sc_describe_children(s, p, &item, " then ", depth);
        if (st == PC_OK)
            st = schema_msg_describe_list(b, strbuf_str(&item));
        strbuf_free(&item);
        return st;
    }
    if (sc_is(p, "choice")) {
        /* Plain values together: "one of a, b, c". */
        if (sc_enum(s, p, &vals, depth)) {
            st = schema_msg_describe_values(b, &vals);
            strv_free(&vals);
            return st;
        }
        strv_free(&vals);
        return sc_describe_children(s, p, b, ", or ", depth);
    }
    if (sc_is(p, "ref")) {
        const xmlNode *def = sc_define(s, p);

        return def != NULL ? sc_describe(s, def, b, depth + 1)
                           : strbuf_puts(b, "a value the schema allows");
    }
    if (sc_is(p, "oneOrMore") || sc_is(p, "zeroOrMore") ||
        sc_is(p, "optional") || sc_is(p, "group") || sc_is(p, "define") ||
        sc_is(p, "attribute") || sc_is(p, "element"))
        return sc_describe_children(s, p, b, " then ", depth);
    return strbuf_puts(b, "a value the schema allows");
}

/* The value pattern of an attribute or element: its first pattern child
 * (none: text). */
static const xmlNode *
sc_content(const xmlNode *p)
{
    for (const xmlNode *c = p->children; c != NULL; c = c->next)
        if (c->type == XML_ELEMENT_NODE && c->ns != NULL &&
            xmlStrcmp(c->ns->href, BAD_CAST RNG_NS) == 0 && !sc_is(c, "name"))
            return c;
    return NULL;
}

/* Say why v does not fit pattern p (an <attribute>, or an <element>'s
 * simple content when attr is NULL). */
static void
sc_bad_value(struct sc *s, const xmlNode *n, const xmlNode *p, const char *attr,
             const char *v)
{
    struct strv vals = STRV_INIT;
    const char *elem = (const char *)n->name;
    pc_status st;

    if (sc_enum(s, p, &vals, 0) && vals.n > 0) {
        st = schema_msg_bad_value(s->d, sc_loc(s, n), elem, attr, v, &vals);
    } else {
        struct strbuf b = STRBUF_INIT(0);
        /* An attribute's or element's own content; text checks give
         * the value pattern itself. */
        const xmlNode *c =
            sc_is(p, "attribute") || sc_is(p, "element") ? sc_content(p) : p;

        st = c != NULL ? sc_describe(s, c, &b, 0) : strbuf_puts(&b, "text");
        if (st == PC_OK)
            st = schema_msg_bad_data(s->d, sc_loc(s, n), elem, attr, v,
                                     strbuf_str(&b));
        strbuf_free(&b);
    }
    strv_free(&vals);
    sc_said(s, st);
}

/* ------------------------------------------------------------------ */
/* Attributes. */

struct sc_attrs {
    const xmlNode *node;  /* the document element */
    const xmlNode *epat;  /* its <element> pattern */
    xmlNode *rng_root;    /* the schema's, where its prefixes are bound */
    struct sc_named pats; /* attribute patterns by name */
    struct strv folded;   /* required names a typo message already named */
};

static bool
sc_present(const struct sc_attrs *a, const char *name)
{
    const char *colon = strchr(name, ':');
    char prefix[64];
    const xmlNs *ns;

    if (colon == NULL)
        return xmlHasNsProp(a->node, BAD_CAST name, NULL) != NULL;
    /* prefix:local, the prefix bound where the schema names it (a pack's
     * extension binds its namespace on the root). */
    if ((size_t)(colon - name) >= sizeof prefix)
        return false;
    memcpy(prefix, name, (size_t)(colon - name));
    prefix[colon - name] = '\0';
    ns = xmlSearchNs(a->rng_root->doc, a->rng_root, BAD_CAST prefix);
    return ns != NULL &&
           xmlHasNsProp(a->node, BAD_CAST(colon + 1), ns->href) != NULL;
}

/* The name the schema gives the document's attribute at: its local name,
 * or prefix:local with the prefix the schema binds to its namespace;
 * false when the schema has no prefix for it (q then holds the
 * document's own prefix, for the message). */
static bool
sc_attr_qname(const struct sc_attrs *a, const xmlAttr *at, char *q, size_t cap)
{
    const xmlNs *ns = NULL;

    if (at->ns == NULL) {
        snprintf(q, cap, "%s", (const char *)at->name);
        return true;
    }
    for (const xmlNs *d = a->rng_root->nsDef; d != NULL && ns == NULL;
         d = d->next)
        if (d->prefix != NULL && d->href != NULL &&
            xmlStrcmp(d->href, at->ns->href) == 0)
            ns = d;
    if (ns == NULL) {
        if (at->ns->prefix != NULL)
            snprintf(q, cap, "%s:%s", (const char *)at->ns->prefix,
                     (const char *)at->name);
        else
            snprintf(q, cap, "%s", (const char *)at->name);
        return false;
    }
    snprintf(q, cap, "%s:%s", (const char *)ns->prefix, (const char *)at->name);
    return true;
}

/* Does p (attributes only) hold an attribute that is present? */
static bool
sc_touches(struct sc *s, const struct sc_attrs *a, const xmlNode *p,
           unsigned depth)
{
    if (depth > SC_MAX_DEPTH)
        return false;
    if (sc_is(p, "attribute")) {
        const char *name = sc_pattern_name(p);

        return name != NULL && sc_present(a, name);
    }
    if (sc_is(p, "element"))
        return false;
    if (sc_is(p, "ref")) {
        const xmlNode *def = sc_define(s, p);

        return def != NULL && sc_touches(s, a, def, depth + 1);
    }
    for (const xmlNode *c = p->children; c != NULL; c = c->next)
        if (c->type == XML_ELEMENT_NODE && sc_touches(s, a, c, depth + 1))
            return true;
    return false;
}

/* Are the required attributes under p all present? */
static bool
sc_satisfied(struct sc *s, const struct sc_attrs *a, const xmlNode *p,
             unsigned depth)
{
    if (depth > SC_MAX_DEPTH)
        return true;
    if (sc_is(p, "attribute")) {
        const char *name = sc_pattern_name(p);

        return name == NULL || sc_present(a, name);
    }
    if (sc_is(p, "element") || sc_is(p, "optional") || sc_is(p, "zeroOrMore") ||
        sc_is(p, "data") || sc_is(p, "value") || sc_is(p, "list") ||
        sc_is(p, "text") || sc_is(p, "empty"))
        return true;
    if (sc_is(p, "ref")) {
        const xmlNode *def = sc_define(s, p);

        return def == NULL || sc_satisfied(s, a, def, depth + 1);
    }
    if (sc_is(p, "choice")) {
        for (const xmlNode *c = p->children; c != NULL; c = c->next)
            if (c->type == XML_ELEMENT_NODE && sc_satisfied(s, a, c, depth + 1))
                return true;
        return false;
    }
    for (const xmlNode *c = p->children; c != NULL; c = c->next)
        if (c->type == XML_ELEMENT_NODE && !sc_satisfied(s, a, c, depth + 1))
            return false;
    return true;
}

/* The first attribute a branch requires (and, with a, lacks), for
 * "needs one of". */
static const char *
sc_first_attr(struct sc *s, const struct sc_attrs *a, const xmlNode *p,
              unsigned depth)
{
    if (depth > SC_MAX_DEPTH || sc_is(p, "element") || sc_is(p, "optional") ||
        sc_is(p, "zeroOrMore"))
        return NULL;
    if (sc_is(p, "attribute")) {
        const char *name = sc_pattern_name(p);

        return name != NULL && (a == NULL || !sc_present(a, name)) ? name
                                                                   : NULL;
    }
    if (sc_is(p, "ref")) {
        const xmlNode *def = sc_define(s, p);

        return def != NULL ? sc_first_attr(s, a, def, depth + 1) : NULL;
    }
    for (const xmlNode *c = p->children; c != NULL; c = c->next) {
        const char *name;

        if (c->type == XML_ELEMENT_NODE &&
            (name = sc_first_attr(s, a, c, depth + 1)) != NULL)
            return name;
    }
    return NULL;
}

/* The names of the attributes under p (p included), into out. */
static void
sc_attr_names(struct sc *s, const xmlNode *p, struct strv *out, unsigned depth)
{
    if (depth > SC_MAX_DEPTH || sc_is(p, "element"))
        return;
    if (sc_is(p, "attribute")) {
        const char *name = sc_pattern_name(p);

        if (name != NULL && strv_add_unique(out, name) != PC_OK)
            s->st = PC_ENOMEM;
        return;
    }
    if (sc_is(p, "ref")) {
        const xmlNode *def = sc_define(s, p);

        if (def != NULL)
            sc_attr_names(s, def, out, depth + 1);
        return;
    }
    for (const xmlNode *c = p->children; c != NULL; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            sc_attr_names(s, c, out, depth + 1);
}

static void sc_required(struct sc *s, struct sc_attrs *a, const xmlNode *p,
                        unsigned depth);

struct sc_any_value {
    const char *name, *v;
    bool ok;
};

static void
sc_try_value(struct sc *s, const xmlNode *p, void *arg)
{
    struct sc_any_value *a = arg;
    const char *name = sc_pattern_name(p);

    if (!a->ok && name != NULL && strcmp(name, a->name) == 0)
        a->ok = sc_value_ok(s, p, a->v, 0);
}

/* Does any attribute pattern of that name under epat admit v? Branches
 * of a choice may each give the attribute its own values (required
 * "false", or "true" with days); the first of them is not the only one. */
static bool
sc_any_value_ok(struct sc *s, const xmlNode *epat, const char *name,
                const char *v)
{
    struct sc_any_value a = { name, v, false };

    sc_each(s, epat, "attribute", sc_try_value, &a, 0);
    return a.ok;
}

#define SC_MAX_BRANCHES 16

/* The first attribute of a choice's branch whose value the branch does
 * not admit, though another pattern of that name does (a value no
 * pattern admits was reported as the attributes were read). */
struct sc_branch_value {
    const struct sc_attrs *a;
    const xmlNode *bad; /* its <attribute> pattern */
    size_t nbad;
};

static void
sc_branch_attr(struct sc *s, const xmlNode *p, void *arg)
{
    struct sc_branch_value *bv = arg;
    const char *name = sc_pattern_name(p);
    xmlAttr *at;
    xmlChar *v;

    if (name == NULL || strchr(name, ':') != NULL ||
        (at = xmlHasNsProp(bv->a->node, BAD_CAST name, NULL)) == NULL)
        return;
    v = xmlNodeListGetString(bv->a->node->doc, at->children, 1);
    if (v != NULL && !sc_value_ok(s, p, (const char *)v, 0) &&
        sc_any_value_ok(s, bv->a->epat, name, (const char *)v)) {
        if (bv->nbad++ == 0)
            bv->bad = p;
    }
    xmlFree(v);
}

static void
sc_branch_values(struct sc *s, struct sc_branch_value *bv,
                 const xmlNode *branch)
{
    bv->bad = NULL;
    bv->nbad = 0;
    if (sc_is(branch, "attribute"))
        sc_branch_attr(s, branch, bv);
    else
        sc_each(s, branch, "attribute", sc_branch_attr, bv, 0);
}

/* A choice of attribute groups: fine when one branch is complete and
 * takes every attribute given; else the branches that take them say what
 * they lack, or two given attributes exclude each other. */
static void
sc_required_choice(struct sc *s, struct sc_attrs *a, const xmlNode *p,
                   unsigned depth)
{
    struct strv names[SC_MAX_BRANCHES], given = STRV_INIT, alts = STRV_INIT;
    const xmlNode *branch[SC_MAX_BRANCHES];
    size_t nb = 0, covering = 0, last = 0;
    struct sc_branch_value bv = { .a = a }, best = { 0 };

    for (const xmlNode *c = p->children; c != NULL && nb < SC_MAX_BRANCHES;
         c = c->next) {
        if (c->type != XML_ELEMENT_NODE || c->ns == NULL ||
            xmlStrcmp(c->ns->href, BAD_CAST RNG_NS) != 0)
            continue;
        branch[nb] = c;
        names[nb] = (struct strv)STRV_INIT;
        sc_attr_names(s, c, &names[nb], 0);
        for (size_t i = 0; i < names[nb].n; i++)
            if (sc_present(a, names[nb].v[i]) &&
                strv_add_unique(&given, names[nb].v[i]) != PC_OK)
                s->st = PC_ENOMEM;
        nb++;
    }
    for (size_t b = 0; b < nb; b++) {
        bool all = true;

        for (size_t i = 0; i < given.n && all; i++)
            all = strv_has(&names[b], given.v[i]);
        if (!all)
            continue;
        if (sc_satisfied(s, a, branch[b], depth + 1)) {
            /* A complete branch takes them all, if it takes their
             * values too (type="duration" wants a duration value). */
            sc_branch_values(s, &bv, branch[b]);
            if (bv.nbad == 0)
                goto out;
            if (best.bad == NULL || bv.nbad < best.nbad)
                best = bv;
            continue;
        }
        covering++;
        last = b;
    }
    if (best.bad != NULL) {
        const char *name = sc_pattern_name(best.bad);
        xmlChar *v = xmlGetProp(a->node, BAD_CAST name);

        if (v != NULL)
            sc_bad_value(s, a->node, best.bad, name, (const char *)v);
        xmlFree(v);
        goto out;
    }
    if (covering == 1) {
        sc_required(s, a, branch[last], depth + 1);
        goto out;
    }
    if (covering == 0 && given.n > 1) {
        /* Two given attributes no branch takes together. */
        for (size_t i = 0; i < given.n; i++)
            for (size_t j = i + 1; j < given.n; j++) {
                bool together = false;

                for (size_t b = 0; b < nb && !together; b++)
                    together = strv_has(&names[b], given.v[i]) &&
                               strv_has(&names[b], given.v[j]);
                if (!together) {
                    sc_said(s, schema_msg_exclusive_attrs(
                                   s->d, sc_loc(s, a->node),
                                   (const char *)a->node->name, given.v[i],
                                   given.v[j]));
                    goto out;
                }
            }
    }
    /* No branch is complete: what each one (that takes what is given)
     * still lacks. */
    for (size_t b = 0; b < nb; b++) {
        bool all = true;
        const char *name;

        for (size_t i = 0; i < given.n && all; i++)
            all = strv_has(&names[b], given.v[i]);
        if (all && (name = sc_first_attr(s, a, branch[b], 0)) != NULL &&
            strv_add_unique(&alts, name) != PC_OK)
            s->st = PC_ENOMEM;
    }
    if (alts.n == 1)
        sc_said(s, schema_msg_missing_attr(s->d, sc_loc(s, a->node),
                                           (const char *)a->node->name,
                                           alts.v[0], NULL));
    else if (alts.n > 1)
        sc_said(s,
                schema_msg_missing_choice(s->d, sc_loc(s, a->node),
                                          (const char *)a->node->name, &alts));
out:
    for (size_t b = 0; b < nb; b++)
        strv_free(&names[b]);
    strv_free(&given);
    strv_free(&alts);
}

/* Say which required attributes under p are missing, and which present
 * ones exclude each other. */
static void
sc_required(struct sc *s, struct sc_attrs *a, const xmlNode *p, unsigned depth)
{
    if (depth > SC_MAX_DEPTH || (depth > 0 && sc_is(p, "element")))
        return;
    if (sc_is(p, "attribute")) {
        const char *name = sc_pattern_name(p);
        struct strv vals = STRV_INIT;

        if (name == NULL || sc_present(a, name) || strv_has(&a->folded, name))
            return;
        sc_enum(s, p, &vals, 0);
        sc_said(s, schema_msg_missing_attr(s->d, sc_loc(s, a->node),
                                           (const char *)a->node->name, name,
                                           &vals));
        strv_free(&vals);
        return;
    }
    if (sc_is(p, "ref")) {
        const xmlNode *def = sc_define(s, p);

        if (def != NULL)
            sc_required(s, a, def, depth + 1);
        return;
    }
    if (sc_is(p, "choice")) {
        sc_required_choice(s, a, p, depth);
        return;
    }
    if (sc_is(p, "optional") || sc_is(p, "zeroOrMore")) {
        /* An optional part that is partly there must be whole. */
        if (sc_touches(s, a, p, 0))
            for (const xmlNode *c = p->children; c != NULL; c = c->next)
                if (c->type == XML_ELEMENT_NODE)
                    sc_required(s, a, c, depth + 1);
        return;
    }
    for (const xmlNode *c = p->children; c != NULL; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            sc_required(s, a, c, depth + 1);
}

struct sc_enum_all {
    const char *name;
    struct strv vals;
    bool closed; /* every pattern of the name is a set of values */
};

static void
sc_enum_named(struct sc *s, const xmlNode *p, void *arg)
{
    struct sc_enum_all *e = arg;
    const char *name = sc_pattern_name(p);
    struct strv vals = STRV_INIT;

    if (name == NULL || strcmp(name, e->name) != 0)
        return;
    if (!sc_enum(s, p, &vals, 0) || vals.n == 0)
        e->closed = false;
    for (size_t i = 0; i < vals.n; i++)
        if (strv_add_unique(&e->vals, vals.v[i]) != PC_OK)
            s->st = PC_ENOMEM;
    strv_free(&vals);
}

/* A value no pattern of the attribute admits. When each of them is a set
 * of values (required="false" in one branch, "true" in another), the
 * message lists them all; else it describes the first. */
static void
sc_bad_value_any(struct sc *s, const xmlNode *n, const xmlNode *epat,
                 const xmlNode *p, const char *name, const char *v)
{
    struct sc_enum_all e = { name, STRV_INIT, true };

    sc_each(s, epat, "attribute", sc_enum_named, &e, 0);
    if (e.closed && e.vals.n > 0)
        sc_said(s,
                schema_msg_bad_value(s->d, sc_loc(s, n), (const char *)n->name,
                                     name, v, &e.vals));
    else
        sc_bad_value(s, n, p, name, v);
    strv_free(&e.vals);
}

static void
sc_check_attrs(struct sc *s, const xmlNode *n, const xmlNode *epat)
{
    struct sc_attrs a = { .node = n,
                          .epat = epat,
                          .rng_root = xmlDocGetRootElement(s->rng),
                          .pats = { .names = STRV_INIT, .st = PC_OK },
                          .folded = STRV_INIT };

    sc_each(s, epat, "attribute", sc_collect_named, &a.pats, 0);
    if (a.pats.st != PC_OK)
        s->st = a.pats.st;
    for (const xmlAttr *at = n->properties; at != NULL; at = at->next) {
        char qname[256];
        bool known = sc_attr_qname(&a, at, qname, sizeof qname);
        const char *name = qname;
        const xmlNode *p = known ? sc_named_find(&a.pats, name) : NULL;
        xmlChar *v;

        if (p == NULL) {
            struct strv unused = STRV_INIT;
            const char *near;

            /* Suggest only what is not there yet. */
            for (size_t i = 0; i < a.pats.names.n; i++)
                if (!sc_present(&a, a.pats.names.v[i]) &&
                    strv_push(&unused, a.pats.names.v[i]) != PC_OK)
                    s->st = PC_ENOMEM;
            near = nearest_pick(qname, (const char *const *)unused.v, unused.n);
            if (near != NULL && strv_add_unique(&a.folded, near) != PC_OK)
                s->st = PC_ENOMEM;
            if (!known)
                sc_said(s, schema_msg_foreign_attr(s->d, sc_loc(s, n),
                                                   (const char *)n->name, qname,
                                                   (const char *)at->ns->href));
            else
                sc_said(s, schema_msg_unknown_attr(s->d, sc_loc(s, n),
                                                   (const char *)n->name, qname,
                                                   &a.pats.names));
            strv_free(&unused);
            continue;
        }
        v = xmlNodeListGetString(n->doc, at->children, 1);
        if (v != NULL && !sc_value_ok(s, p, (const char *)v, 0) &&
            !sc_any_value_ok(s, epat, name, (const char *)v))
            sc_bad_value_any(s, n, epat, p, name, (const char *)v);
        xmlFree(v);
    }
    sc_required(s, &a, epat, 0);
    strv_free(&a.pats.names);
    strv_free(&a.folded);
}

/* ------------------------------------------------------------------ */
/* Children. */

static void
sc_want(struct sc_match *m, long pos, const char *name)
{
    if (pos > m->far) {
        m->far = pos;
        strv_free(&m->want);
    }
    if (pos == m->far && name != NULL &&
        strv_add_unique(&m->want, name) != PC_OK)
        m->st = PC_ENOMEM;
}

static long sc_match(struct sc *s, struct sc_match *m, const xmlNode *p,
                     long pos, unsigned depth);

static bool sc_value_ok(struct sc *s, const xmlNode *p, const char *v,
                        unsigned depth);

static long
sc_match_group(struct sc *s, struct sc_match *m, const xmlNode *first, long pos,
               unsigned depth)
{
    for (const xmlNode *c = first; c != NULL && pos >= 0; c = c->next)
        if (c->type == XML_ELEMENT_NODE && c->ns != NULL &&
            xmlStrcmp(c->ns->href, BAD_CAST RNG_NS) == 0)
            pos = sc_match(s, m, c, pos, depth + 1);
    return pos;
}

/* Greedy match of the sequence from pos against p: the position after
 * what it took, or -1. Content models are deterministic in practice, so
 * greed finds what the validator finds. */
static long
sc_match(struct sc *s, struct sc_match *m, const xmlNode *p, long pos,
         unsigned depth)
{
    if (depth > SC_MAX_DEPTH)
        return -1;
    if (m->tok != NULL) {
        /* A list's items are values, one token each. */
        if (sc_is(p, "value") || sc_is(p, "data"))
            return (size_t)pos < m->n &&
                           sc_value_ok(s, p, m->tok->v[pos], depth)
                       ? pos + 1
                       : -1;
        if (sc_is(p, "text"))
            return (long)m->n;
        if (sc_is(p, "element"))
            return -1;
    }
    if (sc_is(p, "element")) {
        if ((size_t)pos < m->n && sc_elem_matches(p, m->kids[pos]))
            return pos + 1;
        sc_want(m, pos, sc_pattern_name(p));
        return -1;
    }
    if (sc_is(p, "ref") || sc_is(p, "parentRef")) {
        const xmlNode *def = sc_define(s, p);

        return def != NULL ? sc_match_group(s, m, def->children, pos, depth)
                           : -1;
    }
    if (sc_is(p, "optional")) {
        long r = sc_match_group(s, m, p->children, pos, depth);

        return r >= 0 ? r : pos;
    }
    if (sc_is(p, "zeroOrMore") || sc_is(p, "oneOrMore") ||
        sc_is(p, "interleave")) {
        long r = sc_match_group(s, m, p->children, pos, depth);

        if (r < 0)
            return sc_is(p, "oneOrMore") ? -1 : pos;
        while (r > pos) {
            pos = r;
            r = sc_match_group(s, m, p->children, pos, depth);
        }
        return pos;
    }
    if (sc_is(p, "choice")) {
        long best = -1;

        for (const xmlNode *c = p->children; c != NULL; c = c->next) {
            long r;

            if (c->type != XML_ELEMENT_NODE)
                continue;
            r = sc_match(s, m, c, pos, depth + 1);
            if (r > best)
                best = r;
        }
        return best;
    }
    if (sc_is(p, "group") || sc_is(p, "mixed"))
        return sc_match_group(s, m, p->children, pos, depth);
    if (sc_is(p, "notAllowed"))
        return -1;
    return pos; /* attribute, text, data, value, list, empty */
}

static void sc_check_element(struct sc *s, xmlNode *n, const xmlNode *epat,
                             unsigned depth);

/* May c come twice in a row in the content of epat? */
static bool
sc_repeatable(struct sc *s, const xmlNode *epat, xmlNode *c)
{
    xmlNode *two[2] = { c, c };
    struct sc_match m = { .kids = two, .n = 2, .far = -1, .want = STRV_INIT };
    long r = sc_match_group(s, &m, epat->children, 0, 0);

    strv_free(&m.want);
    return r == 2 || m.far >= 2;
}

static void
sc_check_children(struct sc *s, xmlNode *n, const xmlNode *epat, unsigned depth)
{
    struct sc_named allowed = { .names = STRV_INIT, .st = PC_OK };
    struct sc_match m = { .far = -1, .want = STRV_INIT, .st = PC_OK };
    size_t total = 0;
    long r;

    sc_each(s, epat, "element", sc_collect_named, &allowed, 0);
    for (xmlNode *c = n->children; c != NULL; c = c->next)
        total += c->type == XML_ELEMENT_NODE;
    if (total > 0 && (m.kids = calloc(total, sizeof *m.kids)) == NULL) {
        s->st = PC_ENOMEM;
        goto out;
    }
    /* Unknown names first, each on its own; the order of the rest is
     * judged without them. */
    for (xmlNode *c = n->children; c != NULL; c = c->next) {
        const xmlNode *p;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        p = sc_named_find(&allowed, (const char *)c->name);
        if ((p == NULL || !sc_elem_matches(p, c)) && c->ns != NULL &&
            c->ns->href != NULL &&
            (n->ns == NULL || xmlStrcmp(c->ns->href, n->ns->href) != 0)) {
            /* Another vocabulary's element: name it by its namespace. */
            char qname[256];

            snprintf(qname, sizeof qname, "%s%s%s",
                     c->ns->prefix != NULL ? (const char *)c->ns->prefix : "",
                     c->ns->prefix != NULL ? ":" : "", (const char *)c->name);
            sc_said(s, schema_msg_foreign_elem(s->d, sc_loc(s, c),
                                               (const char *)n->name, qname,
                                               (const char *)c->ns->href));
            continue;
        }
        if (p == NULL || !sc_elem_matches(p, c)) {
            sc_said(s, schema_msg_unknown_elem(
                           s->d, sc_loc(s, c), (const char *)n->name,
                           (const char *)c->name, &allowed.names));
            continue;
        }
        m.kids[m.n++] = c;
    }
    r = sc_match_group(s, &m, epat->children, 0, 0);
    if (m.st != PC_OK)
        s->st = m.st;
    if (r != (long)m.n) {
        long bad = m.far > r ? m.far : r;

        if (bad < 0)
            bad = 0;
        if ((size_t)bad >= m.n) {
            sc_said(s, schema_msg_missing_elem(s->d, sc_loc(s, n),
                                               (const char *)n->name, &m.want));
        } else {
            xmlNode *c = m.kids[bad];
            const xmlNode *later = NULL, *same = NULL;
            size_t ci = 0;

            for (size_t i = 0; i < allowed.names.n; i++)
                if (strcmp(allowed.names.v[i], (const char *)c->name) == 0)
                    ci = i;
            for (long j = 0; j < bad; j++) {
                const xmlNode *k = m.kids[j];

                for (size_t i = 0; i < allowed.names.n && later == NULL; i++)
                    if (strcmp(allowed.names.v[i], (const char *)k->name) ==
                            0 &&
                        i > ci)
                        later = k;
                if (same == NULL && xmlStrcmp(k->name, c->name) == 0)
                    same = k;
            }
            if (same != NULL && !sc_repeatable(s, epat, c))
                sc_said(s, schema_msg_repeated_elem(
                               s->d, sc_loc(s, c), (const char *)n->name,
                               (const char *)c->name, sc_line(s, same)));
            else if (later != NULL)
                sc_said(s, schema_msg_misplaced_elem(
                               s->d, sc_loc(s, c), (const char *)n->name,
                               (const char *)c->name, (const char *)later->name,
                               sc_line(s, later), &allowed.names));
            else if (same != NULL)
                sc_said(s, schema_msg_repeated_elem(
                               s->d, sc_loc(s, c), (const char *)n->name,
                               (const char *)c->name, sc_line(s, same)));
            else
                sc_said(s, schema_msg_unexpected_elem(
                               s->d, sc_loc(s, c), (const char *)n->name,
                               (const char *)c->name, &m.want));
        }
    }
    /* Every known child is judged on its own too. */
    for (size_t i = 0; i < m.n && s->st == PC_OK; i++)
        sc_check_element(s, m.kids[i],
                         sc_named_find(&allowed, (const char *)m.kids[i]->name),
                         depth + 1);
out:
    free(m.kids);
    strv_free(&m.want);
    strv_free(&allowed.names);
}

/* Is p a pattern for a value only (no attribute, no element)? */
static bool
sc_value_pattern(struct sc *s, const xmlNode *p, unsigned depth)
{
    if (depth > SC_MAX_DEPTH)
        return false;
    if (sc_is(p, "data") || sc_is(p, "value") || sc_is(p, "list"))
        return true;
    if (sc_is(p, "ref")) {
        const xmlNode *def = sc_define(s, p);
        const xmlNode *c = def != NULL ? sc_content(def) : NULL;

        return c != NULL && sc_value_pattern(s, c, depth + 1);
    }
    if (sc_is(p, "choice")) {
        for (const xmlNode *c = p->children; c != NULL; c = c->next)
            if (c->type == XML_ELEMENT_NODE &&
                !sc_value_pattern(s, c, depth + 1))
                return false;
        return true;
    }
    return false;
}

/* Does p hold attributes and nothing else (an optional attribute, a
 * group or choice of them, a define of them)? */
static bool
sc_attrs_only(struct sc *s, const xmlNode *p, unsigned depth)
{
    bool any = false;

    if (depth > SC_MAX_DEPTH)
        return false;
    if (sc_is(p, "attribute"))
        return true;
    if (sc_is(p, "ref")) {
        const xmlNode *def = sc_define(s, p);

        return def != NULL && sc_attrs_only(s, def, depth + 1);
    }
    if (!sc_is(p, "optional") && !sc_is(p, "zeroOrMore") &&
        !sc_is(p, "oneOrMore") && !sc_is(p, "group") && !sc_is(p, "choice") &&
        !sc_is(p, "define"))
        return false;
    for (const xmlNode *c = p->children; c != NULL; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || c->ns == NULL ||
            xmlStrcmp(c->ns->href, BAD_CAST RNG_NS) != 0)
            continue;
        if (!sc_attrs_only(s, c, depth + 1))
            return false;
        any = true;
    }
    return any;
}

static void
sc_check_text(struct sc *s, const xmlNode *n, const xmlNode *epat)
{
    int kind = sc_text_kind(s, epat, 0);
    xmlChar *text;
    const char *t;

    if (kind == 1)
        return;
    if (kind == 0) {
        for (const xmlNode *c = n->children; c != NULL; c = c->next) {
            if (c->type != XML_TEXT_NODE && c->type != XML_CDATA_SECTION_NODE)
                continue;
            t = (const char *)c->content;
            t += strspn(t, " \t\r\n");
            if (*t != '\0') {
                sc_said(s, schema_msg_text_not_allowed(
                               s->d, sc_loc(s, n), (const char *)n->name, t));
                return;
            }
        }
        return;
    }
    text = xmlNodeGetContent(n);
    if (text != NULL) {
        const xmlNode *p = NULL;
        size_t npat = 0;

        /* Simple content: check it only when it is one value pattern
         * beside the attributes. */
        for (const xmlNode *c = epat->children; c != NULL; c = c->next) {
            if (c->type != XML_ELEMENT_NODE || c->ns == NULL ||
                xmlStrcmp(c->ns->href, BAD_CAST RNG_NS) != 0 ||
                sc_is(c, "name") || sc_attrs_only(s, c, 0))
                continue;
            npat++;
            p = c;
        }
        if (npat == 1 && sc_value_pattern(s, p, 0) &&
            !sc_value_ok(s, p, (const char *)text, 0))
            sc_bad_value(s, n, p, NULL, (const char *)text);
    }
    xmlFree(text);
}

static void
sc_check_element(struct sc *s, xmlNode *n, const xmlNode *epat, unsigned depth)
{
    if (epat == NULL || depth > SC_MAX_DEPTH || s->st != PC_OK)
        return;
    sc_check_attrs(s, n, epat);
    sc_check_text(s, n, epat);
    sc_check_children(s, n, epat, depth);
}

/* ------------------------------------------------------------------ */

static void
sc_number(xmlNode *n, uintptr_t *next)
{
    for (; n != NULL; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        n->_private = (void *)++*next;
        sc_number(n->children, next);
    }
}

static void
sc_unnumber(xmlNode *n)
{
    for (; n != NULL; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        n->_private = NULL;
        sc_unnumber(n->children);
    }
}

static void
sc_free(struct sc *s)
{
    map_free(s->defines);
    xmlFreeDoc(s->rng);
}

static pc_status
sc_open(struct sc *s, const char *rng, pc_diags *d)
{
    xmlNode *root;
    pc_status st;

    if ((st = xml_load(rng, NULL, d, &s->rng, NULL)) != PC_OK)
        return st;
    if ((s->defines = map_new()) == NULL)
        return PC_ENOMEM;
    root = xmlDocGetRootElement(s->rng);
    for (xmlNode *c = root != NULL ? root->children : NULL; c != NULL;
         c = c->next) {
        const char *name = sc_prop(c, "name");

        if (sc_is(c, "define") && name != NULL &&
            (st = map_put(s->defines, name, c)) != PC_OK)
            return st;
        if (sc_is(c, "start"))
            s->start = c;
        /* Defines inside <div>: one level is what schemas use. */
        if (sc_is(c, "div"))
            for (xmlNode *k = c->children; k != NULL; k = k->next)
                if (sc_is(k, "define") && (name = sc_prop(k, "name")) != NULL &&
                    (st = map_put(s->defines, name, k)) != PC_OK)
                    return st;
    }
    if (s->start == NULL && root != NULL && sc_is(root, "element"))
        s->start = NULL; /* a bare <element> schema: the root is it */
    return PC_OK;
}

/* The root patterns: under <start>, or the schema's own root element. */
static void
sc_roots(struct sc *s, struct sc_named *roots)
{
    xmlNode *root = xmlDocGetRootElement(s->rng);

    if (s->start != NULL)
        sc_each(s, s->start, "element", sc_collect_named, roots, 0);
    else if (root != NULL && sc_is(root, "element"))
        sc_collect_named(s, root, roots);
}

pc_status
schema_check_doc(const char *rng, xmlDoc *doc, const char *path,
                 const unsigned *lines, size_t nlines, pc_diags *d,
                 size_t *found)
{
    struct sc s = { .d = d, .path = path, .lines = lines, .nlines = nlines };
    struct sc_named roots = { .names = STRV_INIT, .st = PC_OK };
    xmlNode *root = xmlDocGetRootElement(doc);
    uintptr_t next = 0;
    size_t first = pc_diags_count(d);
    pc_status st;

    *found = 0;
    if ((st = sc_open(&s, rng, d)) != PC_OK)
        goto out;
    sc_roots(&s, &roots);
    if (root == NULL || roots.names.n == 0)
        goto out;
    sc_number(root, &next);
    {
        const xmlNode *p = sc_named_find(&roots, (const char *)root->name);

        if (p == NULL || !sc_elem_matches(p, root)) {
            const xmlNode *want = roots.nodes[0];
            const char *ns = sc_inherited(want, "ns");

            sc_said(&s, schema_msg_wrong_root(
                            d, sc_loc(&s, root), sc_pattern_name(want),
                            ns != NULL ? ns : "", (const char *)root->name,
                            root->ns != NULL ? (const char *)root->ns->href
                                             : NULL));
        } else {
            sc_check_element(&s, root, p, 0);
        }
    }
    sc_unnumber(root);
    /* Parents are judged before their children: say them in file order. */
    diag_sort_lines(d, first);
    st = s.st;
out:
    *found = s.found;
    strv_free(&roots.names);
    sc_free(&s);
    return st;
}

pc_status
schema_check_root(const char *rng, pc_diags *d, char **name, char **ns)
{
    struct sc s = { .d = d };
    struct sc_named roots = { .names = STRV_INIT, .st = PC_OK };
    pc_status st;

    *name = *ns = NULL;
    if ((st = sc_open(&s, rng, d)) == PC_OK) {
        sc_roots(&s, &roots);
        if (roots.names.n == 0) {
            st = PC_EINVALID;
        } else {
            const char *n = sc_inherited(roots.nodes[0], "ns");

            *name = strdup(roots.names.v[0]);
            *ns = strdup(n != NULL ? n : "");
            if (*name == NULL || *ns == NULL)
                st = PC_ENOMEM;
        }
    }
    strv_free(&roots.names);
    sc_free(&s);
    if (st != PC_OK) {
        free(*name);
        free(*ns);
        *name = *ns = NULL;
    }
    return st;
}
