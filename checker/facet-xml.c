/* facet-xml.c - XSD pattern facets checked with pcre2. libxml2 2.9.14's
 * RELAX NG builds and compiles a facet for every value it validates; the
 * manifest schema's five patterns cost more than the rest of validation.
 * The streaming copy of the schema loses the patterns it can check here
 * with the same answer, and each value is checked against a pattern
 * compiled once. What is not understood keeps its pattern in the schema:
 * the optimisation may do less, never accept more. */
#include "config.h"

#include "facet-xml.h"

#include "diag.h"
#include "map.h"
#include "pattern.h"
#include "strbuf.h"
#include "strv.h"

#include <stdlib.h>
#include <string.h>

#define RNG_NS "http://relaxng.org/ns/structure/1.0"
#define FACET_MAX_DEPTH 32

enum pred_kind { PRED_ANY, PRED_PATTERN, PRED_VALUE, PRED_CHOICE, PRED_LIST };

/* What an attribute's value must be, as far as the patterns go. */
struct pred {
    enum pred_kind kind;
    bool token;         /* whitespace collapsed before comparing */
    struct pattern *re; /* PRED_PATTERN, owned */
    xmlNode *param;     /* PRED_PATTERN: the facet to take out */
    char *value;        /* PRED_VALUE, owned */
    struct pred **kids; /* PRED_CHOICE, PRED_LIST (one) */
    size_t nkids;
};

struct facet_attr {
    const char *name; /* in the schema document, which outlives us */
    struct pred *pred;
    const xmlNode *decl; /* the <attribute> it comes from */
};

struct facet_elem {
    struct facet_attr *v;
    size_t n;
    /* Whole documents only: the pattern of the element's text, when its
     * content is nothing but that data; from the <data> or <list> decl. */
    struct pred *text;
    const xmlNode *text_decl;
    const char *name; /* in the schema document */
};

struct facets {
    struct map *elems; /* element name -> struct facet_elem * */
    struct facet_elem **all;
    size_t nall;
    struct map *defines; /* while reading */
    char *ns;            /* the grammar's ns: the elements checked */
    size_t stripped;
    bool unsure; /* something could not be followed: strip nothing */
    /* Checking documents read whole, after validation: element text can
     * be checked too (a stream checks an element at its start tag, before
     * its text is read). */
    bool whole;
    struct map *seen;  /* while reading: element name -> its <element> */
    struct map *twice; /* while reading: names of two <element>s */
};

static void
pred_free(struct pred *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i < p->nkids; i++)
        pred_free(p->kids[i]);
    free(p->kids);
    pattern_free(p->re);
    free(p->value);
    free(p);
}

void
facet_free(struct facets *f)
{
    if (f == NULL)
        return;
    for (size_t i = 0; i < f->nall; i++) {
        for (size_t j = 0; j < f->all[i]->n; j++)
            pred_free(f->all[i]->v[j].pred);
        pred_free(f->all[i]->text);
        free(f->all[i]->v);
        free(f->all[i]);
    }
    free(f->all);
    map_free(f->elems);
    map_free(f->defines);
    map_free(f->seen);
    map_free(f->twice);
    free(f->ns);
    free(f);
}

size_t
facet_count(const struct facets *f)
{
    return f != NULL ? f->stripped : 0;
}

static bool
facet_is(const xmlNode *n, const char *name)
{
    return n != NULL && n->type == XML_ELEMENT_NODE && n->ns != NULL &&
           strcmp((const char *)n->ns->href, RNG_NS) == 0 &&
           strcmp((const char *)n->name, name) == 0;
}

static const char *
facet_prop(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a != NULL; a = a->next)
        if (a->ns == NULL && strcmp((const char *)a->name, name) == 0 &&
            a->children != NULL && a->children->next == NULL &&
            a->children->type == XML_TEXT_NODE)
            return (const char *)a->children->content;
    return NULL;
}

