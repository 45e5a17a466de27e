/* eval.c - the evaluator: streams a manifest, builds each element as an
 * object, and runs the compiled checks over it. Flows are the one element
 * that can be numerous, so a flow is checked as soon as it is complete and
 * then freed; only what cross-references need is kept: the declarations,
 * the ids and per-store aggregates, and the flows that checks must see
 * again at the end (flows that read back from a store, and any flow when a
 * flow check reads an element the format puts after the flows). Everything
 * else is evaluated once the whole manifest has been read. */
#include "config.h"

#include "eval-int.h"

#include "classify.h"
#include "diag.h"
#include "limit.h"
#include "disclose.h"
#include "manifest.h"
#include "map.h"
#include "pattern.h"
#include "policy.h"
#include "results.h"
#include "rule.h"
#include "sha256.h"
#include "strbuf.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Names from the manifest format (DESIGN §4), not from any policy. */
#define KIND_STREAMED "flow" /* checked when complete, then freed */
#define KIND_FIELD "field"   /* the data items of a flow */
#define KIND_STORE "store"
#define ATTR_ID "id"
#define ATTR_TO "to"         /* where a flow's data goes */
#define ATTR_SOURCE "source" /* where it comes from (may be a store) */
#define ATTR_PURPOSE "purpose"
#define ATTR_NAME "name"
#define ATTR_CATEGORY "category"
#define ATTR_TABLE "table" /* the table or object a field lives in */

#define EVAL_ARENA_MAX (64u << 20)

/* The attributes the evaluator computes, and the policy ids they hold. */
static const struct {
    const char *name;
    enum derived_attr code;
    bool field_only;
    const char *names; /* as struct func's result; NULL: not policy ids */
} derived_table[] = {
    { "repeated", DERIVED_REPEATED, false, NULL },
    { "first-line", DERIVED_FIRST_LINE, false, NULL },
    { "line", DERIVED_LINE, false, NULL },
    { "element", DERIVED_ELEMENT, true, "data" },
    { "categories", DERIVED_CATEGORIES, true, "data" },
    { "sensitive", DERIVED_SENSITIVE, true, NULL },
    { "classified", DERIVED_CLASSIFIED, true, "data" },
    { "classifier", DERIVED_CLASSIFIER, true, NULL },
    { "declared", DERIVED_DECLARED, true, "data" },
    { "classified-sensitive", DERIVED_CLASSIFIED_SENSITIVE, true, NULL },
    { "mislabelled", DERIVED_MISLABELLED, true, NULL },
};

enum derived_attr
eval_derived_attr(const char *kind, const char *attr)
{
    for (size_t i = 0; i < sizeof derived_table / sizeof derived_table[0]; i++)
        if (strcmp(derived_table[i].name, attr) == 0 &&
            (!derived_table[i].field_only || strcmp(kind, KIND_FIELD) == 0))
            return derived_table[i].code;
    return DERIVED_NONE;
}

const char *
eval_derived_names(enum derived_attr code)
{
    for (size_t i = 0; i < sizeof derived_table / sizeof derived_table[0]; i++)
        if (derived_table[i].code == code)
            return derived_table[i].names;
    return NULL;
}

/* ------------------------------------------------------------------ */
/* Objects. */

static void
obj_free(struct obj *o)
{
    if (o == NULL)
        return;
    for (size_t i = 0; i < o->nkids; i++)
        obj_free(o->kids[i]);
    free(o->kids);
    strv_free(&o->categories);
    free(o); /* the block holds its strings and arrays (obj_new) */
}

static bool
obj_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The items s splits into: whitespace-separated for a list, else one. */
static size_t
obj_count_items(const char *s, bool list)
{
    size_t n = 0;

    if (!list)
        return 1;
    for (const char *p = s; *p != '\0';) {
        while (obj_space(*p))
            p++;
        if (*p == '\0')
            break;
        n++;
        while (*p != '\0' && !obj_space(*p))
            p++;
    }
    return n;
}

/* Split s in place into its items, into v (obj_count_items of them). */
static void
obj_split(char *s, bool list, const char **v, struct val *out)
{
    size_t n = 0;

    out->v = v;
    if (!list) {
        v[n++] = s;
    } else {
        for (char *p = s; *p != '\0';) {
            while (obj_space(*p))
                p++;
            if (*p == '\0')
                break;
            v[n++] = p;
            while (*p != '\0' && !obj_space(*p))
                p++;
            if (*p != '\0')
                *p++ = '\0';
        }
    }
    out->n = n;
}

/* The i-th attribute an object for n has: the written ones, then the
 * defaults the schema gives for attributes not written. False past the
 * last. */
static bool
obj_nth_attr(const struct schema_attrs *sa, const struct manifest_node *n,
             size_t *i, const char **name, const char **value)
{
    for (;;) {
        size_t k = (*i)++;
        bool written = false;

        if (k < n->nattrs) {
            *name = n->attrs[k].name;
            *value = n->attrs[k].value;
            return true;
        }
        if (!schema_attrs_defaults(sa, n->kind, k - n->nattrs, name, value))
            return false;
        for (size_t j = 0; j < n->nattrs && !written; j++)
            written = strcmp(n->attrs[j].name, *name) == 0;
        for (size_t j = 0; j < k - n->nattrs && !written; j++) {
            const char *dn, *dv;

            written = schema_attrs_defaults(sa, n->kind, j, &dn, &dv) &&
                      strcmp(dn, *name) == 0;
        }
        if (!written)
            return true;
    }
}

/* A new object for element n, in one block: the struct, its arrays, its
 * strings (a flow kept to the end of the manifest costs one allocation,
 * not sixty). Attributes the manifest schema makes lists (<list> in
 * manifest.rng) are split into their items. */
static pc_status
obj_new(const struct schema_attrs *sa, const struct manifest_node *n,
        struct obj *parent, struct obj **out)
{
    /* What names an element in its object path, first found first. A
     * waiver is named by what it waives. */
    static const char *const keys[] = { ATTR_ID, ATTR_NAME,     "right",
                                        "store", "fingerprint", "rule" };
    size_t nattrs = 0, nitems = 0, bytes = strlen(n->kind) + 1, size;
    const char *name, *value;
    struct obj *o;
    char *p;

    /* Whether each attribute is a list, asked of the schema once: the
     * first pass sizes the block, the second fills it. */
    bool lists[64];

    for (size_t i = 0; obj_nth_attr(sa, n, &i, &name, &value);) {
        bool list = schema_attrs_is_list(sa, n->kind, name);

        if (nattrs < sizeof lists / sizeof lists[0])
            lists[nattrs] = list;
        nattrs++;
        nitems += obj_count_items(value, list);
        bytes += strlen(name) + strlen(value) + 2;
    }
    size = sizeof *o + nattrs * (2 * sizeof(char *) + sizeof(struct val)) +
           nitems * sizeof(char *) + bytes;
    if ((o = calloc(1, size)) == NULL)
        return PC_ENOMEM;
    o->names = (char **)(void *)(o + 1);
    o->raw = o->names + nattrs;
    o->vals = (struct val *)(void *)(o->raw + nattrs);
    const char **items = (const char **)(void *)(o->vals + nattrs);
    p = (char *)(void *)(items + nitems);
    o->kind = p;
    p = stpcpy(p, n->kind) + 1;
    o->line = n->line;
    o->parent = parent;
    for (size_t i = 0; obj_nth_attr(sa, n, &i, &name, &value);) {
        size_t k = o->nattrs++;

        o->names[k] = p;
        p = stpcpy(p, name) + 1;
        /* raw[k] is split in place; the items of vals[k] point into it. */
        o->raw[k] = p;
        p = stpcpy(p, value) + 1;
        obj_split(o->raw[k],
                  k < sizeof lists / sizeof lists[0]
                      ? lists[k]
                      : schema_attrs_is_list(sa, n->kind, name),
                  items, &o->vals[k]);
        items += o->vals[k].n;
    }
    for (size_t i = 0; i < sizeof keys / sizeof keys[0] && !o->key; i++) {
        struct val v = eval_attr(o, keys[i]);

        if (v.n > 0)
            o->key = v.v[0];
    }
    *out = o;
    return PC_OK;
}

