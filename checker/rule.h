/* rule.h - the rule model: rules, their checks, conditions, expressions
 * and message templates, as compiled from rules/NAME.rules.xml. Immutable
 * after loading; shared by every audit thread. */
#ifndef PC_RULE_H
#define PC_RULE_H

#include "privcheck.h"
#include "strv.h"

struct func;
struct pattern;
struct strbuf;
struct map;

enum expr_kind {
    EXPR_LIT,  /* 'text' or a number: a list of whitespace-separated items */
    EXPR_PATH, /* kind.attribute: an attribute of an object in scope */
    EXPR_VAR,  /* a variable bound by <each> */
    EXPR_CALL, /* function(args...) or a constant such as policy.purposes */
};

struct expr {
    enum expr_kind kind;
    char *text;        /* literal text, variable name, or path's kind */
    char *attr;        /* path's attribute */
    int derived;       /* path: an enum derived_attr, resolved at load */
    struct strv items; /* literal, split */
    const struct func *fn;
    struct expr **args;
    size_t nargs;
};

enum cond_kind {
    COND_ALL,
    COND_ANY,
    COND_NOT,
    COND_EQ,
    COND_NE,
    COND_IN,
    COND_INTERSECTS,
    COND_MATCHES,
    COND_LT,
    COND_LE,
    COND_GT,
    COND_GE,
    COND_EXISTS,
};

struct cond {
    enum cond_kind kind;
    struct cond **kids;
    size_t nkids;
    struct expr *a, *b;
    struct pattern *re;
    unsigned line;
};

/* A message template: literal text with {expression} placeholders. */
struct tpl_part {
    char *text;        /* literal, or NULL */
    struct expr *expr; /* placeholder, or NULL */
};

struct tpl {
    struct tpl_part *parts;
    size_t nparts;
};

struct each {
    char *var;
    struct expr *in;
};

/* One way a rule can fire: what it ranges over, bindings, a condition, and
 * the message it then gives. */
struct check {
    char *id;   /* distinguishes it from the rule's other checks; or NULL */
    char *over; /* a manifest element name, e.g. "field" */
    struct each *each;
    size_t neach;
    struct cond *when;
    struct tpl message;
    char *message_src; /* as written, for the catalog */
    char *at;          /* report at the line of this element, if present */
    bool deferred;     /* needs manifest-wide aggregates */
    struct strv kinds; /* the manifest elements it reads */
    unsigned line;
    const struct rule *rule;
};

struct rule {
    char *id, *title, *fix, *file;
    char *over; /* every kind its checks range over, "flow, keep" */
    pc_severity severity;
    struct strv clause_ids;
    struct strv subjects; /* whose data it judges; empty: everyone's */
    char *subjects_text;  /* the same, joined, for the catalog */
    struct pc_clause_ref *clauses;
    size_t nclauses;
    struct check *checks;
    size_t nchecks;
    unsigned line;
    size_t index;             /* in ruleset.rules, sorted by id */
    struct pc_rule_info info; /* what the public API shows */
};

struct ruleset {
    struct rule **rules; /* sorted by id */
    size_t nrules;
    struct map *by_id;
    /* Checks indexed by what they range over. */
    struct map *by_over; /* kind -> struct checklist * */
    struct checklist **lists;
    size_t nlists;
    /* Aggregates the checks use: "kind attr" pairs of values(). */
    struct strv wanted_values;
    /* "SHA-256  NAME\n" for each rules file, by name: what sha256sum
     * prints for them, so the digest depends on the files alone. */
    char *listing;
};

struct checklist {
    const char *over;
    const struct check **v;
    size_t n, cap;
};

/* Which attributes each manifest element may carry (from the manifest
 * schema), so that rules naming an unknown one fail at load. */
struct schema_attrs;

/* Parse an expression. Bare names are the variables in `vars` or manifest
 * element names. Errors go to d at loc, naming the rule `owner`. */
pc_status rulec_expr(const char *src, struct pc_loc loc, const char *owner,
                     const struct schema_attrs *sa, const struct strv *vars,
                     pc_diags *d, struct expr **out);
