/* disclose.h - how the policy discloses what each flow does (DESIGN §6,
 * the classes of the privacy literature's PoliCheck): a field's data, a
 * flow's purpose and its recipient's type are each clear, vague, omitted
 * or incorrect; and what the policy discloses that no audited manifest
 * does (stale disclosures). Judged against the policy model alone. */
#ifndef PC_DISCLOSE_H
#define PC_DISCLOSE_H

#include "privcheck.h"
#include "strv.h"

enum disclose_class {
    DISCLOSE_CLEAR,     /* the policy names it */
    DISCLOSE_VAGUE,     /* only its category is disclosed */
    DISCLOSE_OMITTED,   /* nothing in the policy covers it */
    DISCLOSE_INCORRECT, /* the policy says it does not happen */
    DISCLOSE_NCLASSES
};

/* "clear", "vague", "omitted", "incorrect". Static. */
const char *disclose_class_str(enum disclose_class c);

/* How many of r's disclosure judgements fall in each class: counts[k]
 * for class k, kept as items or not (pc_disclosure_items). Returns the
 * number of judgements. */
size_t disclose_count(const pc_results *r, size_t counts[DISCLOSE_NCLASSES]);
/* The same for the judgements of the manifest named `file` (NULL: ""). */
size_t disclose_count_file(const pc_results *r, const char *file,
                           size_t counts[DISCLOSE_NCLASSES]);

/* What is judged: a field's data, a flow's purpose, a recipient's type. */
#define DISCLOSE_DATA "data"
#define DISCLOSE_PURPOSE "purpose"
#define DISCLOSE_RECIPIENT "recipient"

/* One judgement, owned by the results. Strings are owned; clause and
 * aspect are borrowed (the policy, static). */
struct disclose_item {
    char *file, *application;
    char *object; /* "flow[f]/field[x]" for data, "flow[f]" otherwise */
    char *flow, *field;
    const char *aspect;
    char *value; /* the elements, space-separated; a purpose; a type */
    /* For the data map (data items only, else NULL): the field's
     * categories, space-separated; the flow's purpose and destination
     * ("store" or "recipient", its id, and a recipient's type). */
    char *categories, *purpose, *to_kind, *to, *recipient_type;
    bool sensitive;
    unsigned line;
    enum disclose_class cls;
    const char *clause; /* the clause that makes it clear, vague or
                           incorrect; NULL */
};

/* What a manifest says about privacy rights, for the rights matrix. */
struct disclose_handler {
    char *right, *days; /* days: response-days as written, or NULL */
    unsigned line;
};

/* The judgements of one manifest that were counted, not kept. */
struct disclose_tally {
    char *file;
    size_t counts[DISCLOSE_NCLASSES];
};

struct disclose_rights {
    char *file, *application;
    char *jurisdictions; /* the audience's, as written; NULL: none */
    struct disclose_handler *handlers;
    size_t nhandlers;
    bool appeal;
    char *appeal_days;
    unsigned appeal_line;
};

/* A verdict on one datum. */
struct disclose_verdict {
    enum disclose_class cls;
    const char *clause; /* borrowed from the policy; NULL */
};

/* The class of data that is `element` (an element or category id, or
 * anything a classifier named), moved for `purpose` (NULL: none given). */
struct disclose_verdict disclose_data(const pc_policy *p, const char *element,
                                      const char *purpose);
/* The class of `purpose` for data of these element or category ids. */
struct disclose_verdict disclose_purpose(const pc_policy *p,
                                         const char *purpose,
                                         const char *const *data, size_t n);
/* The class of a recipient type. */
struct disclose_verdict disclose_recipient(const pc_policy *p,
                                           const char *type);

/* A stale disclosure: something the policy discloses that no audited
 * manifest of the run does. Borrowed from the policy. */
struct disclose_stale {
    const char *kind; /* "element", "category", "purpose", "recipient-type",
                         "technology" */
    const char *id, *title;
    const struct strv *clauses;
};

/* Every stale disclosure of r under p, in policy order, into a new array
 * (*out, the caller's to free; NULL when there are none). */
pc_status disclose_stale(const pc_policy *p, const pc_results *r,
                         struct disclose_stale **out, size_t *n);

/* Note kind/id as done by some manifest of r (stale disclosures are what
 * is never noted); kinds as in struct disclose_stale, and "rule" for a
 * rule that judged something. */
pc_status disclose_note(pc_results *r, const char *kind, const char *id);
/* Whether kind/id was noted, in *noted; PC_ENOMEM when it cannot tell. */
pc_status disclose_noted(const pc_results *r, const char *kind, const char *id,
                         bool *noted);

struct mstate;
struct obj;
/* Judge the complete flow u (its fields derived) and record the items
 * in ms's results. */
pc_status disclose_flow(struct mstate *ms, const struct obj *u);
/* At the end of a manifest: note what its trackers collect, and record
 * its rights declarations. */
pc_status disclose_document(struct mstate *ms);

#endif