struct val
eval_attr(const struct obj *o, const char *name)
{
    struct val none = { NULL, 0 };

    /* The first letter first: most names differ there. */
    for (size_t i = 0; i < o->nattrs; i++)
        if (o->names[i][0] == name[0] && strcmp(o->names[i], name) == 0)
            return o->vals[i];
    return none;
}

static const char *
obj_attr1(const struct obj *o, const char *name)
{
    struct val v = eval_attr(o, name);

    return v.n > 0 ? v.v[0] : NULL;
}

static pc_status
objlist_push(struct objlist *l, struct obj *o)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        struct obj **v = realloc(l->v, cap * sizeof *v);

        if (v == NULL)
            return PC_ENOMEM;
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = o;
    return PC_OK;
}

const struct objlist *
eval_kind(const struct mstate *ms, const char *kind)
{
    return map_get(ms->kinds, kind);
}

pc_status
strset_add(struct strset *s, const char *str)
{
    pc_status st;

    if (s->m == NULL && (s->m = map_new()) == NULL)
        return PC_ENOMEM;
    if (map_get(s->m, str) != NULL)
        return PC_OK;
    if ((st = strv_push(&s->v, str)) != PC_OK)
        return st;
    /* The key is the vector's own copy, which lives as long as the map. */
    return map_put(s->m, s->v.v[s->v.n - 1], (void *)1);
}

pc_status
member_init(struct mstate *ms, struct member *mb, const struct val *v)
{
    pc_status st = PC_OK;

    mb->v = v;
    mb->m = NULL;
    mb->owned = false;
    if (v->n <= MEMBER_LINEAR)
        return PC_OK;
    for (size_t i = 0; i < ms->nlists; i++)
        if (ms->lists[i]->ids == v->v && ms->lists[i]->nids == v->n &&
            ms->lists[i]->ids_at == ms->lists[i]->n + 1) {
            mb->m = ms->lists[i]->idmap;
            return PC_OK;
        }
    for (size_t i = 0; i < ms->nconsts; i++)
        if (ms->consts[i].v.v == v->v && ms->consts[i].v.n == v->n &&
            ms->consts[i].m != NULL) {
            mb->m = ms->consts[i].m;
            return PC_OK;
        }
    if ((mb->m = map_new()) == NULL)
        return PC_ENOMEM;
    mb->owned = true;
    for (size_t i = 0; i < v->n && st == PC_OK; i++)
        st = map_put(mb->m, v->v[i], (void *)1);
    return st;
}

bool
member_has(const struct member *mb, const char *s)
{
    return mb->m != NULL ? map_get(mb->m, s) != NULL : val_has(mb->v, s);
}

void
member_free(struct member *mb)
{
    if (mb->owned)
        map_free(mb->m);
    mb->m = NULL;
}

static void
strset_free(struct strset *s)
{
    strv_free(&s->v);
    map_free(s->m);
    s->m = NULL;
}

pc_status
eval_ids(struct mstate *ms, const char *kind, struct val *out)
{
    struct objlist *ol = map_get(ms->kinds, kind);
    struct map *seen;
    pc_status st = PC_OK;

    out->v = NULL;
    out->n = 0;
    if (ol == NULL)
        return PC_OK;
    if (ol->ids_at != ol->n + 1) {
        const char **v = realloc(ol->ids, (ol->n + 1) * sizeof *v);

        if (v == NULL || (seen = map_new()) == NULL) {
            free(v);
            ol->ids = NULL;
            ol->ids_at = 0;
            return PC_ENOMEM;
        }
        ol->ids = v;
        ol->nids = 0;
        for (size_t i = 0; i < ol->n && st == PC_OK; i++) {
            struct val id = eval_attr(ol->v[i], ATTR_ID);

            if (id.n == 0 || map_get(seen, id.v[0]) != NULL)
                continue;
            ol->ids[ol->nids++] = id.v[0];
            st = map_put(seen, id.v[0], (void *)1);
        }
        map_free(ol->idmap);
        ol->idmap = seen;
        if (st != PC_OK) {
            ol->ids_at = 0;
            return st;
        }
        ol->ids_at = ol->n + 1;
    }
    out->v = ol->ids;
    out->n = ol->nids;
    return PC_OK;
}

/* ------------------------------------------------------------------ */
/* Manifest state. */

static void
mstate_free(struct mstate *ms)
{
    /* `all` owns the declarations; `retained` and `unit` own flows, and a
     * flow owns its fields. */
    for (size_t i = 0; i < ms->all.n; i++)
        obj_free(ms->all.v[i]);
    free(ms->all.v);
    for (size_t i = 0; i < ms->retained.n; i++)
        obj_free(ms->retained.v[i]);
    free(ms->retained.v);
    obj_free(ms->unit);
    for (size_t i = 0; i < ms->nlists; i++) {
        free(ms->lists[i]->v);
        free(ms->lists[i]->ids);
        map_free(ms->lists[i]->idmap);
        free(ms->lists[i]);
    }
    free(ms->lists);
    map_free(ms->kinds);
    map_free(ms->ids);
    strv_free(&ms->idkeys);
    for (size_t i = 0; i < ms->naggs; i++) {
        for (size_t j = 0; j < ms->aggs[i]->n; j++) {
            struct subjagg *sg = &ms->aggs[i]->v[j];

            strset_free(&sg->elements);
            strset_free(&sg->categories);
            strset_free(&sg->purpose_fields);
            free(sg->subject);
        }
        free(ms->aggs[i]->v);
        free(ms->aggs[i]);
    }
    free(ms->aggs);
    map_free(ms->stores);
    for (size_t i = 0; i < ms->nwanted; i++) {
        strv_free(ms->wanted_sets[i]);
        free(ms->wanted_sets[i]);
    }
    free(ms->wanted_sets);
    map_free(ms->wanted);
    for (size_t i = 0; i < ms->nconsts; i++) {
        free(ms->consts[i].v.v);
        map_free(ms->consts[i].m);
    }
    free(ms->late);
    map_free(ms->siblings);
    strv_free(&ms->sibkeys);
    map_free(ms->unit_keys);
    strv_free(&ms->unit_keystore);
    free(ms->exercised);
    strset_free(&ms->noted_data);
    strset_free(&ms->noted_purposes);
    arena_free(&ms->arena);
}

/* ------------------------------------------------------------------ */
/* What a field is, according to the manifest, the classifiers and the
 * policy. */

/* Add the categories of one element id to f->categories. */
static pc_status
field_add_element(struct mstate *ms, struct obj *f, const char *id)
{
    const pc_policy *p = ms->e->policy;
    const struct policy_element *el;
    const struct policy_category *cat;
    const char *dot;
    char *prefix;
    pc_status st;

    f->elements[f->nelements++] = id;
    if ((el = policy_element(p, id)) != NULL) {
        f->sensitive = f->sensitive || el->sensitive;
        return strv_copy_unique(&f->categories, &el->categories);
    }
    if ((cat = policy_category(p, id)) != NULL) {
        f->sensitive = f->sensitive || cat->sensitive;
        return strv_add_unique(&f->categories, cat->id);
    }
    /* Not the policy's: its category is the id's first part. */
    dot = strchr(id, '.');
    prefix = dot != NULL ? strndup(id, (size_t)(dot - id)) : strdup(id);
    if (prefix == NULL)
        return PC_ENOMEM;
    st = strv_add_unique(&f->categories, prefix);
    free(prefix);
    return st;
}

/* Does the classifiers' element contradict the declared category? Not
 * when it is the declared element, or one of the declared category's
 * elements (a second membership included). */
static bool
field_contradicts(const pc_policy *p, const char *declared,
                  const char *classified)
{
    const struct policy_element *el = policy_element(p, classified);
    const char *dot = strchr(classified, '.');

    if (strcmp(declared, classified) == 0)
        return false;
    if (el != NULL)
        return !strv_has(&el->categories, declared);
    return dot == NULL || strlen(declared) != (size_t)(dot - classified) ||
           strncmp(declared, classified, (size_t)(dot - classified)) != 0;
}

/* Classify field f by its name in its context (DESIGN §5): the table it
 * lives in when the manifest says, else its flow's id and source. */