/* The RELAX NG children of n (annotations and text skipped). */
static xmlNode *
facet_first(const xmlNode *n)
{
    for (xmlNode *c = n->children; c != NULL; c = c->next)
        if (c->type == XML_ELEMENT_NODE && c->ns != NULL &&
            strcmp((const char *)c->ns->href, RNG_NS) == 0)
            return c;
    return NULL;
}

static xmlNode *
facet_next(const xmlNode *n)
{
    for (xmlNode *c = n->next; c != NULL; c = c->next)
        if (c->type == XML_ELEMENT_NODE && c->ns != NULL &&
            strcmp((const char *)c->ns->href, RNG_NS) == 0)
            return c;
    return NULL;
}

/* An XSD regular expression pcre2 reads the same way, anchored: ASCII
 * literals, classes, groups, quantifiers, alternation and the escapes
 * below. Anything else (\d and \w are Unicode in XSD, ^ and $ are
 * literals there, class subtraction) is left to libxml2: NULL. */
static char *
facet_translate(const char *xsd)
{
    struct strbuf b = STRBUF_INIT(4096);
    bool in_class = false;

    for (const char *p = xsd; *p != '\0'; p++) {
        unsigned char c = (unsigned char)*p;

        if (c >= 0x80)
            goto no;
        if (c == '\\') {
            if (p[1] == '\0' || strchr("-.sS\\[](){}?*+|", p[1]) == NULL)
                goto no;
            p++;
        } else if (in_class) {
            if (c == '[' || (c == '-' && p[1] == '['))
                goto no; /* subtraction, nesting */
            if (c == ']')
                in_class = false;
        } else if (c == '[') {
            in_class = true;
            if (p[1] == '^')
                p++;
        } else if (c == '.' || c == '^' || c == '$') {
            goto no;
        }
    }
    if (in_class || strbuf_add(&b, "^(?:", 4) != PC_OK ||
        strbuf_add(&b, xsd, strlen(xsd)) != PC_OK ||
        strbuf_add(&b, ")$", 2) != PC_OK)
        goto no;
    return strbuf_detach(&b);
no:
    strbuf_free(&b);
    return NULL;
}

static pc_status facet_pred(struct facets *f, const xmlNode *n, unsigned depth,
                            pc_diags *d, struct pred **out);
static pc_status facet_collapse(const char *s, size_t len, struct strbuf *b);

static pc_status
facet_new(enum pred_kind kind, struct pred **out)
{
    *out = calloc(1, sizeof **out);
    if (*out == NULL)
        return PC_ENOMEM;
    (*out)->kind = kind;
    return PC_OK;
}

static pc_status
facet_data(struct facets *f, const xmlNode *n, pc_diags *d, struct pred **out)
{
    const char *type = facet_prop(n, "type");
    xmlNode *param = NULL;
    char *re;
    pc_status st;

    for (xmlNode *c = facet_first(n); c != NULL; c = facet_next(c)) {
        const char *name = facet_prop(c, "name");

        if (facet_is(c, "param") && name != NULL &&
            strcmp(name, "pattern") == 0) {
            if (param != NULL)
                f->unsure = true; /* two patterns: both must hold */
            param = c;
        } else if (facet_is(c, "except")) {
            f->unsure = true;
        }
    }
    if (param == NULL)
        return facet_new(PRED_ANY, out);
    /* anyURI collapses white space as token does; libxml2 still checks
     * the rest of its lexical form, the type staying in the schema. */
    if (type == NULL ||
        (strcmp(type, "token") != 0 && strcmp(type, "string") != 0 &&
         strcmp(type, "anyURI") != 0)) {
        f->unsure = true;
        return facet_new(PRED_ANY, out);
    }
    re = facet_translate(
        param->children != NULL ? (const char *)param->children->content : "");
    if (re == NULL) {
        f->unsure = true;
        return facet_new(PRED_ANY, out);
    }
    if ((st = facet_new(PRED_PATTERN, out)) == PC_OK) {
        (*out)->token = strcmp(type, "string") != 0;
        (*out)->param = param;
        /* A document read whole (a policy, rules, classifiers, waivers)
         * gets the built-in limits, not --limit's: these are the schema's
         * own linear patterns, standing in for libxml2's, which has none,
         * and a limit lowered to bound the classifiers' matching must not
         * make the files that define them unreadable. A stream's values
         * come from a manifest: --limit binds them. */
        st = pattern_compile_limits(
            re, 0, f->whole ? &pattern_default_limits : NULL,
            diag_loc(d, NULL, 0, 0), "schema pattern", d, &(*out)->re);
    }
    free(re);
    return st;
}