/* Parse a message template. */
pc_status rulec_tpl(const char *src, struct pc_loc loc, const char *owner,
                    const struct schema_attrs *sa, const struct strv *vars,
                    pc_diags *d, struct tpl *out);
void rulec_expr_free(struct expr *e);
/* e as a rule would write it (literals quoted), appended to b. */
pc_status rulec_expr_print(const struct expr *e, struct strbuf *b);
void rulec_tpl_free(struct tpl *t);
/* Does e (or any sub-expression) call an aggregate function? */
bool rulec_expr_deferred(const struct expr *e);
/* Record in `kinds` every manifest element e reads. */
pc_status rulec_expr_kinds(const struct expr *e, struct strv *kinds);
/* Record in `wanted` every values('kind','attr') constant pair in e. */
pc_status rulec_expr_wanted(const struct expr *e, struct strv *wanted);

/* Read element -> attribute names from the manifest schema. */
pc_status schema_attrs_load(const char *rng, pc_diags *d,
                            struct schema_attrs **out);
/* Add the elements of another document's schema (the waivers'): rules may
 * range over them too. Their names must differ from those already read. */
pc_status schema_attrs_load_more(struct schema_attrs *sa, const char *rng,
                                 pc_diags *d);
/* Let rules read attribute attr of kind, which privcheck computes (a
 * waiver's `expired`) rather than the document carries. PC_EINVALID when
 * there is no such kind. */
pc_status schema_attrs_add_computed(struct schema_attrs *sa, const char *kind,
                                    const char *attr);
/* The root element of the document kind belongs to ("application" for a
 * manifest's elements); NULL for no such kind. Borrowed. */
const char *schema_attrs_document(const struct schema_attrs *sa,
                                  const char *kind);
void schema_attrs_free(struct schema_attrs *sa);
/* Does the schema make attr of kind a whitespace-separated list? */
bool schema_attrs_is_list(const struct schema_attrs *sa, const char *kind,
                          const char *attr);
/* The values the schema enumerates for attr of kind; NULL when it takes
 * any value. Borrowed from sa. */
const struct strv *schema_attrs_values(const struct schema_attrs *sa,
                                       const char *kind, const char *attr);
/* The kind of policy id attr of kind holds (its pc:names annotation, e.g.
 * "purpose"), or NULL; *words (when words is not NULL) gets the fixed
 * values the schema also allows there ("*"), or NULL. Borrowed. */
const char *schema_attrs_names(const struct schema_attrs *sa, const char *kind,
                               const char *attr, const struct strv **words);
/* The i-th attribute of kind with a default (a:defaultValue): 1 and its
 * name and value (borrowed from sa), or 0 past the last. */
size_t schema_attrs_defaults(const struct schema_attrs *sa, const char *kind,
                             size_t i, const char **name, const char **value);
/* Where `kind` comes in a document, 0 first (SIZE_MAX: unknown). */
size_t schema_attrs_order(const struct schema_attrs *sa, const char *kind);
/* The namespaces of the pack's manifest extension, as pairs (URI,
 * prefix): an attribute in one is named prefix:local, whatever prefix a
 * manifest binds it to. Empty without an extension. Borrowed. */
const struct strv *schema_attrs_namespaces(const struct schema_attrs *sa);
/* Is `kind` an element of the manifest; does it have attribute attr? */
bool schema_attrs_has_kind(const struct schema_attrs *sa, const char *kind);
bool schema_attrs_has(const struct schema_attrs *sa, const char *kind,
                      const char *attr);

struct classify_set;
/* Load every *.rules.xml in dir (sorted by name), compile against the
 * policy, the manifest schema and the classifiers (what data ids exist
 * beside the policy's; NULL: none). On PC_OK *out is the caller's. */
pc_status rules_load(const char *dir, const char *schema,
                     const pc_policy *policy, const struct schema_attrs *sa,
                     const struct classify_set *cs, pc_diags *d,
                     struct ruleset **out);
void rules_free(struct ruleset *rs);
/* Compile one rules file on its own, as rules_load would, and discard it:
 * every problem goes to d. */
pc_status rules_check_file(const char *path, const char *schema,
                           const pc_policy *policy,
                           const struct schema_attrs *sa,
                           const struct classify_set *cs, pc_diags *d);

#endif
