/* schema-xml.c - which attributes each manifest element may carry, read
 * from the manifest's RELAX NG schema itself, so the rule compiler can
 * reject `flow.purpse` at load time without a second list to maintain.
 * The schema also gives, per attribute, whether it is a list, the values
 * it may take when they are enumerated, and its default (the RELAX NG DTD
 * compatibility annotation a:defaultValue), so no C code repeats them. */
#include "config.h"

#include "rule.h"

#include "diag.h"
#include "map.h"
#include "xml.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define RNG_NS "http://relaxng.org/ns/structure/1.0"
#define RNG_ANNOTATIONS_NS "http://relaxng.org/ns/compatibility/annotations/1.0"
/* privcheck's own annotations: pc:names="purpose" on an <attribute> says
 * which kind of policy id its values are, so that the rule compiler can
 * check the literals rules compare with it. */
#define PC_SCHEMA_NS "urn:privcheck:schema:1"

/* One attribute's enumerated values (empty: open) and default. */
struct attr_info {
    const char *name;
    const char *dflt;  /* NULL: none */
    const char *names; /* pc:names; NULL: none */
    struct strv values;
    struct strv words; /* every <value>, even beside free text */
};

/* The attributes of one element, and which of them hold lists. */
struct kind_attrs {
    struct strv attrs, lists;
    struct attr_info *info; /* parallel to attrs */
    size_t ninfo, capinfo;
    size_t doc; /* which schema it comes from */
};

/* The schema of one kind of document. */
struct schema_doc {
    xmlDoc *doc;      /* owns the strings of its kinds */
    const char *root; /* its root element's name */
};

struct schema_attrs {
    struct schema_doc *docs; /* the manifest's first */
    size_t ndocs;
    struct map *defines; /* define name -> xmlNode, while one is read */
    struct map *kinds;   /* element name -> struct kind_attrs * */
    struct kind_attrs **all;
    size_t nall;
    struct strv order;  /* element names in document order */
    struct strv ext_ns; /* pairs URI, prefix: a pack's extension (the
                           manifest schema's root declares them) */
};

void
schema_attrs_free(struct schema_attrs *sa)
{
    if (sa == NULL)
        return;
    for (size_t i = 0; i < sa->nall; i++) {
        strv_free(&sa->all[i]->attrs);
        strv_free(&sa->all[i]->lists);
        for (size_t j = 0; j < sa->all[i]->ninfo; j++) {
            strv_free(&sa->all[i]->info[j].values);
            strv_free(&sa->all[i]->info[j].words);
        }
        free(sa->all[i]->info);
        free(sa->all[i]);
    }
    free(sa->all);
    strv_free(&sa->order);
    strv_free(&sa->ext_ns);
    map_free(sa->defines);
    map_free(sa->kinds);
    for (size_t i = 0; i < sa->ndocs; i++)
        xmlFreeDoc(sa->docs[i].doc);
    free(sa->docs);
    free(sa);
}

static const char *
schema_name(const xmlNode *n)
{
    const xmlAttr *a;

    for (a = n->properties; a != NULL; a = a->next)
        if (xmlStrcmp(a->name, BAD_CAST "name") == 0 && a->children != NULL)
            return (const char *)a->children->content;
    return NULL;
}

/* Does the pattern under n, refs followed, take a <list>? */
static bool
schema_has_list(const struct schema_attrs *sa, const xmlNode *n, unsigned depth)
{
    if (depth > 64)
        return false;
    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        const char *name = schema_name(c);

        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (xml_is(c, RNG_NS, "list"))
            return true;
        if (xml_is(c, RNG_NS, "ref") && name != NULL) {
            const xmlNode *def = map_get(sa->defines, name);

            if (def != NULL && schema_has_list(sa, def, depth + 1))
                return true;
        } else if (schema_has_list(sa, c, depth + 1)) {
            return true;
        }
    }
    return false;
}

/* Collect the <value>s of the pattern under n, refs followed; *open is
 * set when it also admits other text (<data>, <text>). */
