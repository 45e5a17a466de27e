/* eval-int.h - the evaluator's private model, shared by eval.c (walking
 * the manifest and the rules) and func.c (the function library). */
#ifndef PC_EVAL_INT_H
#define PC_EVAL_INT_H

#include "arena.h"
#include "classify.h"
#include "eval.h"
#include "limit.h"
#include "strv.h"

struct map;

/* One manifest element, with its attributes as values. */
struct obj {
    char *kind;
    unsigned line;
    size_t nattrs;
    char **names;
    struct val *vals; /* items borrow from the strings below */
    char **raw;       /* attribute values (owned), split in place */
    struct obj *parent;
    struct obj **kids;
    size_t nkids, capkids;
    const char *key;  /* for the object path: id, name, ...; or NULL */
    unsigned ordinal; /* 2 for the second sibling with that key, ... */
    bool repeated;
    unsigned first_line;
    /* Fields only, computed once the flow is complete. */
    bool derived;
    /* What the field is: the declared category, or else the classifiers'
     * element; and also the classifiers' element when it is sensitive and
     * contradicts the declaration (DESIGN §5, "What a field is"). */
    const char *elements[2];
    size_t nelements;
    const char *classified, *classifier;
    bool classified_sensitive, sensitive, mislabelled;
    struct strv categories;
};

struct objlist {
    struct obj **v;
    size_t n, cap;
    /* Their ids, computed when first asked for (ids_at == n + 1 once
     * computed for n elements). */
    const char **ids;
    size_t nids, ids_at;
    struct map *idmap; /* the same ids, hashed */
};

/* A set of strings in insertion order, with O(1) membership. */
struct strset {
    struct strv v;
    struct map *m;
};

/* What the flows of one data subject write into one store. */
struct subjagg {
    char *subject; /* owned; "" when the flow names none */
    struct strset elements, categories;
    struct strset purpose_fields; /* "purpose\tfield-name" */
};

/* What flows write into one store, by data subject. */
struct storeagg {
    struct subjagg *v;
    size_t n;
};

struct mstate {
    const struct eval_engine *e;
    pc_diags *d;
    pc_results *r;
    const char *path;
    const char *ident; /* path relative to the source root */
    struct obj *stack[LIMIT_DEPTH_CEILING];
    unsigned depth;
    struct obj *root;
    struct obj *unit;  /* the streamed element being built, if any */
    struct map *kinds; /* kind -> struct objlist * (retained objects) */
    struct objlist **lists;
    size_t nlists;
    struct objlist all;      /* every retained object, document order */
    struct objlist retained; /* streamed units kept for deferred checks */
    struct map *ids;         /* id -> first line (uintptr_t) */
    struct strv idkeys;
    struct map *stores; /* store id -> struct storeagg * */
    struct storeagg **aggs;
    size_t naggs;
    struct map *wanted; /* "kind attr" -> struct strv * */
    struct strv **wanted_sets;
    size_t nwanted;
    struct arena arena;
    unsigned long nobjects;
    /* Flow and field checks that read an element that comes after the
     * flows (or never): known at the first flow, run at the end. */
    const struct check **late;
    size_t nlate;
    bool late_known;
    struct map *siblings; /* "parent kind key" -> repeats so far */
    struct strv sibkeys;
    struct map *unit_keys; /* within the current flow: "kind key" -> n */
    struct strv unit_keystore;
    /* Policy constants (functions of no argument that read no manifest),
     * computed once per manifest: each is one malloc'd block holding the
     * pointer array and the strings. */
    struct {
        const void *key; /* the struct func, or the struct expr */
        struct val v;
        struct map *m; /* its items hashed, when it is long */
    } consts[64];
    size_t nconsts;
    /* The data ids and purposes whose disclosure notes this manifest
     * already made (every field notes its data again). */
    struct strset noted_data, noted_purposes;
    /* The context the last field was classified in (its flow's). */
    struct classify_memo memo;
    /* Per rule (ruleset order): did it judge anything here? */
    bool *exercised;
};

struct evalctx {
    struct mstate *ms;
    const struct obj *obj;
    /* The data subjects whose flows the rule judges; NULL: all. Store
     * aggregates read only those subjects' flows. */
    const struct strv *subjects;
    const char *vars[8];
    struct val vals[8];
    size_t nvars;
    FILE *trace;     /* this evaluation is traced there; NULL: not */
    unsigned tdepth; /* nesting of the condition being traced */
};

/* Retained objects of one kind (NULL: none). */
const struct objlist *eval_kind(const struct mstate *ms, const char *kind);
/* The ids of the retained objects of one kind, each once (cached until
 * another object of that kind arrives). */
pc_status eval_ids(struct mstate *ms, const char *kind, struct val *out);
/* Add s to the set unless it is there. */
pc_status strset_add(struct strset *s, const char *str);

#define MEMBER_LINEAR 16 /* up to this many items, a scan is faster */

/* Membership in a value: a linear scan when it is short, a hash table
 * when it is long (the one eval_ids keeps, when it is a list of ids). */
struct member {
    const struct val *v;
    struct map *m;
    bool owned;
};
pc_status member_init(struct mstate *ms, struct member *mb,
                      const struct val *v);
bool member_has(const struct member *mb, const char *s);
void member_free(struct member *mb);
/* Does an aggregate of this subject count for the rule in scope? */
bool eval_subject_in_scope(const struct evalctx *c, const char *subject);
/* Attribute name of o as a value (empty if absent). */
struct val eval_attr(const struct obj *o, const char *name);

struct strbuf;
/* The object path of o, "flow[signup]/field[email]", appended to b: what
 * findings name it by. */
pc_status eval_objpath(const struct obj *o, struct strbuf *b);

/* Values in the arena. val_alloc makes room for n items (out->n = 0). */
pc_status val_alloc(struct evalctx *c, size_t n, struct val *out);
pc_status val_one(struct evalctx *c, const char *s, struct val *out);
pc_status val_from_strv(struct evalctx *c, const struct strv *sv,
                        struct val *out);
pc_status val_bool(struct evalctx *c, bool b, struct val *out);
pc_status val_number(struct evalctx *c, double x, struct val *out);
bool val_has(const struct val *v, const char *s);

#endif
