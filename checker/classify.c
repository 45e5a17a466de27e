/* classify.c - field-name classifiers: read the classifiers file, compile
 * its patterns, and answer "which data element is this field?" by
 * normalising the name and trying each classifier in file order. Answers
 * are cached per distinct name behind a mutex, so one set serves every
 * audit thread. The file's vocabulary is data; nothing here knows it. */
#include "config.h"

#include "classify.h"

#include "diag.h"
#include "map.h"
#include "pattern.h"
#include "strbuf.h"
#include "xml.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define CLASSIFY_NS "urn:privcheck:classifiers:1"
#define CLASSIFY_CACHE_DEFAULT ((size_t)1 << 20)
/* The most a file may ask for in column-prefix-max. */
#define CLASSIFY_PREFIX_LIMIT 8

struct patv {
    struct pattern **v;
    size_t n, cap;
};

/* A <name> or <not> pattern and the context conditions it carries. */
struct cpat {
    struct pattern *p;
    struct pattern *ctx, *unless; /* context=, unless-context=; or NULL */
};

struct cpatv {
    struct cpat *v;
    size_t n, cap;
};

struct classifier {
    struct classify_info info; /* points into the members below */
    char *id, *element, *description;
    struct cpatv names, nots;
    struct patv values;
    /* Owned, though classify_example's strings are const for readers. */
    struct classify_example *examples;
    size_t nexamples, capexamples;
};

/* One test of the context made while a name was classified: a
 * conditioned pattern's condition (cp, its pc_context_check), or the
 * column-prefix test (cp NULL: whether the name's first plen letters
 * abbreviate the context). */
struct ctest {
    const struct cpat *cp;
    size_t plen;
    int outcome;
};
#define CLASSIFY_MAX_TESTS 16
/* The most paths kept for one name; past them, by-context entries. */
#define CLASSIFY_MAX_PATHS 32

/* A name's answer for every context whose tests come out as these did:
 * the classification is the same function of the name and of these
 * outcomes alone, so a context that repeats them gets the same answer
 * without running a classifier (a flow id in every context made the
 * by-context cache miss on every flow). Immutable once published. */
struct classify_path {
    struct classify_path *next;
    const struct classifier *c;
    const struct pattern *p;
    size_t ntests;
    struct ctest tests[CLASSIFY_MAX_TESTS];
};

/* A cached answer. c == NULL: no classifier recognised the name. In the
 * by-name cache, by_context marks a name whose answer depends on the
 * context: the answers are then its paths, or in the by-context cache. */
struct classify_entry {
    struct classify_entry *next; /* every entry, for classify_free */
    const struct classifier *c;
    const struct pattern *p;
    bool by_context;
    struct classify_path *paths; /* newest first; guarded by the lock */
    size_t npaths;
    char key[]; /* the cache key */
};

struct classify_set {
    char *path;
    char sha256[65];
    struct classifier *v;
    size_t n, cap;
    struct map *byid;  /* id -> struct classifier */
    size_t prefix_max; /* column-prefix-max; 0: names are tried whole */

    pthread_mutex_t lock; /* guards everything below */
    struct map *cache;    /* name -> struct classify_entry */
    struct map *ctxcache; /* ctx_key() -> struct classify_entry */
    struct classify_entry *entries;
    size_t cache_max, answers, hits, misses;
};

/* ------------------------------------------------------------------ */
/* Normalisation (documented in classify.h and classifiers.xml). */

static bool
cl_upper(int c)
{
    return c >= 'A' && c <= 'Z';
}

static bool
cl_lower(int c)
{
    return c >= 'a' && c <= 'z';
}

static bool
cl_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* Does a new word start at s[i], an upper-case letter with i > 0? */
static bool
cl_boundary(const unsigned char *s, size_t i)
{
    unsigned char prev = s[i - 1], next = s[i + 1];

    if (cl_lower(prev) || cl_digit(prev))
        return true; /* ccNumber, ipv4Address */
    if (!cl_upper(prev) || !cl_lower(next))
        return false; /* ABC, after a separator, after non-ASCII */
    /* The last capital of an acronym starts the next word (IPAddress),
     * unless it is a plural (IDs, URLs) or a version (IPv4). */
    if (next == 's' && !cl_lower(s[i + 2]))
        return false;
    if (cl_digit(s[i + 2]))
        return false;
    return true;
}

pc_status
classify_normalize(const char *name, struct strbuf *out)
{
    const unsigned char *s = (const unsigned char *)name;
    bool sep = false;
    pc_status st;

    strbuf_reset(out);
    /* Make the result a string even when nothing is added. */
    if ((st = strbuf_add(out, "", 0)) != PC_OK)
        return st;
    for (size_t i = 0; s[i] != '\0'; i++) {
        unsigned char c = s[i];

        if (c < 0x80 && !cl_upper(c) && !cl_lower(c) && !cl_digit(c)) {
            sep = true;
            continue;
        }
        if (cl_upper(c) && i > 0 && cl_boundary(s, i))
            sep = true;
        if (sep && out->len > 0 && (st = strbuf_putc(out, '_')) != PC_OK)
            return st;
        sep = false;
        if (cl_upper(c))
            c = (unsigned char)(c - 'A' + 'a');
        if ((st = strbuf_putc(out, (char)c)) != PC_OK)
            return st;
    }
    return PC_OK;
}

/* ------------------------------------------------------------------ */
/* Freeing. */

static void
patv_free(struct patv *pv)
{
    for (size_t i = 0; i < pv->n; i++)
        pattern_free(pv->v[i]);
    free(pv->v);
}

static pc_status
patv_push(struct patv *pv, struct pattern *p)
{
    if (pv->n == pv->cap) {
        size_t cap = pv->cap ? pv->cap * 2 : 4;
        struct pattern **v = realloc(pv->v, cap * sizeof *v);

        if (v == NULL)
            return PC_ENOMEM;
        pv->v = v;
        pv->cap = cap;
    }
    pv->v[pv->n++] = p;
    return PC_OK;
}