static pc_status
facet_kids(struct facets *f, const xmlNode *n, unsigned depth, pc_diags *d,
           struct pred *p)
{
    pc_status st = PC_OK;

    for (xmlNode *c = facet_first(n); c != NULL && st == PC_OK;
         c = facet_next(c)) {
        struct pred **v = realloc(p->kids, (p->nkids + 1) * sizeof *v);

        if (v == NULL)
            return PC_ENOMEM;
        p->kids = v;
        p->kids[p->nkids] = NULL;
        st = facet_pred(f, c, depth + 1, d, &p->kids[p->nkids]);
        if (p->kids[p->nkids] != NULL)
            p->nkids++;
    }
    return st;
}

/* The predicate of one pattern of an attribute's content. */
static pc_status
facet_pred(struct facets *f, const xmlNode *n, unsigned depth, pc_diags *d,
           struct pred **out)
{
    pc_status st;

    *out = NULL;
    if (depth > FACET_MAX_DEPTH) {
        f->unsure = true;
        return facet_new(PRED_ANY, out);
    }
    if (facet_is(n, "data"))
        return facet_data(f, n, d, out);
    if (facet_is(n, "text"))
        return facet_new(PRED_ANY, out);
    if (facet_is(n, "value")) {
        const char *type = facet_prop(n, "type");

        if ((st = facet_new(PRED_VALUE, out)) != PC_OK)
            return st;
        (*out)->token = type == NULL || strcmp(type, "token") == 0;
        if (type != NULL && strcmp(type, "token") != 0 &&
            strcmp(type, "string") != 0)
            f->unsure = true;
        {
            xmlChar *raw = xmlNodeGetContent(n);
            struct strbuf b = STRBUF_INIT(0);

            if (raw == NULL)
                return PC_ENOMEM;
            if ((*out)->token) {
                st = facet_collapse((const char *)raw,
                                    strlen((const char *)raw), &b);
                (*out)->value = st == PC_OK ? strbuf_detach(&b) : NULL;
                strbuf_free(&b);
            } else {
                (*out)->value = strdup((const char *)raw);
            }
            xmlFree(raw);
            return (*out)->value != NULL ? PC_OK : PC_ENOMEM;
        }
    }
    if (facet_is(n, "ref")) {
        const char *name = facet_prop(n, "name");
        const xmlNode *def = name != NULL ? map_get(f->defines, name) : NULL;
        const xmlNode *body = def != NULL ? facet_first(def) : NULL;

        if (body == NULL || facet_next(body) != NULL) {
            f->unsure = true;
            return facet_new(PRED_ANY, out);
        }
        return facet_pred(f, body, depth + 1, d, out);
    }
    if (facet_is(n, "choice")) {
        if ((st = facet_new(PRED_CHOICE, out)) != PC_OK)
            return st;
        return facet_kids(f, n, depth, d, *out);
    }
    if (facet_is(n, "list")) {
        const xmlNode *item = facet_first(n);

        /* A list of one kind of item: every token is one. */
        if (item != NULL && facet_next(item) == NULL &&
            (facet_is(item, "oneOrMore") || facet_is(item, "zeroOrMore")))
            item = facet_first(item);
        if (item == NULL || facet_next(item) != NULL) {
            f->unsure = true;
            return facet_new(PRED_ANY, out);
        }
        if ((st = facet_new(PRED_LIST, out)) != PC_OK)
            return st;
        if (((*out)->kids = calloc(1, sizeof *(*out)->kids)) == NULL)
            return PC_ENOMEM;
        (*out)->nkids = 1;
        return facet_pred(f, item, depth + 1, d, &(*out)->kids[0]);
    }
    f->unsure = true;
    return facet_new(PRED_ANY, out);
}

