/* eval.h - evaluating rules over a streamed manifest. */
#ifndef PC_EVAL_H
#define PC_EVAL_H

#include "privcheck.h"

struct ruleset;
struct schema_attrs;
struct classify_set;
struct evalctx;

/* A value: a list of strings, borrowed from the manifest, the policy or
 * the evaluation arena. A single string is a list of one; absent is
 * empty; booleans are "true" / "false". */
struct val {
    const char **v;
    size_t n;
};

enum {
    FUNC_AGGREGATE = 1u << 0,    /* reads the whole manifest: evaluate late */
    FUNC_LITERAL_ARGS = 1u << 1, /* arguments must be 'literals' */
    FUNC_PURE = 1u << 2,         /* a function of its arguments alone: on policy
                                    constants it is one, computed once */
    FUNC_UNION = 1u << 3,        /* its items are its arguments' items: `in`
                                    and `intersects` test each argument */
};

typedef pc_status (*func_impl)(struct evalctx *c, const struct val *args,
                               size_t nargs, struct val *out);

struct func {
    const char *name;
    unsigned min_args, max_args;
    unsigned flags;
    func_impl impl;
    const char *doc;
    /* What the policy ids in its arguments and its value name, by the
     * policy format's element names ("purpose", "right"; "data": a
     * category or element), so that the rule compiler can check the
     * literals a rule passes or compares: `args` gives one word per
     * argument ("-": not a policy id; a last word covers the rest),
     * `result` one for the value ("=": whatever its arguments name).
     * NULL: nothing to check. */
    const char *args, *result;
};

/* The kind of policy id fn's argument i names (from fn->args), or NULL. */
const char *func_arg_kind(const struct func *fn, size_t i);
/* ISO 8601 duration ("P1Y2M3DT4H") in seconds, years of 365 days and
 * months of 30; "indefinite" is infinity. False when malformed. */
bool eval_duration(const char *s, double *seconds);
/* A whole decimal number. False when s is not one. */
bool eval_number(const char *s, double *x);
/* The function called `name`, or NULL. */
const struct func *func_find(const char *name);
/* All functions, for documentation and `privcheck rules --functions`. */
const struct func *func_at(size_t i);

/* Attributes the evaluator computes for an element kind (beyond those the
 * manifest carries). */
enum derived_attr {
    DERIVED_NONE = 0,
    DERIVED_REPEATED,
    DERIVED_FIRST_LINE,
    DERIVED_LINE,
    DERIVED_ELEMENT,
    DERIVED_CATEGORIES,
    DERIVED_SENSITIVE,
    DERIVED_CLASSIFIED,
    DERIVED_CLASSIFIER,
    DERIVED_DECLARED,
    DERIVED_CLASSIFIED_SENSITIVE,
    DERIVED_MISLABELLED,
};

/* The derived attribute `attr` of `kind`, or DERIVED_NONE when the
 * manifest itself carries it. */
enum derived_attr eval_derived_attr(const char *kind, const char *attr);
/* The kind of policy id a derived attribute holds, as struct func's
 * `result` ("data"); NULL when it holds none. */
const char *eval_derived_names(enum derived_attr code);

struct eval_engine {
    const pc_policy *policy;
    const struct ruleset *rules;
    const struct schema_attrs *schema;
    struct classify_set *classifiers;
    const char *manifest_schema;
    const struct pc_trace *trace; /* NULL: none */
    size_t max_bytes;             /* of a manifest; 0: the default */
    enum pc_disclosure_items disclosure_items; /* which are kept */
};

/* Audit the manifest at path, known as `ident` (its path relative to the
 * source root, which fingerprints use): stream it, evaluate every check,
 * add the findings and the manifest's record to r. Non-OK: the manifest
 * could not be fully read or evaluated; whatever was added to r must be
 * discarded (pc_audit uses a scratch results for that). */
pc_status eval_manifest(const struct eval_engine *e, const char *path,
                        const char *ident, pc_diags *d, pc_results *r);

struct manifest_node;
/* Evaluate every check on a document another module read and built
 * (waiver.c: the waivers, with the attributes it computes), given as its
 * elements in document order, each with its depth (0 for the root); an
 * element ends before the next one at its depth or above. Findings go to
 * r, at `path`, named `ident` in fingerprints; nothing else is recorded.
 * Non-OK: discard what was added to r. */
pc_status eval_nodes(const struct eval_engine *e, const char *path,
                     const char *ident, const struct manifest_node *nodes,
                     size_t n, pc_diags *d, pc_results *r);

#endif
