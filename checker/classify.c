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

struct patv {
    struct pattern **v;
    size_t n, cap;
};

struct classifier {
    struct classify_info info; /* points into the members below */
    char *id, *element, *description;
    struct patv names, nots, values;
};

/* A cached answer. c == NULL: no classifier recognised the name. */
struct classify_entry {
    struct classify_entry *next; /* every entry, for classify_free */
    const struct classifier *c;
    const struct pattern *p;
    char name[]; /* the name as given: the cache key */
};

struct classify_set {
    char *path;
    char sha256[65];
    struct classifier *v;
    size_t n, cap;
    struct map *byid; /* id -> struct classifier */

    pthread_mutex_t lock; /* guards everything below */
    struct map *cache;    /* name -> struct classify_entry */
    struct classify_entry *entries;
    size_t cache_max, hits, misses;
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
classifier_clear(struct classifier *c)
{
    free(c->id);
    free(c->element);
    free(c->description);
    patv_free(&c->names);
    patv_free(&c->nots);
    patv_free(&c->values);
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
    while (cs->entries != NULL) {
        struct classify_entry *e = cs->entries;

        cs->entries = e->next;
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

/* Text of a pattern element: its content with surrounding whitespace
 * removed (inner whitespace is kept). NULL when out of memory. */
static char *
cload_pattern_text(const xmlNode *n)
{
    xmlChar *raw = xmlNodeGetContent(n);
    const char *s, *e;
    char *text;

    if (raw == NULL)
        return strdup("");
    s = (const char *)raw;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    e = s + strlen(s);
    while (e > s &&
           (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
        e--;
    text = strndup(s, (size_t)(e - s));
    xmlFree(raw);
    return text;
}

static pc_status
cload_pattern(struct cload *L, const char *owner, const xmlNode *n,
              struct patv *pv, uint32_t flags)
{
    struct pc_loc loc = xml_loc(L->d, L->doc, n);
    struct pattern *p = NULL;
    char *text = cload_pattern_text(n);
    pc_status st;

    if (text == NULL)
        return PC_ENOMEM;
    if (text[0] == '\0') {
        st = diag_fail(L->d, PC_EINVALID, loc, "%s: empty <%s> pattern", owner,
                       (const char *)n->name);
    } else {
        st = pattern_compile(text, flags, loc, owner, L->d, &p);
        if (st == PC_OK && (st = patv_push(pv, p)) != PC_OK)
            pattern_free(p);
    }
    free(text);
    return cload_note(L, st);
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
        if (k->type != XML_ELEMENT_NODE)
            continue;
        if (xml_is(k, CLASSIFY_NS, "name")) {
            nnames++;
            st = cload_pattern(L, strbuf_str(&owner), k, &c->names,
                               PATTERN_CASELESS);
        } else if (xml_is(k, CLASSIFY_NS, "not"))
            st = cload_pattern(L, strbuf_str(&owner), k, &c->nots,
                               PATTERN_CASELESS);
        else if (xml_is(k, CLASSIFY_NS, "value"))
            st = cload_pattern(L, strbuf_str(&owner), k, &c->values, 0);
        else if (xml_is(k, CLASSIFY_NS, "description") &&
                 c->description == NULL) {
            if ((c->description = xml_text(k)) == NULL)
                st = PC_ENOMEM;
        } else
            st = cload_note(
                L, diag_fail(L->d, PC_EINVALID, xml_loc(L->d, L->doc, k),
                             "%s: unexpected <%s>", strbuf_str(&owner),
                             (const char *)k->name));
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
    if (cs->path == NULL || cs->byid == NULL || cs->cache == NULL) {
        st = PC_ENOMEM;
        goto out;
    }
    if ((st = xml_load(path, schema, d, &L.doc, cs->sha256)) != PC_OK)
        goto out;
    root = xmlDocGetRootElement(L.doc);
    if (!xml_is(root, CLASSIFY_NS, "classifiers")) {
        st = diag_fail(d, PC_EINVALID, xml_loc(d, L.doc, root),
                       "not a classifiers file: the root must be "
                       "<classifiers xmlns=\"%s\">",
                       CLASSIFY_NS);
        goto out;
    }
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

/* Does any pattern of pv match s? *which is the first that does. */
static pc_status
classify_any(const struct patv *pv, const char *s, size_t len, pc_diags *d,
             struct pc_loc loc, const struct pattern **which)
{
    *which = NULL;
    for (size_t i = 0; i < pv->n; i++) {
        bool m;
        pc_status st = pattern_match(pv->v[i], s, len, &m, d, loc);

        if (st != PC_OK)
            return st;
        if (m) {
            *which = pv->v[i];
            return PC_OK;
        }
    }
    return PC_OK;
}

static pc_status
classify_match(const struct classify_set *cs, const char *norm, pc_diags *d,
               struct pc_loc loc, const struct classifier **cp,
               const struct pattern **pp)
{
    size_t len = strlen(norm);

    *cp = NULL;
    *pp = NULL;
    if (len == 0)
        return PC_OK; /* nothing left to recognise */
    for (size_t i = 0; i < cs->n; i++) {
        const struct classifier *c = &cs->v[i];
        const struct pattern *p, *veto;
        pc_status st;

        if ((st = classify_any(&c->names, norm, len, d, loc, &p)) != PC_OK)
            return st;
        if (p == NULL)
            continue;
        if ((st = classify_any(&c->nots, norm, len, d, loc, &veto)) != PC_OK)
            return st;
        if (veto != NULL)
            continue; /* a later classifier may still claim it */
        *cp = c;
        *pp = p;
        return PC_OK;
    }
    return PC_OK;
}

pc_status
classify_name(struct classify_set *cs, const char *name, pc_diags *d,
              struct pc_loc loc, struct classify_result *out)
{
    struct strbuf norm = STRBUF_INIT(2 * CLASSIFY_MAX_NAME);
    const struct classify_entry *hit;
    const struct classifier *c;
    const struct pattern *p;
    size_t len;
    pc_status st;

    classify_fill(out, NULL, NULL);
    if (name == NULL)
        name = "";
    len = strlen(name);
    if (len > CLASSIFY_MAX_NAME)
        return diag_fail(d, PC_ELIMIT, loc,
                         "field name is %zu bytes long; the limit is %d", len,
                         CLASSIFY_MAX_NAME);
    pthread_mutex_lock(&cs->lock);
    hit = map_get(cs->cache, name);
    if (hit != NULL)
        cs->hits++;
    else
        cs->misses++;
    pthread_mutex_unlock(&cs->lock);
    if (hit != NULL) {
        classify_fill(out, hit->c, hit->p);
        return PC_OK;
    }
    /* Match outside the lock: threads classifying different names do not
     * wait for each other; two threads racing on one name compute the
     * same answer and the second insert is dropped. */
    if ((st = classify_normalize(name, &norm)) != PC_OK)
        goto out;
    if ((st = classify_match(cs, strbuf_str(&norm), d, loc, &c, &p)) != PC_OK)
        goto out; /* not cached: the next occurrence reports it too */
    classify_fill(out, c, p);
    pthread_mutex_lock(&cs->lock);
    if (map_count(cs->cache) < cs->cache_max &&
        map_get(cs->cache, name) == NULL) {
        struct classify_entry *e = malloc(sizeof *e + len + 1);

        if (e != NULL) {
            memcpy(e->name, name, len + 1);
            e->c = c;
            e->p = p;
            if (map_put(cs->cache, e->name, e) == PC_OK) {
                e->next = cs->entries;
                cs->entries = e;
            } else {
                free(e);
            }
        }
        /* Out of memory here only costs a future recomputation. */
    }
    pthread_mutex_unlock(&cs->lock);
out:
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
        const struct pattern *p;
        pc_status st = classify_any(&c->values, value, len, d, loc, &p);

        if (st != PC_OK)
            return st;
        if (p != NULL) {
            classify_fill(out, c, p);
            return PC_OK;
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
    out->entries = map_count(cs->cache);
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