static pc_status
field_classify(struct mstate *ms, const struct obj *f, const char *name,
               struct classify_result *cr)
{
    const char *table = obj_attr1(f, ATTR_TABLE);
    const char *id = f->parent ? obj_attr1(f->parent, ATTR_ID) : NULL;
    const char *source = f->parent ? obj_attr1(f->parent, ATTR_SOURCE) : NULL;
    /* Uncapped: classify_name refuses an over-long context, saying so. */
    struct strbuf ctx = STRBUF_INIT(0);
    pc_status st = PC_OK;

    /* A source that is a declared store names infrastructure ("warehouse",
     * "backups"), not what the data is about: it is no context. */
    if (source != NULL && map_get(ms->stores, source) != NULL)
        source = NULL;
    if (table == NULL)
        /* "ID SOURCE", without a format on every field */
        if ((st = strbuf_puts(&ctx, id != NULL ? id : "")) == PC_OK &&
            (st = strbuf_putc(&ctx, ' ')) == PC_OK)
            st = strbuf_puts(&ctx, source != NULL ? source : "");
    if (st == PC_OK)
        st = classify_name_memo(
            ms->e->classifiers, name, table != NULL ? table : strbuf_str(&ctx),
            &ms->memo, ms->d, diag_loc(ms->d, ms->path, f->line, 0), cr);
    strbuf_free(&ctx);
    return st;
}

static pc_status
field_derive(struct mstate *ms, struct obj *f)
{
    const char *declared, *name;
    struct classify_result cr = { 0 };
    pc_status st;

    /* Asked for by every check that reads a derived attribute: the
     * attributes are only looked up the first time. */
    if (f->derived)
        return PC_OK;
    f->derived = true;
    declared = obj_attr1(f, ATTR_CATEGORY);
    name = obj_attr1(f, ATTR_NAME);
    if (name != NULL && ms->e->classifiers != NULL &&
        (st = field_classify(ms, f, name, &cr)) != PC_OK)
        return st;
    f->classified = cr.element;
    f->classifier = cr.classifier;
    f->classified_sensitive = cr.sensitive;
    if (declared != NULL && (st = field_add_element(ms, f, declared)) != PC_OK)
        return st;
    /* Undeclared, the classifiers name the field. Declared, a name that
     * says sensitive data is judged as that data too: a label that says
     * something else (mislabelled), or only the broad category, must not
     * hide it from the sensitive-data rules. */
    if (cr.element == NULL ||
        (declared != NULL &&
         (!cr.sensitive || strcmp(declared, cr.element) == 0)))
        return PC_OK;
    f->mislabelled = declared != NULL &&
                     field_contradicts(ms->e->policy, declared, cr.element);
    if (cr.sensitive)
        f->sensitive = true;
    return field_add_element(ms, f, cr.element);
}

/* ------------------------------------------------------------------ */
/* Aggregates. */

static pc_status
agg_note_values(struct mstate *ms, const struct obj *o)
{
    const struct strv *wanted = &ms->e->rules->wanted_values;
    pc_status st;

    /* A handful of "kind attr" pairs (wanted_sets[i] collects the i-th),
     * matched here without building a key for every attribute of every
     * element. */
    for (size_t i = 0; i < ms->nwanted; i++) {
        const char *key = wanted->v[i], *sp = strchr(key, ' ');
        size_t klen = sp != NULL ? (size_t)(sp - key) : 0;
        struct val v;

        if (sp == NULL || strncmp(key, o->kind, klen) != 0 ||
            o->kind[klen] != '\0')
            continue;
        v = eval_attr(o, sp + 1);
        for (size_t j = 0; j < v.n; j++)
            if ((st = strv_add_unique(ms->wanted_sets[i], v.v[j])) != PC_OK)
                return st;
    }
    return PC_OK;
}

static pc_status
agg_note_flow(struct mstate *ms, struct obj *flow)
{
    const char *to = obj_attr1(flow, ATTR_TO);
    const char *purpose = obj_attr1(flow, ATTR_PURPOSE);
    const char *subject = obj_attr1(flow, MANIFEST_SUBJECT_ATTR);
    struct storeagg *g;
    struct subjagg *sg = NULL;
    pc_status st;

    if (to == NULL || (g = map_get(ms->stores, to)) == NULL)
        return PC_OK;
    if (subject == NULL)
        subject = "";
    for (size_t i = 0; i < g->n && sg == NULL; i++)
        if (strcmp(g->v[i].subject, subject) == 0)
            sg = &g->v[i];
    if (sg == NULL) {
        struct subjagg *v = realloc(g->v, (g->n + 1) * sizeof *v);

        if (v == NULL)
            return PC_ENOMEM;
        g->v = v;
        sg = &g->v[g->n];
        memset(sg, 0, sizeof *sg);
        if ((sg->subject = strdup(subject)) == NULL)
            return PC_ENOMEM;
        g->n++;
    }
    for (size_t i = 0; i < flow->nkids; i++) {
        struct obj *f = flow->kids[i];
        const char *name = obj_attr1(f, ATTR_NAME);

        for (size_t k = 0; k < f->nelements; k++)
            if ((st = strset_add(&sg->elements, f->elements[k])) != PC_OK)
                return st;
        for (size_t k = 0; k < f->categories.n; k++)
            if ((st = strset_add(&sg->categories, f->categories.v[k])) != PC_OK)
                return st;
        if (purpose != NULL && name != NULL) {
            struct strbuf b = STRBUF_INIT(0);

            if ((st = strbuf_puts(&b, purpose)) == PC_OK &&
                (st = strbuf_putc(&b, '\t')) == PC_OK)
                st = strbuf_puts(&b, name);
            if (st == PC_OK)
                st = strset_add(&sg->purpose_fields, strbuf_str(&b));
            strbuf_free(&b);
            if (st != PC_OK)
                return st;
        }
    }
    return PC_OK;
}

/* A new store: give it an aggregate slot. */
static pc_status
agg_add_store(struct mstate *ms, const struct obj *store)
{
    const char *id = obj_attr1(store, ATTR_ID);
    struct storeagg **v, *g;

    if (id == NULL || map_get(ms->stores, id) != NULL)
        return PC_OK;
    if ((v = realloc(ms->aggs, (ms->naggs + 1) * sizeof *v)) == NULL)
        return PC_ENOMEM;
    ms->aggs = v;
    if ((g = calloc(1, sizeof *g)) == NULL)
        return PC_ENOMEM;
    ms->aggs[ms->naggs++] = g;
    return map_put(ms->stores, id, g);
}

/* Ids are one namespace across the manifest: a repeat is noted on the
 * element that repeats it. */
static pc_status
agg_note_id(struct mstate *ms, struct obj *o)
{
    const char *id = obj_attr1(o, ATTR_ID);
    void *first;
    pc_status st;

    if (id == NULL || strcmp(o->kind, KIND_FIELD) == 0)
        return PC_OK;
    if ((first = map_get(ms->ids, id)) != NULL) {
        o->repeated = true;
        o->first_line = (unsigned)(uintptr_t)first;
        return PC_OK;
    }
    if ((st = strv_push(&ms->idkeys, id)) != PC_OK)
        return st;
    return map_put(ms->ids, ms->idkeys.v[ms->idkeys.n - 1],
                   (void *)(uintptr_t)(o->line > 0 ? o->line : 1));
}

/* ------------------------------------------------------------------ */
/* Expressions and conditions. */

/* The element of kind `kind` in scope: o or an ancestor, else the only
 * retained element of that kind (application-wide singletons such as the
 * audience). NULL when there is none or it is ambiguous. */
static const struct obj *
eval_scope(const struct evalctx *c, const char *kind)
{
    const struct objlist *ol;

    for (const struct obj *o = c->obj; o != NULL; o = o->parent)
        if (strcmp(o->kind, kind) == 0)
            return o;
    ol = eval_kind(c->ms, kind);
    return ol != NULL && ol->n == 1 ? ol->v[0] : NULL;
}

