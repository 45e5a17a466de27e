/* policy-render.h - what the renderings of a policy share (policy-render.c
 * for Markdown and HTML, policy-json.c for JSON) and what policy lint
 * reuses: who cites each clause, which rules enforce it, and the deadline
 * that applies to a right in a jurisdiction. */
#ifndef PC_POLICY_RENDER_H
#define PC_POLICY_RENDER_H

#include "policy.h"

struct render_index {
    const pc_policy *p;
    /* The rules (borrowed) whose clauses are indexed; NULL when the
     * policy is rendered without rules. */
    const struct pc_rule_info *const *rules;
    size_t nrules;
    struct strv *cites;    /* per clause index: "kind id", ... */
    struct strv *enforced; /* per clause index: rule ids */
    bool nomem;
};

/* Index p's clauses. On any status x must be freed with
 * render_index_free. */
pc_status render_index_build(struct render_index *x, const pc_policy *p,
                             const struct pc_rule_info *const *rules,
                             size_t nrules);
void render_index_free(struct render_index *x);

/* The deadline a request for `right` must be answered in under j: the
 * right's own when the law sets one, else the jurisdiction's. Strings
 * borrowed from the policy. */
struct render_deadline {
    long days;           /* the fewest the deadline spans */
    const char *period;  /* as written ("P1M"), NULL for days */
    const char *statute; /* behind the deadline */
    bool required;       /* the law requires the right */
    const char *right_statute;
    bool own; /* the right's own deadline */
};
struct render_deadline render_deadline(const struct policy_jurisdiction *j,
                                       const char *right);

/* The policy as one JSON document (policy-json.c). */
pc_status render_json(const struct render_index *x, pc_diags *d, FILE *out);

#endif