static pc_status
schema_values(const struct schema_attrs *sa, const xmlNode *n, struct strv *out,
              bool *open, unsigned depth)
{
    pc_status st;

    if (depth > 64)
        return PC_OK;
    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        const char *name = schema_name(c);

        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (xml_is(c, RNG_NS, "data") || xml_is(c, RNG_NS, "text")) {
            *open = true;
        } else if (xml_is(c, RNG_NS, "value")) {
            const char *v = c->children != NULL && c->children->content != NULL
                                ? (const char *)c->children->content
                                : "";

            if ((st = strv_add_unique(out, v)) != PC_OK)
                return st;
        } else if (xml_is(c, RNG_NS, "ref") && name != NULL) {
            const xmlNode *def = map_get(sa->defines, name);

            if (def != NULL &&
                (st = schema_values(sa, def, out, open, depth + 1)) != PC_OK)
                return st;
        } else if ((st = schema_values(sa, c, out, open, depth + 1)) != PC_OK) {
            return st;
        }
    }
    return PC_OK;
}

/* Record an attribute's values and default, once per name. */
static pc_status
schema_note_attr(const struct schema_attrs *sa, const xmlNode *n,
                 struct kind_attrs *ka, const char *name)
{
    struct attr_info *ai;
    bool open = false;
    pc_status st;

    for (size_t i = 0; i < ka->ninfo; i++)
        if (strcmp(ka->info[i].name, name) == 0)
            return PC_OK;
    if (ka->ninfo == ka->capinfo) {
        size_t cap = ka->capinfo ? ka->capinfo * 2 : 8;
        struct attr_info *v = realloc(ka->info, cap * sizeof *v);

        if (v == NULL)
            return PC_ENOMEM;
        ka->info = v;
        ka->capinfo = cap;
    }
    ai = &ka->info[ka->ninfo++];
    memset(ai, 0, sizeof *ai);
    ai->name = name;
    for (const xmlAttr *a = n->properties; a != NULL; a = a->next) {
        if (a->ns == NULL || a->children == NULL)
            continue;
        if (xmlStrcmp(a->ns->href, BAD_CAST RNG_ANNOTATIONS_NS) == 0 &&
            xmlStrcmp(a->name, BAD_CAST "defaultValue") == 0)
            ai->dflt = (const char *)a->children->content;
        if (xmlStrcmp(a->ns->href, BAD_CAST PC_SCHEMA_NS) == 0 &&
            xmlStrcmp(a->name, BAD_CAST "names") == 0)
            ai->names = (const char *)a->children->content;
    }
    if ((st = schema_values(sa, n, &ai->values, &open, 0)) != PC_OK ||
        (st = strv_copy(&ai->words, &ai->values)) != PC_OK)
        return st;
    if (open) /* a few fixed words beside free text: not a closed set */
        strv_free(&ai->values);
    return PC_OK;
}

/* Collect attribute names under n into ka, following refs, stopping at
 * nested elements. `depth` bounds recursive defines. */
static pc_status
schema_collect(struct schema_attrs *sa, const xmlNode *n, struct kind_attrs *ka,
               unsigned depth)
{
    pc_status st;

    if (depth > 64)
        return PC_OK;
    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        const char *name;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (xml_is(c, RNG_NS, "element"))
            continue;
        name = schema_name(c);
        if (xml_is(c, RNG_NS, "attribute") && name != NULL) {
            if ((st = strv_add_unique(&ka->attrs, name)) != PC_OK ||
                (st = schema_note_attr(sa, c, ka, name)) != PC_OK ||
                (schema_has_list(sa, c, 0) &&
                 (st = strv_add_unique(&ka->lists, name)) != PC_OK))
                return st;
            continue;
        }
        if (xml_is(c, RNG_NS, "ref") && name != NULL) {
            const xmlNode *def = map_get(sa->defines, name);

            if (def != NULL &&
                (st = schema_collect(sa, def, ka, depth + 1)) != PC_OK)
                return st;
            continue;
        }
        if ((st = schema_collect(sa, c, ka, depth + 1)) != PC_OK)
            return st;
    }
    return PC_OK;
}