static void
cpat_free(struct cpat *cp)
{
    pattern_free(cp->p);
    pattern_free(cp->ctx);
    pattern_free(cp->unless);
}

static void
cpatv_free(struct cpatv *pv)
{
    for (size_t i = 0; i < pv->n; i++)
        cpat_free(&pv->v[i]);
    free(pv->v);
}

static pc_status
cpatv_push(struct cpatv *pv, const struct cpat *cp)
{
    if (pv->n == pv->cap) {
        size_t cap = pv->cap ? pv->cap * 2 : 4;
        struct cpat *v = realloc(pv->v, cap * sizeof *v);

        if (v == NULL)
            return PC_ENOMEM;
        pv->v = v;
        pv->cap = cap;
    }
    pv->v[pv->n++] = *cp;
    return PC_OK;
}

static void
classifier_clear(struct classifier *c)
{
    free(c->id);
    free(c->element);
    free(c->description);
    cpatv_free(&c->names);
    cpatv_free(&c->nots);
    patv_free(&c->values);
    for (size_t i = 0; i < c->nexamples; i++) {
        free((char *)c->examples[i].name);
        free((char *)c->examples[i].context);
    }
    free(c->examples);
}

void
classify_free(struct classify_set *cs)
{
    if (cs == NULL)
        return;
    for (size_t i = 0; i < cs->n; i++)
        classifier_clear(&cs->v[i]);
    free(cs->v);
    map_free(cs->byid);
    map_free(cs->cache);
    map_free(cs->ctxcache);
    while (cs->entries != NULL) {
        struct classify_entry *e = cs->entries;

        cs->entries = e->next;
        while (e->paths != NULL) {
            struct classify_path *q = e->paths;

            e->paths = q->next;
            free(q);
        }
        free(e);
    }
    pthread_mutex_destroy(&cs->lock);
    free(cs->path);
    free(cs);
}

/* ------------------------------------------------------------------ */
/* Loading. */

struct cload {
    struct classify_set *cs;
    xmlDoc *doc;
    pc_diags *d;
    pc_status first; /* first error, reported as the load's status */
};

/* Remember a failure and keep going, so that every problem is reported;
 * out of memory stops the load. */
static pc_status
cload_note(struct cload *L, pc_status st)
{
    if (st != PC_OK && L->first == PC_OK)
        L->first = st;
    return st == PC_ENOMEM ? st : PC_OK;
}

/* s without surrounding whitespace (inner whitespace is kept), malloc'd;
 * NULL when out of memory. */