static pc_status
eval_path(struct evalctx *c, const struct expr *e, struct val *out)
{
    const struct obj *o = eval_scope(c, e->text);
    pc_status st;

    if (o == NULL)
        return val_one(c, NULL, out);
    if (e->attr == NULL)
        return val_bool(c, true, out);
    if (e->derived >= DERIVED_ELEMENT) {
        struct obj *f = (struct obj *)o; /* derived lazily, once */

        if ((st = field_derive(c->ms, f)) != PC_OK)
            return st;
    }
    switch ((enum derived_attr)e->derived) {
    case DERIVED_NONE:
        break;
    case DERIVED_REPEATED:
        return val_bool(c, o->repeated, out);
    case DERIVED_FIRST_LINE:
        return o->repeated ? val_number(c, o->first_line, out)
                           : val_one(c, NULL, out);
    case DERIVED_LINE:
        return val_number(c, o->line, out);
    case DERIVED_ELEMENT:
        if ((st = val_alloc(c, o->nelements, out)) != PC_OK)
            return st;
        for (size_t i = 0; i < o->nelements; i++)
            out->v[i] = o->elements[i];
        out->n = o->nelements;
        return PC_OK;
    case DERIVED_MISLABELLED:
        return val_bool(c, o->mislabelled, out);
    case DERIVED_CATEGORIES:
        return val_from_strv(c, &o->categories, out);
    case DERIVED_SENSITIVE:
        return val_bool(c, o->sensitive, out);
    case DERIVED_CLASSIFIED:
        return val_one(c, o->classified, out);
    case DERIVED_CLASSIFIER:
        return val_one(c, o->classifier, out);
    case DERIVED_DECLARED:
        return val_one(c, obj_attr1(o, ATTR_CATEGORY), out);
    case DERIVED_CLASSIFIED_SENSITIVE:
        return val_bool(c, o->classified_sensitive, out);
    }
    *out = eval_attr(o, e->attr);
    return PC_OK;
}

/* Keep v, a constant of the manifest known by key, and return the kept
 * copy in *out (v itself when the table is full: correct, not cached). */
static pc_status
eval_keep(struct mstate *ms, const void *key, struct val v, struct val *out)
{
    size_t bytes;
    char *block, *p;
    pc_status st;

    if (ms->nconsts == sizeof ms->consts / sizeof ms->consts[0]) {
        *out = v;
        return PC_OK;
    }
    bytes = v.n * sizeof(char *);
    for (size_t i = 0; i < v.n; i++)
        bytes += strlen(v.v[i]) + 1;
    if ((block = malloc(bytes > 0 ? bytes : 1)) == NULL)
        return PC_ENOMEM;
    p = block + v.n * sizeof(char *);
    for (size_t i = 0; i < v.n; i++) {
        size_t n = strlen(v.v[i]) + 1;

        memcpy(p, v.v[i], n);
        ((const char **)(void *)block)[i] = p;
        p += n;
    }
    ms->consts[ms->nconsts].key = key;
    ms->consts[ms->nconsts].v.v = (const char **)(void *)block;
    ms->consts[ms->nconsts].v.n = v.n;
    ms->consts[ms->nconsts].m = NULL;
    if (v.n > MEMBER_LINEAR) {
        struct map *m = map_new();

        st = m != NULL ? PC_OK : PC_ENOMEM;
        for (size_t i = 0; i < v.n && st == PC_OK; i++)
            st = map_put(m, ms->consts[ms->nconsts].v.v[i], (void *)1);
        ms->consts[ms->nconsts].m = m;
        if (st != PC_OK) {
            free(block);
            map_free(m);
            return st;
        }
    }
    *out = ms->consts[ms->nconsts++].v;
    return PC_OK;
}

static bool
eval_kept(const struct mstate *ms, const void *key, struct val *out)
{
    for (size_t i = 0; i < ms->nconsts; i++)
        if (ms->consts[i].key == key) {
            *out = ms->consts[i].v;
            return true;
        }
    return false;
}

/* A policy constant, computed on first use and kept for the manifest. */
static pc_status
eval_const(struct evalctx *c, const struct func *fn, struct val *out)
{
    struct val v;
    pc_status st;

    if (eval_kept(c->ms, fn, out))
        return PC_OK;
    if ((st = fn->impl(c, NULL, 0, &v)) != PC_OK)
        return st;
    return eval_keep(c->ms, fn, v, out);
}

/* Is e a constant of the manifest: literals, policy constants, and pure
 * functions of those (union(policy.vocabulary, classifier-elements),
 * which a rule asks for on every field)? */
static bool
eval_is_const(const struct expr *e, unsigned depth)
{
    if (e->kind == EXPR_LIT)
        return true;
    if (e->kind != EXPR_CALL || depth > 8)
        return false;
    if (e->nargs == 0)
        return !(e->fn->flags & FUNC_AGGREGATE);
    if (!(e->fn->flags & FUNC_PURE) || e->nargs > 8)
        return false;
    for (size_t i = 0; i < e->nargs; i++)
        if (!eval_is_const(e->args[i], depth + 1))
            return false;
    return true;
}

static pc_status eval_expr(struct evalctx *c, const struct expr *e,
                           struct val *out);

/* A pure function of constants, computed once per manifest. */
static pc_status
eval_const_call(struct evalctx *c, const struct expr *e, struct val *out)
{
    struct val args[8], v;
    pc_status st;

    if (eval_kept(c->ms, e, out))
        return PC_OK;
    for (size_t i = 0; i < e->nargs; i++)
        if ((st = eval_expr(c, e->args[i], &args[i])) != PC_OK)
            return st;
    if ((st = e->fn->impl(c, args, e->nargs, &v)) != PC_OK)
        return st;
    return eval_keep(c->ms, e, v, out);
}

static pc_status
eval_expr(struct evalctx *c, const struct expr *e, struct val *out)
{
    struct val args[8];
    pc_status st;

    switch (e->kind) {
    case EXPR_LIT:
        return val_from_strv(c, &e->items, out);
    case EXPR_PATH:
        return eval_path(c, e, out);
    case EXPR_VAR:
        for (size_t i = c->nvars; i-- > 0;)
            if (strcmp(c->vars[i], e->text) == 0) {
                *out = c->vals[i];
                return PC_OK;
            }
        return val_one(c, NULL, out);
    case EXPR_CALL:
        if (e->nargs == 0 && !(e->fn->flags & FUNC_AGGREGATE))
            return eval_const(c, e->fn, out);
        if ((e->fn->flags & FUNC_PURE) && eval_is_const(e, 0))
            return eval_const_call(c, e, out);
        for (size_t i = 0; i < e->nargs && i < 8; i++)
            if ((st = eval_expr(c, e->args[i], &args[i])) != PC_OK)
                return st;
        return e->fn->impl(c, args, e->nargs, out);
    }
    return PC_EINVALID;
}

static bool
val_subset(const struct val *a, const struct val *b)
{
    for (size_t i = 0; i < a->n; i++)
        if (!val_has(b, a->v[i]))
            return false;
    return true;
}

/* Compare a single number or duration with another; false if they are not
 * both one or the other. */
static bool
eval_compare(const struct val *a, const struct val *b, int *cmp)
{
    double x, y;

    if (a->n != 1 || b->n != 1)
        return false;
    if (!(eval_number(a->v[0], &x) && eval_number(b->v[0], &y)) &&
        !(eval_duration(a->v[0], &x) && eval_duration(b->v[0], &y)))
        return false;
    *cmp = x < y ? -1 : x > y ? 1 : 0;
    return true;
}

/* How one value reads in a trace: [a, b], each item escaped when printed. */
static pc_status
eval_trace_val(struct strbuf *b, const struct val *v)
{
    pc_status st = strbuf_putc(b, '[');

    for (size_t i = 0; i < v->n && st == PC_OK; i++)
        if (i == 0 || (st = strbuf_puts(b, ", ")) == PC_OK)
            st = strbuf_puts(b, v->v[i]);
    return st != PC_OK ? st : strbuf_putc(b, ']');
}

/* One line of a trace, indented to the condition's depth. */
static void
eval_trace_line(const struct evalctx *c, const char *text)
{
    for (unsigned i = 0; i < c->tdepth; i++)
        fputs("  ", c->trace);
    pc_put_escaped(c->trace, text);
    fputc('\n', c->trace);
}

static const char *const cond_names[] = {
    [COND_ALL] = "all",
    [COND_ANY] = "any",
    [COND_NOT] = "not",
    [COND_EQ] = "eq",
    [COND_NE] = "ne",
    [COND_IN] = "in",
    [COND_INTERSECTS] = "intersects",
    [COND_MATCHES] = "matches",
    [COND_LT] = "lt",
    [COND_LE] = "le",
    [COND_GT] = "gt",
    [COND_GE] = "ge",
    [COND_EXISTS] = "exists",
};

/* "eq field.element = [a.b], 'a.b' = [a.b]: true": the condition,
 * each operand as written and the value it took, and the outcome. */