static bool
facet_has_pattern(const struct pred *p)
{
    if (p->kind == PRED_PATTERN)
        return true;
    for (size_t i = 0; i < p->nkids; i++)
        if (facet_has_pattern(p->kids[i]))
            return true;
    return false;
}

/* The entry of element name elem, made on first use. */
static pc_status
facet_elem_of(struct facets *f, const char *elem, struct facet_elem **out)
{
    struct facet_elem *e = map_get(f->elems, elem);
    struct facet_elem **all;

    if (e == NULL) {
        if ((all = realloc(f->all, (f->nall + 1) * sizeof *all)) == NULL)
            return PC_ENOMEM;
        f->all = all;
        if ((e = calloc(1, sizeof *e)) == NULL)
            return PC_ENOMEM;
        f->all[f->nall++] = e;
        e->name = elem;
        if (map_put(f->elems, elem, e) != PC_OK)
            return PC_ENOMEM;
    }
    *out = e;
    return PC_OK;
}

static pc_status
facet_add(struct facets *f, const char *elem, const xmlNode *decl,
          struct pred *p)
{
    struct facet_elem *e = map_get(f->elems, elem);
    struct facet_attr *v;
    const char *name = facet_prop(decl, "name");
    pc_status st;

    for (size_t i = 0; e != NULL && i < e->n; i++)
        if (strcmp(e->v[i].name, name) == 0) {
            /* The same name declared twice for one element name: which
             * applies depends on context this table does not keep. */
            if (e->v[i].decl != decl)
                f->unsure = true;
            pred_free(p);
            return PC_OK;
        }
    if ((st = facet_elem_of(f, elem, &e)) != PC_OK) {
        pred_free(p);
        return st;
    }
    if ((v = realloc(e->v, (e->n + 1) * sizeof *v)) == NULL) {
        pred_free(p);
        return PC_ENOMEM;
    }
    e->v = v;
    e->v[e->n++] = (struct facet_attr){ name, p, decl };
    return PC_OK;
}

/* Element content typed by data or a list. Checked here only in whole
 * documents, and only as the element's entire content: a direct child
 * of its <element> (depth 0), the one typed content it has. Anything
 * else with a pattern is not ours to take: unsure. */
static pc_status
facet_text(struct facets *f, const char *elem, const xmlNode *decl,
           unsigned depth, pc_diags *d)
{
    struct pred *p = NULL;
    struct facet_elem *e;
    pc_status st;

    if ((st = facet_pred(f, decl, 0, d, &p)) != PC_OK ||
        !facet_has_pattern(p)) {
        pred_free(p);
        return st;
    }
    if (!f->whole || depth != 0) {
        f->unsure = true;
        pred_free(p);
        return PC_OK;
    }
    if ((st = facet_elem_of(f, elem, &e)) != PC_OK) {
        pred_free(p);
        return st;
    }
    if (e->text != NULL) {
        if (e->text_decl != decl)
            f->unsure = true;
        pred_free(p);
        return PC_OK;
    }
    e->text = p;
    e->text_decl = decl;
    return PC_OK;
}

/* The attributes of element `elem` in n's subtree, through refs, not
 * into nested elements. Patterns met outside an attribute: unsure. */