static pc_status
schema_walk(struct schema_attrs *sa, const xmlNode *n, bool defines_pass)
{
    pc_status st;

    for (const xmlNode *c = n; c != NULL; c = c->next) {
        const char *name;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        name = schema_name(c);
        if (defines_pass && xml_is(c, RNG_NS, "define") && name != NULL) {
            if ((st = map_put(sa->defines, name, (void *)c)) != PC_OK)
                return st;
        } else if (!defines_pass && xml_is(c, RNG_NS, "element") &&
                   name != NULL) {
            struct kind_attrs *ka = map_get(sa->kinds, name);

            /* Kinds are one namespace for the rules: a second document
             * may not reuse a name. */
            if (ka != NULL && ka->doc != sa->ndocs - 1)
                return PC_EINVALID;
            if (ka == NULL) {
                struct kind_attrs **v =
                    realloc(sa->all, (sa->nall + 1) * sizeof *v);

                if (v == NULL)
                    return PC_ENOMEM;
                sa->all = v;
                if ((ka = calloc(1, sizeof *ka)) == NULL)
                    return PC_ENOMEM;
                sa->all[sa->nall++] = ka;
                ka->doc = sa->ndocs - 1;
                if ((st = map_put(sa->kinds, name, ka)) != PC_OK)
                    return st;
            }
            if ((st = schema_collect(sa, c, ka, 0)) != PC_OK)
                return st;
        }
        if ((st = schema_walk(sa, c->children, defines_pass)) != PC_OK)
            return st;
    }
    return PC_OK;
}

/* Element names in the order a document must give them: a walk from
 * <start> through the refs, in schema order. */
static pc_status
schema_order(struct schema_attrs *sa, const xmlNode *n, struct strv *seen,
             unsigned depth)
{
    pc_status st;

    if (depth > 256)
        return PC_OK;
    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        const char *name;

        if (c->type != XML_ELEMENT_NODE)
            continue;
        name = schema_name(c);
        if (xml_is(c, RNG_NS, "element") && name != NULL &&
            (st = strv_add_unique(&sa->order, name)) != PC_OK)
            return st;
        if (xml_is(c, RNG_NS, "ref") && name != NULL) {
            const xmlNode *def = map_get(sa->defines, name);

            if (def == NULL || strv_has(seen, name))
                continue;
            if ((st = strv_push(seen, name)) != PC_OK ||
                (st = schema_order(sa, def, seen, depth + 1)) != PC_OK)
                return st;
            continue;
        }
        if ((st = schema_order(sa, c, seen, depth + 1)) != PC_OK)
            return st;
    }
    return PC_OK;
}

/* Read the schema at rng into sa as its next document. */
static pc_status
schema_attrs_read(struct schema_attrs *sa, const char *rng, pc_diags *d)
{
    struct schema_doc *v = realloc(sa->docs, (sa->ndocs + 1) * sizeof *v);
    size_t first = sa->order.n;
    xmlDoc *doc = NULL;
    pc_status st;

    if (v == NULL)
        return PC_ENOMEM;
    sa->docs = v;
    if ((st = xml_load(rng, NULL, d, &doc, NULL)) != PC_OK)
        return st;
    sa->docs[sa->ndocs].doc = doc;
    sa->docs[sa->ndocs].root = NULL;
    sa->ndocs++;
    map_clear(sa->defines);
    st = schema_walk(sa, xmlDocGetRootElement(doc), true);
    if (st == PC_OK)
        st = schema_walk(sa, xmlDocGetRootElement(doc), false);
    if (st == PC_EINVALID)
        return diag_fail(d, st, diag_loc(d, rng, 0, 0),
                         "an element of this schema has the name of one of "
                         "another schema");
    for (const xmlNode *c = xmlDocGetRootElement(doc)->children;
         c != NULL && st == PC_OK; c = c->next)
        if (xml_is(c, RNG_NS, "start")) {
            struct strv seen = STRV_INIT;

            st = schema_order(sa, c, &seen, 0);
            strv_free(&seen);
        }
    if (st != PC_OK)
        return st;
    if (sa->order.n == first)
        return diag_fail(d, PC_EINVALID, diag_loc(d, rng, 0, 0),
                         "no elements found in the schema");
    sa->docs[sa->ndocs - 1].root = sa->order.v[first];
    return PC_OK;
}

/* Namespaces the manifest schema's root declares beyond the schema
 * languages' own are those of a composed extension (schema-ext.c): its
 * attributes are known by the prefix bound there. */
static pc_status
schema_attrs_read_ns(struct schema_attrs *sa)
{
    static const char *const own[] = { RNG_NS, RNG_ANNOTATIONS_NS,
                                       PC_SCHEMA_NS };
    const xmlNode *root = xmlDocGetRootElement(sa->docs[0].doc);
    pc_status st = PC_OK;

    for (const xmlNs *ns = root->nsDef; ns != NULL && st == PC_OK;
         ns = ns->next) {
        bool skip = ns->prefix == NULL || ns->href == NULL;

        for (size_t i = 0; i < sizeof own / sizeof own[0] && !skip; i++)
            skip = xmlStrcmp(ns->href, BAD_CAST own[i]) == 0;
        if (!skip &&
            (st = strv_push(&sa->ext_ns, (const char *)ns->href)) == PC_OK)
            st = strv_push(&sa->ext_ns, (const char *)ns->prefix);
    }
    return st;
}