static pc_status
eval_trace_leaf(const struct evalctx *c, const struct cond *k,
                const struct val *a, const struct val *b, bool hit)
{
    struct strbuf t = STRBUF_INIT(1 << 16);
    pc_status st = strbuf_printf(&t, "%s ", cond_names[k->kind]);

    if (st == PC_OK)
        st = rulec_expr_print(k->a, &t);
    if (st == PC_OK)
        st = strbuf_puts(&t, " = ");
    if (st == PC_OK)
        st = eval_trace_val(&t, a);
    if (st == PC_OK && k->b != NULL) {
        if ((st = strbuf_puts(&t, ", ")) == PC_OK &&
            (st = rulec_expr_print(k->b, &t)) == PC_OK &&
            (st = strbuf_puts(&t, " = ")) == PC_OK)
            st = eval_trace_val(&t, b);
    }
    if (st == PC_OK && k->re != NULL)
        st = strbuf_printf(&t, ", pattern %s", pattern_source(k->re));
    if (st == PC_OK)
        st = strbuf_printf(&t, ": %s", hit ? "true" : "false");
    if (st == PC_ELIMIT) /* a value too long to show whole */
        st = PC_OK;
    if (st == PC_OK)
        eval_trace_line(c, strbuf_str(&t));
    strbuf_free(&t);
    return st;
}

/* `a in union(B...)` and `a intersects union(B...)`, each item of a
 * looked up in each argument's set, the union never built: an argument
 * such as ids('store') is a set kept for the whole manifest, and building
 * their union for every flow made an audit quadratic in its size. */
#define EVAL_UNION_MAX 4

static bool
eval_is_union(const struct expr *b)
{
    return b != NULL && b->kind == EXPR_CALL && b->fn != NULL &&
           (b->fn->flags & FUNC_UNION) != 0 && b->nargs <= EVAL_UNION_MAX;
}

static pc_status
eval_in_union(struct evalctx *c, const struct cond *k, bool *out)
{
    const struct expr *u = k->b;
    struct member mb[EVAL_UNION_MAX];
    struct val a, b[EVAL_UNION_MAX];
    size_t nb = 0;
    pc_status st = eval_expr(c, k->a, &a);

    while (st == PC_OK && nb < u->nargs) {
        if ((st = eval_expr(c, u->args[nb], &b[nb])) != PC_OK ||
            (st = member_init(c->ms, &mb[nb], &b[nb])) != PC_OK)
            break;
        nb++;
    }
    if (st == PC_OK) {
        bool all = k->kind == COND_IN;

        *out = all ? a.n > 0 : false;
        for (size_t i = 0; i < a.n && *out == all; i++) {
            bool found = false;

            for (size_t j = 0; j < nb && !found; j++)
                found = member_has(&mb[j], a.v[i]);
            *out = found;
        }
    }
    for (size_t j = 0; j < nb; j++)
        member_free(&mb[j]);
    return st;
}

static pc_status
eval_leaf(struct evalctx *c, const struct cond *k, const struct val *a,
          const struct val *b, bool *out)
{
    pc_status st;
    int cmp;

    switch (k->kind) {
    case COND_EQ:
    case COND_NE:
        *out = val_subset(a, b) && val_subset(b, a);
        if (k->kind == COND_NE)
            *out = !*out;
        return PC_OK;
    case COND_IN:
    case COND_INTERSECTS: {
        struct member mb;

        if ((st = member_init(c->ms, &mb, b)) != PC_OK)
            return st;
        if (k->kind == COND_IN) {
            *out = a->n > 0;
            for (size_t i = 0; i < a->n && *out; i++)
                *out = member_has(&mb, a->v[i]);
        } else {
            *out = false;
            for (size_t i = 0; i < a->n && !*out; i++)
                *out = member_has(&mb, a->v[i]);
        }
        member_free(&mb);
        return PC_OK;
    }
    case COND_EXISTS:
        *out = a->n > 0;
        return PC_OK;
    case COND_MATCHES:
        *out = false;
        for (size_t i = 0; i < a->n && !*out; i++) {
            struct pc_loc loc = { c->ms->path, c->obj->line, 0 };

            st = pattern_match(k->re, a->v[i], strlen(a->v[i]), out, c->ms->d,
                               loc);
            if (st != PC_OK)
                return st;
        }
        return PC_OK;
    case COND_LT:
    case COND_LE:
    case COND_GT:
    case COND_GE:
        if (!eval_compare(a, b, &cmp)) {
            *out = false; /* not comparable: the format rules report it */
            return PC_OK;
        }
        *out = k->kind == COND_LT   ? cmp < 0
               : k->kind == COND_LE ? cmp <= 0
               : k->kind == COND_GT ? cmp > 0
                                    : cmp >= 0;
        return PC_OK;
    default:
        return PC_EINVALID;
    }
}

static pc_status
eval_cond(struct evalctx *c, const struct cond *k, bool *out)
{
    struct val a = { NULL, 0 }, b = { NULL, 0 };
    pc_status st;

    switch (k->kind) {
    case COND_ALL:
    case COND_ANY:
    case COND_NOT:
        if (c->trace != NULL) {
            eval_trace_line(c, cond_names[k->kind]);
            c->tdepth++;
        }
        st = PC_OK;
        *out = k->kind == COND_ALL;
        for (size_t i = 0; i < k->nkids && st == PC_OK; i++) {
            if ((st = eval_cond(c, k->kids[i], out)) != PC_OK)
                break;
            if (k->kind == COND_NOT)
                *out = !*out;
            else if (*out != (k->kind == COND_ALL))
                break;
        }
        if (c->trace != NULL) {
            c->tdepth--;
            if (st == PC_OK)
                eval_trace_line(c, *out ? "-> true" : "-> false");
        }
        return st;
    default:
        break;
    }
    /* A trace shows b's value, so it is built there. */
    if ((k->kind == COND_IN || k->kind == COND_INTERSECTS) &&
        c->trace == NULL && eval_is_union(k->b))
        return eval_in_union(c, k, out);
    if ((st = eval_expr(c, k->a, &a)) != PC_OK ||
        (k->b != NULL && (st = eval_expr(c, k->b, &b)) != PC_OK))
        return st;
    if ((st = eval_leaf(c, k, &a, &b, out)) != PC_OK)
        return st;
    return c->trace != NULL ? eval_trace_leaf(c, k, &a, &b, *out) : PC_OK;
}

/* ------------------------------------------------------------------ */
/* Findings. */

static pc_status
eval_render(struct evalctx *c, const struct tpl *t, struct strbuf *b)
{
    pc_status st;

    for (size_t i = 0; i < t->nparts; i++) {
        struct val v;

        if (t->parts[i].text != NULL) {
            if ((st = strbuf_puts(b, t->parts[i].text)) != PC_OK)
                return st;
            continue;
        }
        if ((st = eval_expr(c, t->parts[i].expr, &v)) != PC_OK)
            return st;
        for (size_t j = 0; j < v.n; j++)
            if ((j > 0 && (st = strbuf_puts(b, ", ")) != PC_OK) ||
                (st = strbuf_puts(b, v.v[j])) != PC_OK)
                return st;
    }
    return PC_OK;
}

/* A key or a bound value in an object path. The characters that give the
 * path its shape are percent-encoded, so that no name a manifest chooses
 * can make one object's path another's ("email#2" as a name is
 * "email%232", not the second "email"). Ids never need it. */
static pc_status
eval_path_put(struct strbuf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    pc_status st = PC_OK;

    /* Runs of ordinary characters at once: most keys have none to
     * encode. */
    while (*s != '\0' && st == PC_OK) {
        size_t run = strcspn(s, "%[]/#=@");
        char esc[3] = { '%', 0, 0 };

        if (run > 0 && (st = strbuf_add(b, s, run)) != PC_OK)
            break;
        s += run;
        if (*s == '\0')
            break;
        esc[1] = hex[(unsigned char)*s >> 4];
        esc[2] = hex[(unsigned char)*s & 15];
        st = strbuf_add(b, esc, 3);
        s++;
    }
    return st;
}