static pc_status
facet_walk(struct facets *f, const char *elem, const xmlNode *n, unsigned depth,
           pc_diags *d)
{
    pc_status st = PC_OK;

    if (depth > FACET_MAX_DEPTH) {
        f->unsure = true;
        return PC_OK;
    }
    for (xmlNode *c = facet_first(n); c != NULL && st == PC_OK;
         c = facet_next(c)) {
        if (facet_is(c, "element")) {
            continue;
        } else if (facet_is(c, "attribute")) {
            const char *name = facet_prop(c, "name");
            const xmlNode *body = facet_first(c);
            struct pred *p = NULL;

            if (name == NULL || (body != NULL && facet_next(body) != NULL)) {
                f->unsure = true;
                continue;
            }
            if (body == NULL)
                continue; /* text */
            if ((st = facet_pred(f, body, 0, d, &p)) != PC_OK) {
                pred_free(p);
                return st;
            }
            if (facet_has_pattern(p))
                st = facet_add(f, elem, c, p);
            else
                pred_free(p);
        } else if (facet_is(c, "ref")) {
            const char *name = facet_prop(c, "name");
            const xmlNode *def =
                name != NULL ? map_get(f->defines, name) : NULL;
            const xmlNode *body = def != NULL ? facet_first(def) : NULL;

            if (def == NULL) {
                f->unsure = true;
                continue;
            }
            /* The element's text named by a define: <ref name="text"/>
             * for <define name="text"><data .../></define>. */
            if (depth == 0 && body != NULL && facet_next(body) == NULL &&
                (facet_is(body, "data") || facet_is(body, "list"))) {
                st = facet_text(f, elem, body, depth, d);
                continue;
            }
            /* A define that is an element is another element's business. */
            st = facet_walk(f, elem, def, depth + 1, d);
        } else if (facet_is(c, "data") || facet_is(c, "list")) {
            st = facet_text(f, elem, c, depth, d);
        } else {
            st = facet_walk(f, elem, c, depth + 1, d);
        }
    }
    return st;
}

static pc_status
facet_elements(struct facets *f, const xmlNode *n, pc_diags *d)
{
    pc_status st = PC_OK;

    for (xmlNode *c = facet_first(n); c != NULL && st == PC_OK;
         c = facet_next(c)) {
        if (facet_is(c, "element")) {
            const char *name = facet_prop(c, "name");

            const xmlNode *prev;

            if (name == NULL || strchr(name, ':') != NULL ||
                facet_prop(c, "ns") != NULL) {
                f->unsure = true;
            } else {
                /* An element's text is checked by its name alone: two
                 * <element>s of one name may type it differently. */
                prev = map_get(f->seen, name);
                if (prev == NULL)
                    st = map_put(f->seen, name, c);
                else if (prev != c)
                    st = map_put(f->twice, name, c);
                if (st == PC_OK)
                    st = facet_walk(f, name, c, 0, d);
            }
        }
        if (st == PC_OK)
            st = facet_elements(f, c, d);
    }
    return st;
}

/* The facets to take out, each once: patterns are shared through
 * defines, so one <param> is reached from many attributes. */
static pc_status
facet_collect(const struct pred *p, xmlNode ***v, size_t *n)
{
    if (p->kind == PRED_PATTERN) {
        bool seen = false;

        for (size_t i = 0; i < *n && !seen; i++)
            seen = (*v)[i] == p->param;
        if (!seen) {
            xmlNode **nv = realloc(*v, (*n + 1) * sizeof *nv);

            if (nv == NULL)
                return PC_ENOMEM;
            *v = nv;
            (*v)[(*n)++] = p->param;
        }
    }
    for (size_t i = 0; i < p->nkids; i++)
        if (facet_collect(p->kids[i], v, n) != PC_OK)
            return PC_ENOMEM;
    return PC_OK;
}