static char *
cload_trim(const char *s)
{
    const char *e;

    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    e = s + strlen(s);
    while (e > s &&
           (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
        e--;
    return strndup(s, (size_t)(e - s));
}

/* Text of a pattern or example element: its content, trimmed. */
static char *
cload_text(const xmlNode *n)
{
    xmlChar *raw = xmlNodeGetContent(n);
    char *text;

    if (raw == NULL)
        return strdup("");
    text = cload_trim((const char *)raw);
    xmlFree(raw);
    return text;
}

/* Compile one pattern `text` of the classifier `owner`; `what` names it in
 * messages ("<name>", "context="). *out stays NULL on failure. */
static pc_status
cload_compile(struct cload *L, const char *owner, const char *what,
              const char *text, uint32_t flags, struct pc_loc loc,
              struct pattern **out)
{
    *out = NULL;
    if (text[0] == '\0')
        return diag_fail(L->d, PC_EINVALID, loc, "%s: empty %s pattern", owner,
                         what);
    return pattern_compile(text, flags, loc, owner, L->d, out);
}

/* A <value> pattern: raw values, case as given. */
static pc_status
cload_value(struct cload *L, const char *owner, const xmlNode *n,
            struct patv *pv)
{
    struct pc_loc loc = xml_loc(L->d, L->doc, n);
    struct pattern *p = NULL;
    char *text = cload_text(n);
    pc_status st;

    if (text == NULL)
        return PC_ENOMEM;
    st = cload_compile(L, owner, "<value>", text, 0, loc, &p);
    if (st == PC_OK && (st = patv_push(pv, p)) != PC_OK)
        pattern_free(p);
    free(text);
    return cload_note(L, st);
}

/* One context condition of a <name> or <not>: attribute `attr` of n,
 * compiled caselessly (contexts are normalised like names). Absent: *out
 * is NULL. Its compile errors name the classifier and the attribute. */
static pc_status
cload_condition(struct cload *L, const char *owner, const xmlNode *n,
                const char *attr, struct pc_loc loc, struct pattern **out)
{
    char *raw = xml_attr(n, attr), *text = NULL;
    struct strbuf who = STRBUF_INIT(0);
    pc_status st;

    *out = NULL;
    if (raw == NULL)
        return PC_OK;
    if ((text = cload_trim(raw)) == NULL ||
        (st = strbuf_printf(&who, "%s (%s=)", owner, attr)) != PC_OK) {
        st = PC_ENOMEM;
        goto out;
    }
    st = cload_compile(L, strbuf_str(&who), attr, text, PATTERN_CASELESS, loc,
                       out);
out:
    strbuf_free(&who);
    free(text);
    free(raw);
    return st;
}

/* A <name> or <not> pattern with its optional context conditions. Every
 * part is compiled, so that all errors are reported; any failure drops
 * the whole pattern. */
static pc_status
cload_cpattern(struct cload *L, struct classifier *c, const char *owner,
               const xmlNode *n, struct cpatv *pv)
{
    struct pc_loc loc = xml_loc(L->d, L->doc, n);
    struct cpat cp = { NULL, NULL, NULL };
    char *text = cload_text(n);
    const char *what = xml_is(n, CLASSIFY_NS, "name") ? "<name>" : "<not>";
    pc_status st[3];

    if (text == NULL)
        return PC_ENOMEM;
    st[0] = cload_compile(L, owner, what, text, PATTERN_CASELESS, loc, &cp.p);
    free(text);
    st[1] = cload_condition(L, owner, n, "context", loc, &cp.ctx);
    st[2] = cload_condition(L, owner, n, "unless-context", loc, &cp.unless);
    for (size_t i = 0; i < 3; i++)
        if (st[i] != PC_OK) {
            cpat_free(&cp);
            /* Out of memory anywhere stops the load. */
            for (size_t k = 0; k < 3; k++)
                if (st[k] == PC_ENOMEM)
                    return PC_ENOMEM;
            return cload_note(L, st[i]);
        }
    if ((st[0] = cpatv_push(pv, &cp)) != PC_OK) {
        cpat_free(&cp);
        return st[0];
    }
    if (cp.ctx != NULL || cp.unless != NULL)
        c->info.ncontextual++;
    return PC_OK;
}

/* An <example> or <counter-example>: stored for tests to check, never
 * matched at load (an example the classifiers get wrong is a test
 * failure, not a broken file). */
static pc_status
cload_example(struct cload *L, struct classifier *c, const char *owner,
              const xmlNode *n, bool counter)
{
    struct pc_loc loc = xml_loc(L->d, L->doc, n);
    struct classify_example *ex;
    char *name = cload_text(n), *ctx = xml_attr(n, "context");

    if (name == NULL) {
        free(ctx);
        return PC_ENOMEM;
    }
    if (name[0] == '\0') {
        free(name);
        free(ctx);
        return cload_note(L, diag_fail(L->d, PC_EINVALID, loc, "%s: empty <%s>",
                                       owner, (const char *)n->name));
    }
    if (c->nexamples == c->capexamples) {
        size_t cap = c->capexamples ? c->capexamples * 2 : 4;
        struct classify_example *v = realloc(c->examples, cap * sizeof *v);

        if (v == NULL) {
            free(name);
            free(ctx);
            return PC_ENOMEM;
        }
        c->examples = v;
        c->capexamples = cap;
    }
    ex = &c->examples[c->nexamples++];
    ex->name = name;
    ex->context = ctx;
    ex->counter = counter;
    ex->line = loc.line;
    return PC_OK;
}

static pc_status
cload_classifier(struct cload *L, const xmlNode *n)
{
    struct classify_set *cs = L->cs;
    struct pc_loc loc = xml_loc(L->d, L->doc, n);
    struct classifier *c;
    struct strbuf owner = STRBUF_INIT(0);
    char *sens = NULL;
    size_t nnames = 0; /* <name> elements, compiled or not */
    pc_status st = PC_OK;

    if (cs->n == cs->cap) {
        size_t cap = cs->cap ? cs->cap * 2 : 64;
        struct classifier *v = realloc(cs->v, cap * sizeof *v);

        if (v == NULL)
            return PC_ENOMEM;
        cs->v = v;
        cs->cap = cap;
    }
    c = &cs->v[cs->n++];
    memset(c, 0, sizeof *c);
    c->info.line = loc.line;
    c->id = xml_attr(n, "id");
    c->element = xml_attr(n, "element");
    sens = xml_attr(n, "sensitive");
    /* The schema says all this; the loader must not depend on a schema
     * having been given. */
    if (c->id == NULL || c->id[0] == '\0')
        st = cload_note(
            L, diag_fail(L->d, PC_EINVALID, loc, "<classifier> needs an id"));
    if (st == PC_OK && (c->element == NULL || c->element[0] == '\0'))
        st = cload_note(L, diag_fail(L->d, PC_EINVALID, loc,
                                     "classifier %s: needs an element",
                                     c->id != NULL ? c->id : "?"));
    if (st == PC_OK && sens != NULL && strcmp(sens, "true") != 0 &&
        strcmp(sens, "false") != 0)
        st = cload_note(L, diag_fail(L->d, PC_EINVALID, loc,
                                     "classifier %s: sensitive must be "
                                     "\"true\" or \"false\", not \"%s\"",
                                     c->id != NULL ? c->id : "?", sens));
    c->info.sensitive = sens != NULL && strcmp(sens, "true") == 0;
    if (st != PC_OK)
        goto out;
    if ((st = strbuf_printf(&owner, "classifier %s",
                            c->id != NULL ? c->id : "?")) != PC_OK)
        goto out;
    for (const xmlNode *k = n->children; k != NULL && st == PC_OK;
         k = k->next) {
        const char *who = strbuf_str(&owner);

        if (k->type != XML_ELEMENT_NODE)
            continue;
        if (xml_is(k, CLASSIFY_NS, "name")) {
            nnames++;
            st = cload_cpattern(L, c, who, k, &c->names);
        } else if (xml_is(k, CLASSIFY_NS, "not")) {
            st = cload_cpattern(L, c, who, k, &c->nots);
        } else if (xml_is(k, CLASSIFY_NS, "value")) {
            st = cload_value(L, who, k, &c->values);
        } else if (xml_is(k, CLASSIFY_NS, "example")) {
            st = cload_example(L, c, who, k, false);
        } else if (xml_is(k, CLASSIFY_NS, "counter-example")) {
            st = cload_example(L, c, who, k, true);
        } else if (xml_is(k, CLASSIFY_NS, "description") &&
                   c->description == NULL) {
            if ((c->description = xml_text(k)) == NULL)
                st = PC_ENOMEM;
        } else {
            st = cload_note(L, diag_fail(L->d, PC_EINVALID,
                                         xml_loc(L->d, L->doc, k),
                                         "%s: unexpected <%s>", who,
                                         (const char *)k->name));
        }
    }
    if (st == PC_OK && nnames == 0)
        st = cload_note(L, diag_fail(L->d, PC_EINVALID, loc,
                                     "%s: needs at least one <name> pattern",
                                     strbuf_str(&owner)));
out:
    c->info.id = c->id;
    c->info.element = c->element;
    c->info.description = c->description;
    c->info.nnames = c->names.n;
    c->info.nnots = c->nots.n;
    c->info.nvalues = c->values.n;
    c->info.examples = c->examples;
    c->info.nexamples = c->nexamples;
    strbuf_free(&owner);
    free(sens);
    return st;
}

/* Index by id once the vector no longer moves; report duplicates. */
static pc_status
cload_index(struct cload *L)
{
    struct classify_set *cs = L->cs;

    for (size_t i = 0; i < cs->n; i++) {
        struct classifier *c = &cs->v[i], *first;

        if (c->id == NULL)
            continue;
        first = map_get(cs->byid, c->id);
        if (first != NULL) {
            pc_status st = diag_fail(
                L->d, PC_EINVALID, diag_loc(L->d, cs->path, c->info.line, 0),
                "duplicate classifier id \"%s\" (first defined at line %u)",
                c->id, first->info.line);

            if (cload_note(L, st) != PC_OK)
                return PC_ENOMEM;
            continue;
        }
        if (map_put(cs->byid, c->id, c) != PC_OK)
            return PC_ENOMEM;
    }
    return PC_OK;
}

/* The root's column-prefix-max: a count of letters, at most
 * CLASSIFY_PREFIX_LIMIT; absent is 0. */
static pc_status
cload_prefix_max(struct cload *L, const xmlNode *root)
{
    char *raw = xml_attr(root, "column-prefix-max");
    size_t n = 0;
    bool ok = raw != NULL && raw[0] != '\0';

    if (raw == NULL)
        return PC_OK;
    for (const char *c = raw; ok && *c != '\0'; c++) {
        ok = cl_digit(*c) && n <= CLASSIFY_PREFIX_LIMIT;
        n = n * 10 + (size_t)(*c - '0');
    }
    if (ok && n <= CLASSIFY_PREFIX_LIMIT)
        L->cs->prefix_max = n;
    else
        cload_note(L, diag_fail(L->d, PC_EINVALID, xml_loc(L->d, L->doc, root),
                                "column-prefix-max must be a number from 0 "
                                "to %d, not \"%s\"",
                                CLASSIFY_PREFIX_LIMIT, raw));
    free(raw);
    return PC_OK;
}

pc_status
classify_load(const char *path, const char *schema, pc_diags *d,
              struct classify_set **out)
{
    struct cload L = { NULL, NULL, d, PC_OK };
    struct classify_set *cs;
    const xmlNode *root;
    pc_status st;

    *out = NULL;
    cs = calloc(1, sizeof *cs);
    if (cs == NULL)
        return PC_ENOMEM;
    if (pthread_mutex_init(&cs->lock, NULL) != 0) {
        free(cs);
        return PC_ENOMEM;
    }
    L.cs = cs;
    cs->cache_max = CLASSIFY_CACHE_DEFAULT;
    cs->path = strdup(path);
    cs->byid = map_new();
    cs->cache = map_new();
    cs->ctxcache = map_new();
    if (cs->path == NULL || cs->byid == NULL || cs->cache == NULL ||
        cs->ctxcache == NULL) {
        st = PC_ENOMEM;
        goto out;
    }
    if ((st = xml_load_data(path, schema, d, &L.doc, cs->sha256)) != PC_OK)
        goto out;
    root = xmlDocGetRootElement(L.doc);
    if (!xml_is(root, CLASSIFY_NS, "classifiers")) {
        st = diag_fail(d, PC_EINVALID, xml_loc(d, L.doc, root),
                       "not a classifiers file: the root must be "
                       "<classifiers xmlns=\"%s\">",
                       CLASSIFY_NS);
        goto out;
    }
    if ((st = cload_prefix_max(&L, root)) != PC_OK)
        goto out;
    for (const xmlNode *n = root->children; n != NULL; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (xml_is(n, CLASSIFY_NS, "classifier"))
            st = cload_classifier(&L, n);
        else
            st = cload_note(&L, diag_fail(d, PC_EINVALID, xml_loc(d, L.doc, n),
                                          "unexpected <%s> in <classifiers>",
                                          (const char *)n->name));
        if (st != PC_OK)
            goto out;
    }
    if (cs->n == 0)
        cload_note(&L, diag_fail(d, PC_EINVALID, xml_loc(d, L.doc, root),
                                 "no <classifier> in %s", path));
    if ((st = cload_index(&L)) != PC_OK)
        goto out;
    st = L.first;
out:
    /* libxml2 or xml_attr short of memory reads as a missing value:
     * what was loaded cannot be trusted either way. */
    st = xml_settle(st);
    xmlFreeDoc(L.doc);
    if (st != PC_OK) {
        classify_free(cs);
        return st;
    }
    *out = cs;
    return PC_OK;
}

/* ------------------------------------------------------------------ */
/* Matching. */

static void
classify_fill(struct classify_result *out, const struct classifier *c,
              const struct pattern *p)
{
    memset(out, 0, sizeof *out);
    if (c == NULL)
        return;
    out->element = c->element;
    out->classifier = c->id;
    out->pattern = pattern_source(p);
    out->sensitive = c->info.sensitive;
    out->line = c->info.line;
}

/* One classification under way: the normalised name, the context
 * (normalised when a condition first needs it), and where to report. */
struct cmatch {
    const char *name;
    size_t len;
    const char *rawctx; /* as given; "" for none */
    struct strbuf ctx;  /* normalised, once ctx_done */
    bool ctx_done;
    bool by_context; /* a conditioned pattern matched the name */
    bool vetoed;     /* a <not> vetoed a classifier */
    struct ctest tests[CLASSIFY_MAX_TESTS]; /* of the context, in order */
    size_t ntests;
    bool too_many_tests;
    pc_diags *d;
    struct pc_loc loc;
    void (*step)(void *, const struct pc_classify_step *);
    void *arg;
};

static pc_status
cmatch_context(struct cmatch *m)
{
    pc_status st;

    if (m->ctx_done)
        return PC_OK;
    if ((st = classify_normalize(m->rawctx, &m->ctx)) != PC_OK)
        return st;
    m->ctx_done = true;
    return PC_OK;
}

/* How cp's context condition turns out on the normalised context ctx
 * (cp has one). */
static pc_status
cmatch_test(const struct cpat *cp, const char *ctx, size_t len, pc_diags *d,
            struct pc_loc loc, pc_context_check *check)
{
    bool hit;
    pc_status st;

    if (cp->ctx != NULL) {
        if (len == 0) {
            *check = PC_CONTEXT_ABSENT;
            return PC_OK;
        }
        if ((st = pattern_match(cp->ctx, ctx, len, &hit, d, loc)) != PC_OK)
            return st;
        if (!hit) {
            *check = PC_CONTEXT_MISMATCH;
            return PC_OK;
        }
    }
    if (cp->unless != NULL && len > 0) {
        if ((st = pattern_match(cp->unless, ctx, len, &hit, d, loc)) != PC_OK)
            return st;
        if (hit) {
            *check = PC_CONTEXT_EXCLUDED;
            return PC_OK;
        }
    }
    *check = PC_CONTEXT_HELD;
    return PC_OK;
}

static void
cmatch_note_test(struct cmatch *m, const struct cpat *cp, size_t plen,
                 int outcome)
{
    if (m->ntests == CLASSIFY_MAX_TESTS) {
        m->too_many_tests = true;
        return;
    }
    m->tests[m->ntests++] = (struct ctest){ cp, plen, outcome };
}

/* Does cp's context condition hold? Sets *check to how it turned out. */
static pc_status
cmatch_condition(struct cmatch *m, const struct cpat *cp,
                 pc_context_check *check)
{
    pc_status st;

    *check = PC_CONTEXT_UNCONDITIONED;
    if (cp->ctx == NULL && cp->unless == NULL)
        return PC_OK;
    /* From here on the answer may differ in another context. */
    m->by_context = true;
    if ((st = cmatch_context(m)) != PC_OK)
        return st;
    if ((st = cmatch_test(cp, strbuf_str(&m->ctx), m->ctx.len, m->d, m->loc,
                          check)) != PC_OK)
        return st;
    cmatch_note_test(m, cp, 0, (int)*check);
    return PC_OK;
}

static void
cmatch_report(struct cmatch *m, pc_classify_event ev,
              const struct classifier *c, size_t index, const struct cpat *cp,
              pc_context_check check)
{
    struct pc_classify_step s;

    if (m->step == NULL)
        return;
    memset(&s, 0, sizeof s);
    s.event = ev;
    s.name = m->name;
    s.context = strbuf_str(&m->ctx);
    if (c != NULL) {
        s.classifier = c->id;
        s.element = c->element;
        s.line = c->info.line;
    }
    if (cp != NULL) {
        s.index = index + 1;
        s.pattern = pattern_source(cp->p);
        s.if_context = cp->ctx != NULL ? pattern_source(cp->ctx) : NULL;
        s.unless_context =
            cp->unless != NULL ? pattern_source(cp->unless) : NULL;
    }
    s.check = check;
    m->step(m->arg, &s);
}

/* The first pattern of pv that matches the name and whose condition
 * holds (*which, NULL when none); the others that matched the name only
 * are reported as `skipped`. */
static pc_status
cmatch_any(struct cmatch *m, const struct classifier *c, const struct cpatv *pv,
           pc_classify_event skipped, pc_classify_event counted,
           const struct cpat **which)
{
    *which = NULL;
    for (size_t i = 0; i < pv->n; i++) {
        const struct cpat *cp = &pv->v[i];
        pc_context_check check;
        bool hit;
        pc_status st =
            pattern_match(cp->p, m->name, m->len, &hit, m->d, m->loc);

        if (st != PC_OK)
            return st;
        if (!hit)
            continue;
        if ((st = cmatch_condition(m, cp, &check)) != PC_OK)
            return st;
        if (check == PC_CONTEXT_UNCONDITIONED || check == PC_CONTEXT_HELD) {
            cmatch_report(m, counted, c, i, cp, check);
            *which = cp;
            return PC_OK;
        }
        cmatch_report(m, skipped, c, i, cp, check);
    }
    return PC_OK;
}

static pc_status
cmatch_run(const struct classify_set *cs, struct cmatch *m,
           const struct classifier **cp, const struct pattern **pp)
{
    *cp = NULL;
    *pp = NULL;
    if (m->len == 0)
        return PC_OK; /* nothing left to recognise */
    for (size_t i = 0; i < cs->n; i++) {
        const struct classifier *c = &cs->v[i];
        const struct cpat *p, *veto;
        pc_status st;

        if ((st = cmatch_any(m, c, &c->names, PC_CLASSIFY_NAME_SKIPPED,
                             PC_CLASSIFY_NAME, &p)) != PC_OK)
            return st;
        if (p == NULL) {
            cmatch_report(m, PC_CLASSIFY_NO_NAME, c, 0, NULL, 0);
            continue;
        }
        if ((st = cmatch_any(m, c, &c->nots, PC_CLASSIFY_NOT_SKIPPED,
                             PC_CLASSIFY_VETOED, &veto)) != PC_OK)
            return st;
        if (veto != NULL) {
            m->vetoed = true;
            continue; /* a later classifier may still claim it */
        }
        cmatch_report(m, PC_CLASSIFY_CHOSEN, c, 0, NULL, 0);
        *cp = c;
        *pp = p->p;
        return PC_OK;
    }
    return PC_OK;
}

/* Does the word w (wlen letters) abbreviate the normalised context ctx:
 * its first letter starts a word of ctx and the others follow in order
 * (emp in hs_hr_employee, eexp in emp_work_experience)? */
static bool
cmatch_abbreviates(const char *w, size_t wlen, const char *ctx)
{
    for (size_t i = 0; ctx[i] != '\0'; i++) {
        size_t k = 1;

        if (ctx[i] != w[0] || (i > 0 && ctx[i - 1] != '_'))
            continue;
        for (const char *c = ctx + i + 1; *c != '\0' && k < wlen; c++)
            if (*c == w[k])
                k++;
        if (k == wlen)
            return true;
    }
    return false;
}

/* The length of the name's first word when it is a column prefix: 2 to
 * prefix_max ASCII letters, followed by at least two more characters,
 * that abbreviate the context. 0 otherwise. */
static pc_status
cmatch_prefix(const struct classify_set *cs, struct cmatch *m, size_t *plen)
{
    size_t n = 0;
    pc_status st;

    *plen = 0;
    while (n < m->len && cl_lower(m->name[n]))
        n++;
    if (n < 2 || n > cs->prefix_max || n + 3 > m->len || m->name[n] != '_')
        return PC_OK;
    /* Whatever the answer, it depends on the context now. */
    m->by_context = true;
    if ((st = cmatch_context(m)) != PC_OK)
        return st;
    if (cmatch_abbreviates(m->name, n, strbuf_str(&m->ctx)))
        *plen = n;
    cmatch_note_test(m, NULL, n, *plen != 0);
    return PC_OK;
}

/* Classify the name; when no classifier recognises it, none vetoed it
 * (a veto says what the whole name is not: group_avatar is no person's
 * photo) and its first word is a column prefix (an abbreviation of the
 * table, as in emp_lastname of hs_hr_employee), classify the rest of it
 * instead. */
static pc_status
cmatch_name(const struct classify_set *cs, struct cmatch *m,
            const struct classifier **cp, const struct pattern **pp)
{
    size_t plen;
    pc_status st;

    if ((st = cmatch_run(cs, m, cp, pp)) != PC_OK || *cp != NULL || m->vetoed ||
        cs->prefix_max == 0)
        return st;
    if ((st = cmatch_prefix(cs, m, &plen)) != PC_OK || plen == 0)
        return st;
    m->name += plen + 1;
    m->len -= plen + 1;
    cmatch_report(m, PC_CLASSIFY_PREFIX, NULL, 0, NULL, 0);
    return cmatch_run(cs, m, cp, pp);
}

/* Check the lengths and normalise the name into *norm. */
static pc_status
classify_prepare(const char *name, const char *context, pc_diags *d,
                 struct pc_loc loc, struct strbuf *norm)
{
    size_t len = strlen(name), clen = strlen(context);

    if (len > CLASSIFY_MAX_NAME)
        return diag_fail(d, PC_ELIMIT, loc,
                         "field name is %zu bytes long; the limit is %d", len,
                         CLASSIFY_MAX_NAME);
    if (clen > CLASSIFY_MAX_CONTEXT)
        return diag_fail(d, PC_ELIMIT, loc,
                         "field context is %zu bytes long; the limit is %d",
                         clen, CLASSIFY_MAX_CONTEXT);
    return classify_normalize(name, norm);
}

/* The by-context cache key: the name's length, then name and context, so
 * that no two (name, context) pairs share a key. */
static pc_status
ctx_key(const char *name, const char *context, struct strbuf *out)
{
    /* "LENGTH:NAMECONTEXT", without a format: built for every field
     * whose name is classified by its context. */
    char digits[24];
    size_t i = sizeof digits, n = strlen(name);
    pc_status st;

    do
        digits[--i] = (char)('0' + n % 10);
    while ((n /= 10) > 0);
    if ((st = strbuf_add(out, digits + i, sizeof digits - i)) == PC_OK &&
        (st = strbuf_putc(out, ':')) == PC_OK &&
        (st = strbuf_puts(out, name)) == PC_OK)
        st = strbuf_puts(out, context);
    return st;
}

static struct classify_entry *
entry_new(const char *key, const struct classifier *c, const struct pattern *p,
          bool by_context)
{
    size_t n = strlen(key);
    struct classify_entry *e = calloc(1, sizeof *e + n + 1);

    if (e == NULL)
        return NULL;
    memcpy(e->key, key, n + 1);
    e->c = c;
    e->p = p;
    e->by_context = by_context;
    return e;
}

/* Add e to map m (under the lock); on failure e is freed. */
static bool
entry_put(struct classify_set *cs, struct map *m, struct classify_entry *e)
{
    if (e == NULL)
        return false;
    if (map_put(m, e->key, e) != PC_OK) {
        free(e);
        return false;
    }
    e->next = cs->entries;
    cs->entries = e;
    return true;
}

/* Remember an answer (under the lock). Out of memory or a full cache only
 * costs a future recomputation. Two threads racing on one key computed
 * the same answer; the second insert is dropped. */
static void
classify_remember(struct classify_set *cs, const char *name, const char *key,
                  const struct classifier *c, const struct pattern *p,
                  const struct cmatch *m)
{
    size_t used = map_count(cs->cache) + map_count(cs->ctxcache);
    struct classify_entry *marker = map_get(cs->cache, name);
    bool by_context = m->by_context;

    if (by_context && !m->too_many_tests && used + 1 < cs->cache_max &&
        (marker == NULL || marker->npaths < CLASSIFY_MAX_PATHS)) {
        struct classify_path *q = calloc(1, sizeof *q);

        if (marker == NULL) {
            if (q == NULL ||
                !entry_put(cs, cs->cache, entry_new(name, NULL, NULL, true))) {
                free(q);
                return;
            }
            marker = map_get(cs->cache, name);
        }
        if (q == NULL)
            return;
        q->c = c;
        q->p = p;
        q->ntests = m->ntests;
        memcpy(q->tests, m->tests, m->ntests * sizeof q->tests[0]);
        q->next = marker->paths;
        marker->paths = q;
        marker->npaths++;
        cs->answers++;
        return;
    }
    if (!by_context) {
        if (marker == NULL && used < cs->cache_max &&
            entry_put(cs, cs->cache, entry_new(name, c, p, false)))
            cs->answers++;
        return;
    }
    if (map_get(cs->ctxcache, key) != NULL)
        return;
    /* The note that the name depends on its context, then the answer. */
    if (marker == NULL) {
        if (used + 2 > cs->cache_max ||
            !entry_put(cs, cs->cache, entry_new(name, NULL, NULL, true)))
            return;
        used++;
    }
    if (used < cs->cache_max &&
        entry_put(cs, cs->ctxcache, entry_new(key, c, p, false)))
        cs->answers++;
}

/* The normalised context, from memo when it is the one it holds (and
 * memo is then made to hold this one). */
static pc_status
classify_memo_context(const struct classify_set *cs, const char *context,
                      struct classify_memo *memo, struct strbuf *ctx)
{
    size_t n = strlen(context);
    pc_status st;

    if (memo != NULL && memo->valid && memo->cs == cs &&
        strcmp(memo->raw, context) == 0)
        return strbuf_add(ctx, memo->norm, memo->normlen);
    if ((st = classify_normalize(context, ctx)) != PC_OK || memo == NULL)
        return st;
    memo->valid = n < sizeof memo->raw && ctx->len < sizeof memo->norm;
    memo->cs = cs;
    memo->ntests = 0;
    if (memo->valid) {
        memcpy(memo->raw, context, n + 1);
        memcpy(memo->norm, strbuf_str(ctx), ctx->len + 1);
        memo->normlen = ctx->len;
    }
    return PC_OK;
}

/* cmatch_test, its outcome remembered in memo for the memo's context. */
static pc_status
classify_memo_test(const struct cpat *cp, const struct strbuf *ctx,
                   struct classify_memo *memo, pc_diags *d, struct pc_loc loc,
                   pc_context_check *check)
{
    pc_status st;

    for (size_t i = 0; memo != NULL && memo->valid && i < memo->ntests; i++)
        if (memo->tests[i].cp == cp) {
            *check = (pc_context_check)memo->tests[i].outcome;
            return PC_OK;
        }
    /* A test that cannot decide is not remembered: it fails each time. */
    if ((st = cmatch_test(cp, strbuf_str(ctx), ctx->len, d, loc, check)) !=
        PC_OK)
        return st;
    if (memo != NULL && memo->valid &&
        memo->ntests < sizeof memo->tests / sizeof memo->tests[0]) {
        memo->tests[memo->ntests].cp = cp;
        memo->tests[memo->ntests++].outcome = (int)*check;
    }
    return PC_OK;
}

/* The first of paths whose tests come out the same on this context
 * (*out NULL: none). A test replayed here is one a full classification
 * would make too, so a test that cannot decide fails the same way. */
static pc_status
classify_replay(const struct classify_set *cs,
                const struct classify_path *paths, const char *name,
                const char *context, struct classify_memo *memo, pc_diags *d,
                struct pc_loc loc, const struct classify_path **out)
{
    struct strbuf norm = STRBUF_INIT(2 * CLASSIFY_MAX_NAME);
    struct strbuf ctx = STRBUF_INIT(2 * CLASSIFY_MAX_CONTEXT);
    bool named = false; /* the name is normalised only when a test needs */
    pc_status st;

    *out = NULL;
    if ((st = classify_memo_context(cs, context, memo, &ctx)) != PC_OK) {
        /* Said by the full classification, which meets it too. */
        st = st == PC_ENOMEM ? st : PC_OK;
        goto out;
    }
    for (const struct classify_path *q = paths; q != NULL && *out == NULL;
         q = q->next) {
        bool same = true;

        for (size_t i = 0; i < q->ntests && same && st == PC_OK; i++) {
            const struct ctest *t = &q->tests[i];
            pc_context_check check;

            if (t->cp == NULL) {
                if (!named && (st = classify_normalize(name, &norm)) != PC_OK) {
                    st = st == PC_ENOMEM ? st : PC_OK;
                    goto out;
                }
                named = true;
                same =
                    cmatch_abbreviates(strbuf_str(&norm), t->plen,
                                       strbuf_str(&ctx)) == (t->outcome != 0);
            } else if ((st = classify_memo_test(t->cp, &ctx, memo, d, loc,
                                                &check)) == PC_OK)
                same = (int)check == t->outcome;
        }
        if (st != PC_OK)
            goto out;
        if (same)
            *out = q;
    }
out:
    strbuf_free(&norm);
    strbuf_free(&ctx);
    return st;
}

pc_status
classify_name(struct classify_set *cs, const char *name, const char *context,
              pc_diags *d, struct pc_loc loc, struct classify_result *out)
{
    return classify_name_memo(cs, name, context, NULL, d, loc, out);
}

pc_status
classify_name_memo(struct classify_set *cs, const char *name,
                   const char *context, struct classify_memo *memo, pc_diags *d,
                   struct pc_loc loc, struct classify_result *out)
{
    struct cmatch m = { 0 };
    struct strbuf norm = STRBUF_INIT(2 * CLASSIFY_MAX_NAME);
    struct strbuf key = STRBUF_INIT(0);
    const struct classify_entry *hit;
    const struct classify_path *paths, *path = NULL;
    const struct classifier *c;
    const struct pattern *p;
    pc_status st;

    classify_fill(out, NULL, NULL);
    m.ctx = (struct strbuf)STRBUF_INIT(2 * CLASSIFY_MAX_CONTEXT);
    if (name == NULL)
        name = "";
    if (context == NULL)
        context = "";
    /* Refuse what is too long before it is hashed (the message says so). */
    if (strlen(name) > CLASSIFY_MAX_NAME ||
        strlen(context) > CLASSIFY_MAX_CONTEXT)
        return classify_prepare(name, context, d, loc, &norm);
    pthread_mutex_lock(&cs->lock);
    hit = map_get(cs->cache, name);
    paths = hit != NULL && hit->by_context ? hit->paths : NULL;
    if (hit != NULL && hit->by_context) {
        /* The key is built under the lock only for names that need it. */
        if ((st = ctx_key(name, context, &key)) != PC_OK) {
            pthread_mutex_unlock(&cs->lock);
            goto out;
        }
        hit = map_get(cs->ctxcache, strbuf_str(&key));
    }
    pthread_mutex_unlock(&cs->lock);
    /* Paths never change once published: replayed outside the lock. */
    if (hit == NULL && paths != NULL &&
        (st = classify_replay(cs, paths, name, context, memo, d, loc, &path)) !=
            PC_OK)
        goto out;
    pthread_mutex_lock(&cs->lock);
    if (hit != NULL || path != NULL)
        cs->hits++;
    else
        cs->misses++;
    pthread_mutex_unlock(&cs->lock);
    if (hit != NULL || path != NULL) {
        if (hit != NULL)
            classify_fill(out, hit->c, hit->p);
        else
            classify_fill(out, path->c, path->p);
        st = PC_OK;
        goto out;
    }
    /* Match outside the lock: threads classifying different names do not
     * wait for each other. */
    if ((st = classify_prepare(name, context, d, loc, &norm)) != PC_OK)
        goto out;
    m.name = strbuf_str(&norm);
    m.len = norm.len;
    m.rawctx = context;
    m.d = d;
    m.loc = loc;
    if ((st = cmatch_name(cs, &m, &c, &p)) != PC_OK)
        goto out; /* not cached: the next occurrence reports it too */
    classify_fill(out, c, p);
    if (m.by_context && key.len == 0 &&
        (st = ctx_key(name, context, &key)) != PC_OK) {
        st = PC_OK; /* only costs a future recomputation */
        goto out;
    }
    pthread_mutex_lock(&cs->lock);
    classify_remember(cs, name, strbuf_str(&key), c, p, &m);
    pthread_mutex_unlock(&cs->lock);
out:
    strbuf_free(&m.ctx);
    strbuf_free(&key);
    strbuf_free(&norm);
    return st;
}

pc_status
classify_explain(const struct classify_set *cs, const char *name,
                 const char *context, pc_diags *d, struct pc_loc loc,
                 void (*step)(void *, const struct pc_classify_step *),
                 void *arg, struct classify_result *out)
{
    struct cmatch m = { 0 };
    struct strbuf norm = STRBUF_INIT(2 * CLASSIFY_MAX_NAME);
    const struct classifier *c;
    const struct pattern *p;
    pc_status st;

    classify_fill(out, NULL, NULL);
    m.ctx = (struct strbuf)STRBUF_INIT(2 * CLASSIFY_MAX_CONTEXT);
    if (name == NULL)
        name = "";
    if (context == NULL)
        context = "";
    if ((st = classify_prepare(name, context, d, loc, &norm)) != PC_OK)
        goto out;
    m.name = strbuf_str(&norm);
    m.len = norm.len;
    m.rawctx = context;
    m.d = d;
    m.loc = loc;
    m.step = step;
    m.arg = arg;
    /* The explanation shows the normalised context up front. */
    if ((st = cmatch_context(&m)) != PC_OK)
        goto out;
    cmatch_report(&m, PC_CLASSIFY_START, NULL, 0, NULL, 0);
    if ((st = cmatch_name(cs, &m, &c, &p)) != PC_OK)
        goto out;
    if (c == NULL)
        cmatch_report(&m, PC_CLASSIFY_NONE, NULL, 0, NULL, 0);
    classify_fill(out, c, p);
out:
    strbuf_free(&m.ctx);
    strbuf_free(&norm);
    return st;
}

pc_status
classify_value(const struct classify_set *cs, const char *value, pc_diags *d,
               struct pc_loc loc, struct classify_result *out)
{
    size_t len;

    classify_fill(out, NULL, NULL);
    if (value == NULL)
        return PC_OK;
    len = strlen(value);
    for (size_t i = 0; i < cs->n; i++) {
        const struct classifier *c = &cs->v[i];

        for (size_t k = 0; k < c->values.n; k++) {
            bool hit;
            pc_status st =
                pattern_match(c->values.v[k], value, len, &hit, d, loc);

            if (st != PC_OK)
                return st;
            if (hit) {
                classify_fill(out, c, c->values.v[k]);
                return PC_OK;
            }
        }
    }
    return PC_OK;
}

/* ------------------------------------------------------------------ */
/* Accessors. */

const char *
classify_sha256(const struct classify_set *cs)
{
    return cs->sha256;
}

const char *
classify_path(const struct classify_set *cs)
{
    return cs->path;
}

size_t
classify_count(const struct classify_set *cs)
{
    return cs->n;
}

const struct classify_info *
classify_get(const struct classify_set *cs, size_t i)
{
    return i < cs->n ? &cs->v[i].info : NULL;
}

const struct classify_info *
classify_find(const struct classify_set *cs, const char *id)
{
    const struct classifier *c = map_get(cs->byid, id);

    return c != NULL ? &c->info : NULL;
}

void
classify_stats(struct classify_set *cs, struct classify_stats *out)
{
    pthread_mutex_lock(&cs->lock);
    out->entries = cs->answers;
    out->hits = cs->hits;
    out->misses = cs->misses;
    pthread_mutex_unlock(&cs->lock);
}

void
classify_set_cache_limit(struct classify_set *cs, size_t max)
{
    pthread_mutex_lock(&cs->lock);
    cs->cache_max = max;
    pthread_mutex_unlock(&cs->lock);
}