/* c and then n in decimal, without a format. */
static pc_status
eval_put_uint(struct strbuf *b, char c, unsigned long long n)
{
    char digits[24];
    size_t i = sizeof digits;

    do
        digits[--i] = (char)('0' + n % 10);
    while ((n /= 10) > 0);
    digits[--i] = c;
    return strbuf_add(b, digits + i, sizeof digits - i);
}

/* kind[key]/kind[key]... from below the root down to o. The second
 * sibling of one kind with the same key (or with none) is key#2 (#2). */
pc_status
eval_objpath(const struct obj *o, struct strbuf *b)
{
    pc_status st;

    if (o == NULL || o->parent == NULL)
        return PC_OK;
    if ((st = eval_objpath(o->parent, b)) != PC_OK)
        return st;
    /* Section containers (<flows>, <stores>) add nothing. */
    if (o->nattrs == 0 && o->parent->parent == NULL)
        return PC_OK;
    if (b->len > 0 && (st = strbuf_putc(b, '/')) != PC_OK)
        return st;
    if ((st = strbuf_puts(b, o->kind)) != PC_OK)
        return st;
    if (o->key == NULL && o->ordinal == 0)
        return PC_OK;
    if ((st = strbuf_putc(b, '[')) != PC_OK ||
        (o->key != NULL && (st = eval_path_put(b, o->key)) != PC_OK) ||
        (o->ordinal > 0 && (st = eval_put_uint(b, '#', o->ordinal)) != PC_OK))
        return st;
    return strbuf_putc(b, ']');
}

/* What follows the element in a finding's object path: the bindings,
 * and the check, where the rule has several that could meet here. */
static pc_status
eval_path_tail(const struct evalctx *c, const struct check *k,
               struct strbuf *path)
{
    pc_status st;

    for (size_t i = 0; i < c->nvars; i++)
        if ((st = strbuf_printf(path, "[%s=", c->vars[i])) != PC_OK ||
            (st = eval_path_put(path, c->vals[i].n ? c->vals[i].v[0] : "")) !=
                PC_OK ||
            (st = strbuf_putc(path, ']')) != PC_OK)
            return st;
    if (k->id != NULL && (st = strbuf_printf(path, "@%s", k->id)) != PC_OK)
        return st;
    return PC_OK;
}

/* The object path a finding of k here would have. */
static pc_status
eval_finding_path(const struct evalctx *c, const struct check *k,
                  struct strbuf *path)
{
    pc_status st = eval_objpath(c->obj, path);

    if (st == PC_OK && path->len == 0)
        st = strbuf_puts(path, c->obj->kind);
    return st != PC_OK ? st : eval_path_tail(c, k, path);
}

static pc_status
eval_emit(struct evalctx *c, const struct check *k)
{
    const struct rule *r = k->rule;
    struct strbuf msg = STRBUF_INIT(1 << 16), path = STRBUF_INIT(0),
                  fp = STRBUF_INIT(0), group = STRBUF_INIT(0);
    const struct obj *at = k->at != NULL ? eval_scope(c, k->at) : NULL;
    const char *app =
        c->ms->root != NULL ? obj_attr1(c->ms->root, ATTR_NAME) : NULL;
    char sha[65];
    pc_status st;

    st = eval_render(c, &k->message, &msg);
    if (st == PC_ELIMIT) {
        /* A message is for people: past its cap (a value listing
         * thousands of ids) it is cut, not the audit. */
        msg.max = 0;
        st = strbuf_puts(&msg, " [...]");
    }
    if (st != PC_OK || (st = eval_objpath(c->obj, &path)) != PC_OK)
        goto out;
    if (path.len == 0 && (st = strbuf_puts(&path, c->obj->kind)) != PC_OK)
        goto out;
    /* The group: the top-level element (a flow with its fields), or the
     * element an application-wide check reports at (the audience). */
    if (at != NULL && strchr(strbuf_str(&path), '/') == NULL)
        st = strbuf_puts(&group, at->kind);
    else
        st = strbuf_add(&group, strbuf_str(&path),
                        strcspn(strbuf_str(&path), "/"));
    if (st != PC_OK || (st = eval_path_tail(c, k, &path)) != PC_OK)
        goto out;
    /* Not the line: moving an element keeps its fingerprint. The path
     * tells two manifests of one application apart. */
    if ((st = strbuf_printf(&fp, "%s%c%s%c%s%c%s", r->id, 0,
                            app != NULL ? app : "", 0,
                            c->ms->ident != NULL ? c->ms->ident : "", 0,
                            strbuf_str(&path))) != PC_OK)
        goto out;
    sha256_hex(strbuf_str(&fp), fp.len, sha);
    sha[16] = '\0';
    struct pc_finding f = {
        .rule = r->id,
        .severity = r->severity,
        .title = r->title,
        .message = strbuf_str(&msg),
        .fix = r->fix,
        .clauses = r->clauses,
        .nclauses = r->nclauses,
        .file = c->ms->path,
        .line = at != NULL ? at->line : c->obj->line,
        .object = strbuf_str(&path),
        .application = app,
        .path = c->ms->ident,
        .fingerprint = sha,
        .group = strbuf_str(&group),
    };
    st = results_add(c->ms->r, &f);
out:
    strbuf_free(&msg);
    strbuf_free(&group);
    strbuf_free(&path);
    strbuf_free(&fp);
    return st;
}

/* When the audit traces k's rule (at this element), say which element
 * and bindings are being judged, and trace the condition. */
static pc_status
eval_trace_start(struct evalctx *c, const struct check *k)
{
    const struct pc_trace *t = c->ms->e->trace;
    struct strbuf path = STRBUF_INIT(0), head = STRBUF_INIT(1 << 16);
    pc_status st;

    c->trace = NULL;
    if (t == NULL || strcmp(t->rule, k->rule->id) != 0)
        return PC_OK;
    if ((st = eval_finding_path(c, k, &path)) != PC_OK)
        goto out;
    if (t->object != NULL && strcmp(t->object, strbuf_str(&path)) != 0)
        goto out;
    c->trace = t->out;
    c->tdepth = 0;
    st = strbuf_printf(&head, "%s:%u: %s: check over <%s>%s%s, %s", c->ms->path,
                       c->obj->line, k->rule->id, k->over,
                       k->id != NULL ? " @" : "", k->id != NULL ? k->id : "",
                       strbuf_str(&path));
    if (st == PC_OK)
        eval_trace_line(c, strbuf_str(&head));
    c->tdepth = 1;
    for (size_t i = 0; i < c->nvars && st == PC_OK; i++) {
        strbuf_reset(&head);
        st = strbuf_printf(&head, "each %s = %s", c->vars[i],
                           c->vals[i].n ? c->vals[i].v[0] : "");
        if (st == PC_OK)
            eval_trace_line(c, strbuf_str(&head));
    }
    if (st == PC_OK && k->when == NULL)
        eval_trace_line(c, "no condition: every element is a finding");
out:
    strbuf_free(&path);
    strbuf_free(&head);
    return st;
}

/* Bind each <each> in turn, then test the condition. */
static pc_status
eval_bind(struct evalctx *c, const struct check *k, size_t level)
{
    struct val in;
    bool hit = true;
    pc_status st;

    if (level == k->neach) {
        if ((st = eval_trace_start(c, k)) != PC_OK)
            return st;
        if (k->when != NULL && (st = eval_cond(c, k->when, &hit)) != PC_OK)
            return st;
        if (c->trace != NULL) {
            c->tdepth = 1;
            eval_trace_line(c, hit ? "=> a finding" : "=> no finding");
            c->trace = NULL;
        }
        return hit ? eval_emit(c, k) : PC_OK;
    }
    if ((st = eval_expr(c, k->each[level].in, &in)) != PC_OK)
        return st;
    struct map *seen = NULL;
    if (in.n > MEMBER_LINEAR && (seen = map_new()) == NULL)
        return PC_ENOMEM;
    for (size_t i = 0; i < in.n; i++) {
        bool dup = false;

        /* Each distinct item once. */
        if (seen != NULL) {
            dup = map_get(seen, in.v[i]) != NULL;
            if (!dup && (st = map_put(seen, in.v[i], (void *)1)) != PC_OK)
                break;
        } else {
            for (size_t j = 0; j < i && !dup; j++)
                dup = strcmp(in.v[j], in.v[i]) == 0;
        }
        if (dup)
            continue;
        c->vars[c->nvars] = k->each[level].var;
        c->vals[c->nvars].v = &in.v[i];
        c->vals[c->nvars].n = 1;
        c->nvars++;
        st = eval_bind(c, k, level + 1);
        c->nvars--;
        if (st != PC_OK)
            break;
    }
    map_free(seen);
    return st;
}