static pc_status
facet_strip_as(xmlDoc *rng, bool whole, pc_diags *d, struct facets **out)
{
    struct facets *f = calloc(1, sizeof *f);
    xmlNode *root = xmlDocGetRootElement(rng);
    xmlNode **params = NULL;
    size_t nparams = 0;
    pc_status st = PC_OK;

    *out = NULL;
    if (f == NULL || (f->elems = map_new()) == NULL ||
        (f->defines = map_new()) == NULL || (f->seen = map_new()) == NULL ||
        (f->twice = map_new()) == NULL) {
        facet_free(f);
        return PC_ENOMEM;
    }
    f->whole = whole;
    if (!facet_is(root, "grammar") || facet_prop(root, "ns") == NULL)
        f->unsure = true;
    else if ((f->ns = strdup(facet_prop(root, "ns"))) == NULL) {
        facet_free(f);
        return PC_ENOMEM;
    }
    for (xmlNode *c = root != NULL ? facet_first(root) : NULL;
         c != NULL && st == PC_OK; c = facet_next(c)) {
        const char *name = facet_prop(c, "name");

        if (facet_is(c, "define") && name != NULL) {
            if (map_get(f->defines, name) != NULL || facet_prop(c, "combine"))
                f->unsure = true;
            st = map_put(f->defines, name, c);
        } else if (facet_is(c, "include") || facet_is(c, "div")) {
            f->unsure = true;
        }
    }
    if (st == PC_OK && root != NULL)
        st = facet_elements(f, root, d);
    for (size_t i = 0; i < f->nall && st == PC_OK; i++)
        if (f->all[i]->text != NULL &&
            map_get(f->twice, f->all[i]->name) != NULL)
            f->unsure = true;
    if (st != PC_OK || f->unsure) {
        /* Check nothing, take nothing: libxml2 keeps every pattern. */
        for (size_t i = 0; i < f->nall; i++) {
            for (size_t j = 0; j < f->all[i]->n; j++)
                pred_free(f->all[i]->v[j].pred);
            f->all[i]->n = 0;
            pred_free(f->all[i]->text);
            f->all[i]->text = NULL;
        }
        map_clear(f->elems);
        if (st != PC_OK) {
            facet_free(f);
            return st;
        }
    }
    for (size_t i = 0; i < f->nall && st == PC_OK; i++) {
        for (size_t j = 0; j < f->all[i]->n && st == PC_OK; j++)
            st = facet_collect(f->all[i]->v[j].pred, &params, &nparams);
        if (st == PC_OK && f->all[i]->text != NULL)
            st = facet_collect(f->all[i]->text, &params, &nparams);
    }
    if (st != PC_OK) {
        free(params);
        facet_free(f);
        return st;
    }
    for (size_t i = 0; i < nparams; i++) {
        xmlUnlinkNode(params[i]);
        xmlFreeNode(params[i]);
    }
    f->stripped = nparams;
    free(params);
    map_free(f->defines);
    map_free(f->seen);
    map_free(f->twice);
    f->defines = f->seen = f->twice = NULL;
    *out = f;
    return PC_OK;
}

pc_status
facet_strip(xmlDoc *rng, pc_diags *d, struct facets **out)
{
    return facet_strip_as(rng, false, d, out);
}

pc_status
facet_strip_whole(xmlDoc *rng, pc_diags *d, struct facets **out)
{
    return facet_strip_as(rng, true, d, out);
}

/* ------------------------------------------------------------------ */
/* Checking values. */

static bool
facet_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* s[0..len) with XML whitespace collapsed, into b. */
static pc_status
facet_collapse(const char *s, size_t len, struct strbuf *b)
{
    bool space = false;

    strbuf_reset(b);
    for (size_t i = 0; i < len; i++) {
        if (facet_space(s[i])) {
            space = b->len > 0;
            continue;
        }
        if (space && strbuf_putc(b, ' ') != PC_OK)
            return PC_ENOMEM;
        if (strbuf_putc(b, s[i]) != PC_OK)
            return PC_ENOMEM;
        space = false;
    }
    return strbuf_putc(b, '\0') == PC_OK ? PC_OK : PC_ENOMEM;
}

static int facet_eval(const struct pred *p, const char *s, size_t len,
                      struct strbuf *b, pc_diags *d, struct pc_loc loc);

static int
facet_eval_list(const struct pred *item, const char *s, size_t len,
                struct strbuf *b, pc_diags *d, struct pc_loc loc)
{
    size_t i = 0;

    while (i < len) {
        size_t j;
        int rc;

        while (i < len && facet_space(s[i]))
            i++;
        for (j = i; j < len && !facet_space(s[j]); j++)
            ;
        if (j > i && (rc = facet_eval(item, s + i, j - i, b, d, loc)) != 1)
            return rc;
        i = j;
    }
    return 1;
}