const struct strv *
schema_attrs_namespaces(const struct schema_attrs *sa)
{
    return &sa->ext_ns;
}

pc_status
schema_attrs_load(const char *rng, pc_diags *d, struct schema_attrs **out)
{
    struct schema_attrs *sa = calloc(1, sizeof *sa);
    pc_status st;

    if (sa == NULL)
        return PC_ENOMEM;
    if ((sa->defines = map_new()) == NULL || (sa->kinds = map_new()) == NULL) {
        st = PC_ENOMEM;
        goto fail;
    }
    if ((st = schema_attrs_read(sa, rng, d)) != PC_OK ||
        (st = schema_attrs_read_ns(sa)) != PC_OK)
        goto fail;
    *out = sa;
    return PC_OK;
fail:
    schema_attrs_free(sa);
    return st;
}

pc_status
schema_attrs_load_more(struct schema_attrs *sa, const char *rng, pc_diags *d)
{
    return schema_attrs_read(sa, rng, d);
}

pc_status
schema_attrs_add_computed(struct schema_attrs *sa, const char *kind,
                          const char *attr)
{
    struct kind_attrs *ka = map_get(sa->kinds, kind);

    if (ka == NULL)
        return PC_EINVALID;
    return strv_add_unique(&ka->attrs, attr);
}

const char *
schema_attrs_document(const struct schema_attrs *sa, const char *kind)
{
    const struct kind_attrs *ka = map_get(sa->kinds, kind);

    return ka != NULL ? sa->docs[ka->doc].root : NULL;
}

bool
schema_attrs_has_kind(const struct schema_attrs *sa, const char *kind)
{
    return map_get(sa->kinds, kind) != NULL;
}

bool
schema_attrs_has(const struct schema_attrs *sa, const char *kind,
                 const char *attr)
{
    const struct kind_attrs *ka = map_get(sa->kinds, kind);

    return ka != NULL && strv_has(&ka->attrs, attr);
}

bool
schema_attrs_is_list(const struct schema_attrs *sa, const char *kind,
                     const char *attr)
{
    const struct kind_attrs *ka = map_get(sa->kinds, kind);

    return ka != NULL && strv_has(&ka->lists, attr);
}

size_t
schema_attrs_order(const struct schema_attrs *sa, const char *kind)
{
    for (size_t i = 0; i < sa->order.n; i++)
        if (strcmp(sa->order.v[i], kind) == 0)
            return i;
    return SIZE_MAX;
}

static const struct attr_info *
schema_attr_info(const struct schema_attrs *sa, const char *kind,
                 const char *attr)
{
    const struct kind_attrs *ka = map_get(sa->kinds, kind);

    for (size_t i = 0; ka != NULL && i < ka->ninfo; i++)
        if (strcmp(ka->info[i].name, attr) == 0)
            return &ka->info[i];
    return NULL;
}

const struct strv *
schema_attrs_values(const struct schema_attrs *sa, const char *kind,
                    const char *attr)
{
    const struct attr_info *ai = schema_attr_info(sa, kind, attr);

    return ai != NULL && ai->values.n > 0 ? &ai->values : NULL;
}

size_t
schema_attrs_defaults(const struct schema_attrs *sa, const char *kind, size_t i,
                      const char **name, const char **value)
{
    const struct kind_attrs *ka = map_get(sa->kinds, kind);
    size_t k = 0;

    for (size_t j = 0; ka != NULL && j < ka->ninfo; j++) {
        if (ka->info[j].dflt == NULL)
            continue;
        if (k++ == i) {
            *name = ka->info[j].name;
            *value = ka->info[j].dflt;
            return 1;
        }
    }
    return 0;
}

const char *
schema_attrs_names(const struct schema_attrs *sa, const char *kind,
                   const char *attr, const struct strv **words)
{
    const struct attr_info *ai = schema_attr_info(sa, kind, attr);

    if (words != NULL)
        *words = ai != NULL ? &ai->words : NULL;
    return ai != NULL ? ai->names : NULL;
}