bool
eval_subject_in_scope(const struct evalctx *c, const char *subject)
{
    return c->subjects == NULL || strv_has(c->subjects, subject);
}

/* Is the object in scope of the rule: not inside (or itself) a flow of a
 * subject the rule does not judge? */
struct eval_subject {
    bool known;          /* looked up yet */
    const char *subject; /* whose data the object is; NULL: in no flow */
};

static bool
eval_judges(const struct evalctx *c, struct eval_subject *sj)
{
    /* Looked up once for all the checks of one object. */
    if (!sj->known) {
        sj->known = true;
        sj->subject = NULL;
        for (const struct obj *o = c->obj; o != NULL; o = o->parent)
            if (strcmp(o->kind, MANIFEST_SUBJECT_KIND) == 0) {
                const char *s = obj_attr1(o, MANIFEST_SUBJECT_ATTR);

                sj->subject = s != NULL ? s : "";
                break;
            }
    }
    return sj->subject == NULL || eval_subject_in_scope(c, sj->subject);
}

enum eval_pass { PASS_ALL, PASS_IMMEDIATE, PASS_DEFERRED };

static bool
eval_is_late(const struct mstate *ms, const struct check *k)
{
    for (size_t i = 0; i < ms->nlate; i++)
        if (ms->late[i] == k)
            return true;
    return false;
}

static pc_status
eval_object(struct mstate *ms, const struct obj *o, enum eval_pass pass)
{
    const struct checklist *cl = map_get(ms->e->rules->by_over, o->kind);
    struct eval_subject sj = { false, NULL };
    pc_status st;

    if (cl == NULL)
        return PC_OK;
    for (size_t i = 0; i < cl->n; i++) {
        const struct check *k = cl->v[i];
        const struct strv *subjects = &k->rule->subjects;
        struct evalctx c = { .ms = ms,
                             .obj = o,
                             .subjects = subjects->n > 0 ? subjects : NULL,
                             .nvars = 0 };

        bool later = k->deferred || eval_is_late(ms, k);

        if ((pass == PASS_IMMEDIATE && later) ||
            (pass == PASS_DEFERRED && !later))
            continue;
        if (c.subjects != NULL && !eval_judges(&c, &sj))
            continue; /* another subject's data: not this rule's business */
        ms->exercised[k->rule->index] = true;
        st = eval_bind(&c, k, 0);
        if (st == PC_ELIMIT && ms->arena.over)
            diag_fail(ms->d, st, diag_loc(ms->d, ms->path, o->line, 0),
                      "rule %s: evaluation exceeded its memory limit",
                      k->rule->id);
        arena_reset(&ms->arena);
        if (st != PC_OK)
            return st;
    }
    return PC_OK;
}

/* A flow and its fields. */
static pc_status
eval_unit(struct mstate *ms, const struct obj *u, enum eval_pass pass)
{
    pc_status st = eval_object(ms, u, pass);

    for (size_t i = 0; i < u->nkids && st == PC_OK; i++)
        st = eval_object(ms, u->kids[i], pass);
    return st;
}

/* ------------------------------------------------------------------ */
/* Streaming. */

static pc_status
eval_retain(struct mstate *ms, struct obj *o)
{
    struct objlist *ol = map_get(ms->kinds, o->kind);
    pc_status st;

    if (ol == NULL) {
        struct objlist **v = realloc(ms->lists, (ms->nlists + 1) * sizeof *v);

        if (v == NULL)
            return PC_ENOMEM;
        ms->lists = v;
        if ((ol = calloc(1, sizeof *ol)) == NULL)
            return PC_ENOMEM;
        ms->lists[ms->nlists++] = ol;
        /* The key borrows the kind of the first retained object, which
         * lives as long as the map. */
        if ((st = map_put(ms->kinds, o->kind, ol)) != PC_OK)
            return st;
    }
    return objlist_push(ol, o);
}

/* Does the flow read back from a declared store? Then checks that depend
 * on every flow must see it again at the end. */
static bool
eval_reads_store(const struct mstate *ms, const struct obj *flow)
{
    const char *source = obj_attr1(flow, ATTR_SOURCE);

    return source != NULL && map_get(ms->stores, source) != NULL;
}

/* Which flow and field checks read an element that the manifest format
 * puts after the flows (the schema's order says)? Those checks wait for
 * the end of the manifest, with the flows they range over. */
static pc_status
eval_find_late(struct mstate *ms)
{
    static const char *const kinds[] = { KIND_STREAMED, KIND_FIELD };
    size_t flows = schema_attrs_order(ms->e->schema, KIND_STREAMED);

    ms->late_known = true;
    for (size_t i = 0; i < 2; i++) {
        const struct checklist *cl = map_get(ms->e->rules->by_over, kinds[i]);

        for (size_t j = 0; cl != NULL && j < cl->n; j++) {
            const struct check *k = cl->v[j];
            bool late = false;

            for (size_t m = 0; m < k->kinds.n && !late; m++) {
                const char *kind = k->kinds.v[m];

                late = strcmp(kind, KIND_STREAMED) != 0 &&
                       strcmp(kind, KIND_FIELD) != 0 &&
                       schema_attrs_order(ms->e->schema, kind) > flows;
            }
            if (k->deferred || !late)
                continue;
            const struct check **v =
                realloc(ms->late, (ms->nlate + 1) * sizeof *v);
            if (v == NULL)
                return PC_ENOMEM;
            ms->late = v;
            ms->late[ms->nlate++] = k;
        }
    }
    return PC_OK;
}

static pc_status
eval_unit_done(struct mstate *ms)
{
    struct obj *u = ms->unit;
    pc_status st;

    if (!ms->late_known && (st = eval_find_late(ms)) != PC_OK)
        return st;
    for (size_t i = 0; i < u->nkids; i++) {
        if ((st = field_derive(ms, u->kids[i])) != PC_OK ||
            (st = agg_note_values(ms, u->kids[i])) != PC_OK)
            return st;
    }
    if ((st = agg_note_values(ms, u)) != PC_OK ||
        (st = agg_note_flow(ms, u)) != PC_OK ||
        (st = disclose_flow(ms, u)) != PC_OK ||
        (st = eval_unit(ms, u, PASS_IMMEDIATE)) != PC_OK)
        return st;
    ms->unit = NULL;
    if (eval_reads_store(ms, u) || ms->nlate > 0)
        return objlist_push(&ms->retained, u) == PC_OK
                   ? PC_OK
                   : (obj_free(u), PC_ENOMEM);
    obj_free(u);
    return PC_OK;
}

/* Number o among its siblings of the same kind and key (or with no key:
 * two <appeal>s), so that two elements never share an object path. The
 * first keeps its plain path: adding a twin does not change what is
 * already waived. Flows are streamed, but their parent (<flows>) is kept,
 * so they are counted like any other element; fields are counted in a
 * table that is emptied with each flow. */
static pc_status
eval_unique_key(struct mstate *ms, struct obj *o)
{
    struct strbuf b = STRBUF_INIT(0);
    const char *key = o->key != NULL ? o->key : "";
    uintptr_t count;
    struct map *m;
    struct strv *store;
    pc_status st;

    if (ms->unit != NULL) {
        m = ms->unit_keys;
        store = &ms->unit_keystore;
        if ((st = strbuf_puts(&b, o->kind)) == PC_OK &&
            (st = strbuf_puts(&b, o->key != NULL ? " =" : " -")) == PC_OK)
            st = strbuf_puts(&b, key);
    } else {
        m = ms->siblings;
        store = &ms->sibkeys;
        /* "PARENT KIND =KEY", the parent by its address (in decimal). */
        if ((st = eval_put_uint(&b, '@', (uintptr_t)o->parent)) == PC_OK &&
            (st = strbuf_putc(&b, ' ')) == PC_OK &&
            (st = strbuf_puts(&b, o->kind)) == PC_OK &&
            (st = strbuf_puts(&b, o->key != NULL ? " =" : " -")) == PC_OK)
            st = strbuf_puts(&b, key);
    }
    if (st != PC_OK)
        goto out;
    count = (uintptr_t)map_get(m, strbuf_str(&b));
    if ((st = strv_push(store, strbuf_str(&b))) != PC_OK ||
        (st = map_put(m, store->v[store->n - 1], (void *)(count + 1))) != PC_OK)
        goto out;
    if (count > 0)
        o->ordinal = (unsigned)count + 1;
out:
    strbuf_free(&b);
    return st;
}