static int
facet_eval(const struct pred *p, const char *s, size_t len, struct strbuf *b,
           pc_diags *d, struct pc_loc loc)
{
    bool matched = false;
    const char *v = s;
    size_t n = len;

    switch (p->kind) {
    case PRED_ANY:
        return 1;
    case PRED_CHOICE:
        for (size_t i = 0; i < p->nkids; i++) {
            int rc = facet_eval(p->kids[i], s, len, b, d, loc);

            if (rc != 0)
                return rc;
        }
        return 0;
    case PRED_LIST:
        return facet_eval_list(p->kids[0], s, len, b, d, loc);
    case PRED_VALUE:
    case PRED_PATTERN:
        break;
    }
    if (p->token) {
        bool plain = len > 0 && !facet_space(s[0]) && !facet_space(s[len - 1]);

        for (size_t i = 0; plain && i < len; i++)
            plain =
                !facet_space(s[i]) || (s[i] == ' ' && !facet_space(s[i + 1]));
        if (!plain) {
            if (facet_collapse(s, len, b) != PC_OK)
                return FACET_NOMEM;
            v = b->ptr;
            n = b->len - 1;
        }
    }
    if (p->kind == PRED_VALUE)
        return strlen(p->value) == n && memcmp(p->value, v, n) == 0;
    switch (pattern_match(p->re, v, n, &matched, d, loc)) {
    case PC_OK:
        return matched ? 1 : 0;
    case PC_ENOMEM:
        return FACET_NOMEM;
    default:
        return -1;
    }
}

/* The text of an element typed by data: its text children, joined. One
 * with element children does not match data, which validation has said
 * already: nothing to add. */
static int
facet_check_text(const struct pred *p, const xmlNode *n, struct strbuf *b,
                 pc_diags *d, struct pc_loc loc)
{
    struct strbuf t = STRBUF_INIT(0);
    int rc;

    for (const xmlNode *c = n->children; c != NULL; c = c->next) {
        if (c->type == XML_ELEMENT_NODE) {
            strbuf_free(&t);
            return 1;
        }
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) &&
            c->content != NULL &&
            strbuf_add(&t, (const char *)c->content,
                       strlen((const char *)c->content)) != PC_OK) {
            strbuf_free(&t);
            return FACET_NOMEM;
        }
    }
    rc = facet_eval(p, t.len > 0 ? t.ptr : "", t.len, b, d, loc);
    strbuf_free(&t);
    return rc;
}

int
facet_check(const struct facets *f, const xmlNode *n, pc_diags *d,
            struct pc_loc loc)
{
    const struct facet_elem *e;
    struct strbuf b = STRBUF_INIT(0);
    int rc = 1;

    if (f == NULL || f->stripped == 0 || n->ns == NULL ||
        strcmp((const char *)n->ns->href, f->ns) != 0 ||
        (e = map_get(f->elems, (const char *)n->name)) == NULL)
        return 1;
    if (e->text != NULL)
        rc = facet_check_text(e->text, n, &b, d, loc);
    for (const xmlAttr *a = n->properties; a != NULL && rc == 1; a = a->next) {
        const char *value;

        if (a->ns != NULL)
            continue;
        for (size_t i = 0; i < e->n; i++) {
            if (strcmp(e->v[i].name, (const char *)a->name) != 0)
                continue;
            /* No entities: a value is one text node (or none: ""). */
            value = a->children != NULL && a->children->type == XML_TEXT_NODE &&
                            a->children->next == NULL
                        ? (const char *)a->children->content
                        : NULL;
            if (value == NULL && a->children != NULL) {
                rc = -1;
                break;
            }
            rc = facet_eval(e->v[i].pred, value != NULL ? value : "",
                            value != NULL ? strlen(value) : 0, &b, d, loc);
            break;
        }
    }
    strbuf_free(&b);
    return rc;
}