static pc_status
eval_visit(void *ctx, const struct manifest_node *n, bool end)
{
    struct mstate *ms = ctx;
    struct obj *parent, *o;
    pc_status st;

    if (end) {
        if (ms->depth == 0)
            return PC_OK;
        o = ms->stack[--ms->depth];
        if (o == ms->unit)
            return eval_unit_done(ms);
        return PC_OK;
    }
    if (ms->depth >= sizeof ms->stack / sizeof ms->stack[0])
        return diag_fail(ms->d, PC_ELIMIT,
                         diag_loc(ms->d, ms->path, n->line, 0),
                         "elements nested too deeply");
    if (ms->unit == NULL && strcmp(n->kind, KIND_STREAMED) != 0 &&
        ++ms->nobjects > limit_get(LIMIT_DECLARATIONS))
        return limit_fail(ms->d, diag_loc(ms->d, ms->path, n->line, 0),
                          LIMIT_DECLARATIONS, "more than %llu declarations",
                          limit_get(LIMIT_DECLARATIONS));
    parent = ms->depth > 0 ? ms->stack[ms->depth - 1] : NULL;
    if ((st = obj_new(ms->e->schema, n, parent, &o)) != PC_OK)
        return st;
    if ((st = agg_note_id(ms, o)) != PC_OK ||
        (st = eval_unique_key(ms, o)) != PC_OK) {
        obj_free(o);
        return st;
    }
    if (ms->unit != NULL) {
        /* Inside a flow: the flow owns it. */
        struct obj **v;

        if (ms->unit->nkids >= limit_get(LIMIT_FIELDS)) {
            obj_free(o);
            return limit_fail(ms->d, diag_loc(ms->d, ms->path, n->line, 0),
                              LIMIT_FIELDS, "more than %llu fields in one flow",
                              limit_get(LIMIT_FIELDS));
        }
        if (ms->unit->nkids == ms->unit->capkids) {
            size_t cap = ms->unit->capkids ? ms->unit->capkids * 2 : 8;

            if ((v = realloc(ms->unit->kids, cap * sizeof *v)) == NULL) {
                obj_free(o);
                return PC_ENOMEM;
            }
            ms->unit->kids = v;
            ms->unit->capkids = cap;
        }
        ms->unit->kids[ms->unit->nkids++] = o;
    } else if (strcmp(o->kind, KIND_STREAMED) == 0) {
        /* A new flow: its fields' keys are counted afresh. */
        ms->unit = o;
        map_clear(ms->unit_keys);
        strv_free(&ms->unit_keystore);
    } else {
        if ((st = objlist_push(&ms->all, o)) != PC_OK) {
            obj_free(o);
            return st;
        }
        if ((st = eval_retain(ms, o)) != PC_OK ||
            (st = agg_note_values(ms, o)) != PC_OK)
            return st;
        if (strcmp(o->kind, KIND_STORE) == 0 &&
            (st = agg_add_store(ms, o)) != PC_OK)
            return st;
        if (parent == NULL)
            ms->root = o;
    }
    ms->stack[ms->depth++] = o;
    return PC_OK;
}

/* Where a document's elements come from: the streamed manifest, or a
 * list another module built (waiver.c). Calls visit as manifest_read
 * does. */
typedef pc_status (*eval_source_fn)(void *src, struct mstate *ms, char sha[65]);

static pc_status
eval_from_manifest(void *src, struct mstate *ms, char sha[65])
{
    struct manifest_limits lim = { .max_bytes = ms->e->max_bytes };

    (void)src;
    return manifest_read(ms->path, ms->e->manifest_schema,
                         schema_attrs_namespaces(ms->e->schema), &lim, ms->d,
                         eval_visit, ms, sha);
}

struct eval_node_list {
    const struct manifest_node *v;
    size_t n;
};

/* Each node opens; it closes before the next one at its depth or above. */
static pc_status
eval_from_nodes(void *src, struct mstate *ms, char sha[65])
{
    const struct eval_node_list *l = src;
    struct manifest_node end = { 0 };
    pc_status st = PC_OK;

    (void)sha;
    for (size_t i = 0; i <= l->n && st == PC_OK; i++) {
        unsigned depth = i < l->n ? l->v[i].depth : 0;

        while (st == PC_OK && ms->depth > depth) {
            end.kind = ms->stack[ms->depth - 1]->kind;
            st = eval_visit(ms, &end, true);
        }
        if (i < l->n && st == PC_OK)
            st = eval_visit(ms, &l->v[i], false);
    }
    return st;
}

/* Read a document from src and evaluate every check on it; the manifest's
 * record goes to r when `record`. */
static pc_status
eval_document(const struct eval_engine *e, const char *path, const char *ident,
              eval_source_fn source, void *src, bool record, pc_diags *d,
              pc_results *r)
{
    struct mstate ms = { .e = e, .d = d, .r = r, .path = path, .ident = ident };
    char sha[65] = "";
    pc_status st;

    ms.arena.max = EVAL_ARENA_MAX;
    if ((ms.path = diag_intern(d, path)) == NULL ||
        (ms.kinds = map_new()) == NULL || (ms.ids = map_new()) == NULL ||
        (ms.stores = map_new()) == NULL || (ms.wanted = map_new()) == NULL ||
        (ms.siblings = map_new()) == NULL ||
        (ms.unit_keys = map_new()) == NULL ||
        (ms.exercised = calloc(e->rules->nrules + 1, 1)) == NULL) {
        st = PC_ENOMEM;
        goto out;
    }
    /* Only the values() the rules ask for are collected. */
    for (size_t i = 0; i < e->rules->wanted_values.n; i++) {
        struct strv **v = realloc(ms.wanted_sets, (ms.nwanted + 1) * sizeof *v);

        if (v == NULL) {
            st = PC_ENOMEM;
            goto out;
        }
        ms.wanted_sets = v;
        if ((v[ms.nwanted] = calloc(1, sizeof **v)) == NULL) {
            st = PC_ENOMEM;
            goto out;
        }
        if ((st = map_put(ms.wanted, e->rules->wanted_values.v[i],
                          v[ms.nwanted++])) != PC_OK)
            goto out;
    }
    if ((st = source(src, &ms, sha)) != PC_OK)
        goto out;
    /* The whole document is known: the declarations, then the flows
     * whose checks needed all of it. */
    for (size_t i = 0; i < ms.all.n && st == PC_OK; i++)
        st = eval_object(&ms, ms.all.v[i], PASS_ALL);
    for (size_t i = 0; i < ms.retained.n && st == PC_OK; i++)
        st = eval_unit(&ms, ms.retained.v[i], PASS_DEFERRED);
    /* Clause coverage: which rules had something to judge. */
    for (size_t i = 0; i < e->rules->nrules && st == PC_OK; i++)
        if (ms.exercised[i])
            st = disclose_note(r, "rule", e->rules->rules[i]->id);
    if (st != PC_OK || !record || (st = disclose_document(&ms)) != PC_OK)
        goto out;
    struct pc_manifest_info info = {
        .file = path,
        .application = ms.root != NULL ? obj_attr1(ms.root, ATTR_NAME) : NULL,
        .version = ms.root != NULL ? obj_attr1(ms.root, "version") : NULL,
        .path = ident,
        .sha256 = sha,
        .kind = ms.root != NULL ? ms.root->kind : NULL,
    };
    st = results_add_manifest(r, &info);
out:
    mstate_free(&ms);
    return st;
}

pc_status
eval_manifest(const struct eval_engine *e, const char *path, const char *ident,
              pc_diags *d, pc_results *r)
{
    return eval_document(e, path, ident, eval_from_manifest, NULL, true, d, r);
}

pc_status
eval_nodes(const struct eval_engine *e, const char *path, const char *ident,
           const struct manifest_node *nodes, size_t n, pc_diags *d,
           pc_results *r)
{
    struct eval_node_list l = { nodes, n };

    return eval_document(e, path, ident, eval_from_nodes, &l, false, d, r);
}
