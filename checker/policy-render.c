/* policy-render.c - the policy for legal review, as Markdown or HTML (one
 * walk over doc.h): which clauses no rule enforces, then the text section
 * by section, every clause quoted under its id with what in the model
 * cites it and which rules enforce it, then the model as tables
 * (categories, elements, purposes, disclosures, rights with the deadline
 * and statute for each jurisdiction and right, retention, settings,
 * tracking, integrations). Deterministic: document order throughout. */
#include "config.h"

#include "policy-render.h"

#include "period.h"
#include "doc.h"
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

static const char *
yes(bool b)
{
    return b ? "yes" : "no";
}

/* ------------------------------------------------------------------ */
/* What cites each clause, and which rules enforce it. */

static void
render_cite(struct render_index *x, const struct strv *clauses,
            const char *kind, const char *id)
{
    struct strbuf b = STRBUF_INIT(0);

    if (strbuf_printf(&b, "%s %s", kind, id != NULL ? id : "?") != PC_OK) {
        x->nomem = true;
        strbuf_free(&b);
        return;
    }
    for (size_t i = 0; i < clauses->n; i++) {
        const struct policy_clause *c = policy_clause(x->p, clauses->v[i]);

        if (c != NULL && strv_add_unique(&x->cites[c - x->p->clauses],
                                         strbuf_str(&b)) != PC_OK)
            x->nomem = true;
    }
    strbuf_free(&b);
}

pc_status
render_index_build(struct render_index *x, const pc_policy *p,
                   const struct pc_rule_info *const *rules, size_t nrules)
{
    memset(x, 0, sizeof *x);
    x->p = p;
    x->rules = rules;
    x->nrules = nrules;
    if (p->nclauses == 0)
        return PC_OK;
    x->cites = calloc(p->nclauses, sizeof *x->cites);
    x->enforced = calloc(p->nclauses, sizeof *x->enforced);
    if (x->cites == NULL || x->enforced == NULL)
        return PC_ENOMEM;
    for (size_t i = 0; i < nrules; i++)
        for (size_t k = 0; k < rules[i]->nclauses; k++) {
            const struct policy_clause *c =
                policy_clause(p, rules[i]->clauses[k].id);

            if (c != NULL && strv_add_unique(&x->enforced[c - p->clauses],
                                             rules[i]->id) != PC_OK)
                x->nomem = true;
        }
    for (size_t i = 0; i < p->ncategories; i++)
        render_cite(x, &p->categories[i].clauses, "category",
                    p->categories[i].id);
    for (size_t i = 0; i < p->nelements; i++)
        render_cite(x, &p->elements[i].clauses, "element", p->elements[i].id);
    for (size_t i = 0; i < p->nsources; i++)
        render_cite(x, &p->sources[i].clauses, "source", p->sources[i].id);
    for (size_t i = 0; i < p->npurposes; i++)
        render_cite(x, &p->purposes[i].clauses, "purpose", p->purposes[i].id);
    for (size_t i = 0; i < p->nrecipient_types; i++)
        render_cite(x, &p->recipient_types[i].clauses, "recipient type",
                    p->recipient_types[i].id);
    for (size_t i = 0; i < p->nagreements; i++)
        render_cite(x, &p->agreements[i].clauses, "agreement",
                    p->agreements[i].id);
    render_cite(x, &p->appeal_clauses, "rights", "appeal");
    render_cite(x, &p->agents_clauses, "rights", "authorized-agents");
    render_cite(x, &p->verification_clauses, "rights", "verification");
    for (size_t i = 0; i < p->nrights; i++)
        render_cite(x, &p->rights[i].clauses, "right", p->rights[i].id);
    for (size_t i = 0; i < p->njurisdictions; i++)
        render_cite(x, &p->jurisdictions[i].clauses, "jurisdiction",
                    p->jurisdictions[i].id);
    render_cite(x, &p->retention_clauses, "retention", "retention");
    for (size_t i = 0; i < p->nbases; i++)
        render_cite(x, &p->bases[i].clauses, "retention basis", p->bases[i].id);
    render_cite(x, &p->encrypt_clauses, "security", "encrypt-in-transit");
    for (size_t i = 0; i < p->nsettings; i++)
        render_cite(x, &p->settings[i].clauses, "setting", p->settings[i].id);
    render_cite(x, &p->tracking_clauses, "tracking", "tracking");
    for (size_t i = 0; i < p->ntechnologies; i++)
        render_cite(x, &p->technologies[i].clauses, "technology",
                    p->technologies[i].id);
    render_cite(x, &p->tracking_collects_clauses, "tracking", "collects");
    render_cite(x, &p->children_clauses, "children", "min-age");
    render_cite(x, &p->transfer_clauses, "transfers", "countries");
    for (size_t i = 0; i < p->nintegrations; i++) {
        const struct policy_integration *g = &p->integrations[i];

        render_cite(x, &g->clauses, "integration", g->id);
        for (size_t k = 0; k < g->scopes.n; k++)
            render_cite(x, &g->scope_clauses[k], "scope", g->scopes.v[k]);
    }
    return x->nomem ? PC_ENOMEM : PC_OK;
}

void
render_index_free(struct render_index *x)
{
    for (size_t i = 0; x->p != NULL && i < x->p->nclauses; i++) {
        if (x->cites != NULL)
            strv_free(&x->cites[i]);
        if (x->enforced != NULL)
            strv_free(&x->enforced[i]);
    }
    free(x->cites);
    free(x->enforced);
    memset(x, 0, sizeof *x);
}

struct render_deadline
render_deadline(const struct policy_jurisdiction *j, const char *right)
{
    struct render_deadline dl = { j->deadline_days,
                                  j->deadline_period,
                                  j->deadline_statute,
                                  false,
                                  NULL,
                                  false };

    for (size_t k = 0; k < j->requires.n; k++) {
        if (strcmp(j->requires.v[k], right) != 0)
            continue;
        dl.required = true;
        dl.right_statute = j->requires_statutes.v[k];
        if (j->requires_days.v[k][0] != '\0') {
            dl.days = strtol(j->requires_days.v[k], NULL, 10);
            dl.period =
                k < j->requires_periods.n && j->requires_periods.v[k][0] != '\0'
                    ? j->requires_periods.v[k]
                    : NULL;
            dl.statute = j->requires_days_statutes.v[k][0] != '\0'
                             ? j->requires_days_statutes.v[k]
                             : dl.right_statute;
            dl.own = true;
        }
        return dl;
    }
    return dl;
}

/* ------------------------------------------------------------------ */
/* The text. */

struct render {
    const struct render_index *x;
    const pc_policy *p;
    struct doc *d;
};

static void
render_header(struct render *r)
{
    static const char *const heads[] = { "", "" };
    const pc_policy *p = r->p;
    struct doc *d = r->d;
    size_t normative = 0;

    for (size_t i = 0; i < p->nclauses; i++)
        normative += p->clauses[i].normative;
    doc_h(d, 1, NULL, p->title);
    doc_table(d, 2, heads);
    doc_row(d);
    doc_cell(d);
    doc_text(d, "Policy");
    doc_cell(d);
    doc_code(d, p->id);
    doc_row(d);
    doc_cell(d);
    doc_text(d, "Version");
    doc_cell(d);
    doc_cell_text(d, p->version);
    doc_row(d);
    doc_cell(d);
    doc_text(d, "Published");
    doc_cell(d);
    doc_cell_text(d, p->published);
    doc_row(d);
    doc_cell(d);
    doc_text(d, "Source text");
    doc_cell(d);
    doc_cell_text(d, p->source);
    doc_row(d);
    doc_cell(d);
    doc_text(d, "Encoded policy SHA-256");
    doc_cell(d);
    doc_code(d, p->sha256);
    doc_row(d);
    doc_cell(d);
    doc_text(d, "Clauses");
    doc_cell(d);
    doc_textf(d,
              "%zu in %zu sections (%zu normative, %zu quoted for "
              "completeness)",
              p->nclauses, p->nsections, normative, p->nclauses - normative);
    if (r->x->rules != NULL) {
        doc_row(d);
        doc_cell(d);
        doc_text(d, "Rules");
        doc_cell(d);
        doc_textf(d, "%zu loaded", r->x->nrules);
    }
    doc_table_end(d);
    doc_p(d);
    doc_text(d, "Each clause quotes one sentence of the published text "
                "verbatim (runs of white space shown as one space), under "
                "its id. \"Cited by\" lists the parts of the encoded policy "
                "that rest on it, \"Enforced by\" the rules that check it; "
                "the tables after the text show those parts.");
}

/* "kind id, kind id": the ids as code. */
static void
render_cites(struct doc *d, const struct strv *cites)
{
    for (size_t k = 0; k < cites->n; k++) {
        const char *sp = strrchr(cites->v[k], ' ');

        if (k > 0)
            doc_text(d, ", ");
        if (sp != NULL) {
            struct strbuf kind = STRBUF_INIT(0);

            if (strbuf_add(&kind, cites->v[k],
                           (size_t)(sp - cites->v[k]) + 1) != PC_OK)
                d->st = PC_ENOMEM;
            doc_text(d, strbuf_str(&kind));
            doc_code(d, sp + 1);
            strbuf_free(&kind);
        } else {
            doc_text(d, cites->v[k]);
        }
    }
}

/* Normative clauses no rule enforces: what an audit does not check. */
static void
render_coverage(struct render *r)
{
    static const char *const heads[] = { "Clause", "Section", "Text",
                                         "Cited by" };
    const pc_policy *p = r->p;
    struct doc *d = r->d;
    size_t normative = 0, unchecked = 0;

    if (r->x->rules == NULL)
        return;
    for (size_t i = 0; i < p->nclauses; i++)
        if (p->clauses[i].normative) {
            normative++;
            unchecked += r->x->enforced[i].n == 0;
        }
    doc_h(d, 2, "coverage", "Clause coverage");
    doc_p(d);
    doc_textf(d,
              "%zu of %zu normative clauses are enforced by at least one "
              "rule; %zu are enforced by none",
              normative - unchecked, normative, unchecked);
    if (unchecked == 0) {
        doc_text(d, ".");
        return;
    }
    doc_text(d, ": an audit does not check these promises.");
    doc_table(d, 4, heads);
    for (size_t i = 0; i < p->nclauses; i++) {
        const struct policy_clause *c = &p->clauses[i];
        const struct strv *cites = &r->x->cites[i];

        if (!c->normative || r->x->enforced[i].n > 0)
            continue;
        doc_row(d);
        doc_cell(d);
        doc_code(d, c->id);
        doc_cell(d);
        doc_textf(d, "§%s", c->section);
        doc_cell(d);
        doc_text(d, c->text);
        doc_cell(d);
        if (cites->n == 0)
            doc_text(d, "nothing");
        render_cites(d, cites);
    }
    doc_table_end(d);
}

static void
render_rule_list(struct render *r, const struct strv *ids)
{
    for (size_t k = 0; k < ids->n; k++) {
        const struct pc_rule_info *ri = NULL;

        for (size_t i = 0; i < r->x->nrules && ri == NULL; i++)
            if (strcmp(r->x->rules[i]->id, ids->v[k]) == 0)
                ri = r->x->rules[i];
        if (k > 0)
            doc_text(r->d, ", ");
        doc_code(r->d, ids->v[k]);
        if (ri != NULL && ri->title != NULL) {
            doc_text(r->d, " (");
            doc_text(r->d, ri->title);
            doc_text(r->d, ")");
        }
    }
}

static void
render_sections(struct render *r)
{
    const pc_policy *p = r->p;
    struct doc *d = r->d;

    for (size_t s = 0; s < p->nsections; s++) {
        const struct policy_section *sec = &p->sections[s];
        struct strbuf h = STRBUF_INIT(0);

        if (strbuf_printf(&h, "%s. %s", sec->number, sec->title) != PC_OK)
            d->st = PC_ENOMEM;
        doc_h(d, 2, NULL, strbuf_str(&h));
        strbuf_free(&h);
        for (size_t i = sec->first; i < sec->first + sec->count; i++) {
            const struct policy_clause *c = &p->clauses[i];
            const struct strv *cites = &r->x->cites[i];
            const struct strv *rules = &r->x->enforced[i];

            doc_p(d);
            doc_code(d, c->id);
            if (!c->normative)
                doc_text(d, " (not normative: quoted for completeness)");
            doc_quote(d);
            doc_text(d, c->text);
            if (cites->n > 0) {
                doc_p(d);
                doc_text(d, "Cited by: ");
                render_cites(d, cites);
                doc_text(d, ".");
            } else if (c->normative) {
                doc_p(d);
                doc_text(d, "Cited by: nothing in the encoded policy.");
            }
            if (r->x->rules == NULL || !c->normative)
                continue;
            doc_p(d);
            doc_text(d, "Enforced by: ");
            if (rules->n == 0)
                doc_strong(d, "no rule");
            else
                render_rule_list(r, rules);
            doc_text(d, ".");
        }
    }
}

/* ------------------------------------------------------------------ */
/* The model as tables. */

static void
render_only_from(struct doc *d, const struct strv *only)
{
    if (only->n > 0)
        doc_codes(d, only);
    else
        doc_text(d, "anywhere");
}

static void
render_data(struct render *r)
{
    static const char *const cat_heads[] = { "Category",
                                             "Title",
                                             "Collection",
                                             "Listed purposes",
                                             "Open to general purposes",
                                             "Sensitive",
                                             "Shared for business purposes",
                                             "Clauses" };
    static const char *const el_heads[] = { "Element",
                                            "Title",
                                            "Categories",
                                            "Collection",
                                            "Permitted purposes",
                                            "Sensitive",
                                            "Shared for business purposes",
                                            "Only from",
                                            "Clauses" };
    static const char *const src_heads[] = { "Source", "Title",
                                             "Elements collected only here",
                                             "Clauses" };
    const pc_policy *p = r->p;
    struct doc *d = r->d;

    doc_h(d, 2, "data", "Data categories and elements");
    doc_h(d, 3, NULL, "Categories");
    doc_table(d, 8, cat_heads);
    for (size_t i = 0; i < p->ncategories; i++) {
        const struct policy_category *c = &p->categories[i];

        doc_row(d);
        doc_cell(d);
        doc_code(d, c->id);
        doc_cell(d);
        doc_cell_text(d, c->title);
        doc_cell(d);
        doc_codes(d, &c->collection);
        doc_cell(d);
        doc_codes(d, &c->purposes);
        doc_cell(d);
        doc_text(d, yes(c->general_purposes));
        doc_cell(d);
        doc_text(d, yes(c->sensitive));
        doc_cell(d);
        doc_text(d, yes(c->shared_for_business));
        doc_cell(d);
        doc_codes(d, &c->clauses);
    }
    doc_table_end(d);
    doc_h(d, 3, NULL, "Elements");
    doc_p(d);
    doc_text(d, "Permitted purposes and collection methods are derived: "
                "what every category of the element allows, narrowed by "
                "the element's own purposes, less purposes prohibited for "
                "its data. An element is sensitive if any of its categories "
                "is, and shared for business purposes only if all of them "
                "are.");
    doc_table(d, 9, el_heads);
    for (size_t i = 0; i < p->nelements; i++) {
        const struct policy_element *e = &p->elements[i];

        doc_row(d);
        doc_cell(d);
        doc_code(d, e->id);
        doc_cell(d);
        doc_cell_text(d, e->title);
        doc_cell(d);
        doc_codes(d, &e->categories);
        doc_cell(d);
        doc_codes(d, &e->collection);
        doc_cell(d);
        doc_codes(d, &e->purposes);
        doc_cell(d);
        doc_text(d, yes(e->sensitive));
        doc_cell(d);
        doc_text(d, yes(e->shared_for_business));
        doc_cell(d);
        render_only_from(d, &e->only_from);
        doc_cell(d);
        doc_codes(d, &e->clauses);
    }
    doc_table_end(d);
    if (p->nsources == 0)
        return;
    doc_h(d, 3, NULL, "Restricted sources");
    doc_table(d, 4, src_heads);
    for (size_t i = 0; i < p->nsources; i++) {
        const struct policy_source *s = &p->sources[i];
        struct strv only = STRV_INIT;

        for (size_t k = 0; k < p->nelements; k++)
            if (strv_has(&p->elements[k].only_from, s->id) &&
                strv_push(&only, p->elements[k].id) != PC_OK)
                d->st = PC_ENOMEM;
        doc_row(d);
        doc_cell(d);
        doc_code(d, s->id);
        doc_cell(d);
        doc_cell_text(d, s->title);
        doc_cell(d);
        doc_codes(d, &only);
        doc_cell(d);
        doc_codes(d, &s->clauses);
        strv_free(&only);
    }
    doc_table_end(d);
}

static void
render_purposes(struct render *r)
{
    static const char *const heads[] = { "Purpose",       "Title",
                                         "Scope",         "Needs",
                                         "Internal only", "Prohibited",
                                         "Clauses" };
    const pc_policy *p = r->p;
    struct doc *d = r->d;

    doc_h(d, 2, "purposes", "Purposes");
    doc_p(d);
    doc_text(d, "A general purpose is open to every category that accepts "
                "general purposes; a listed one only where a category or "
                "element lists it.");
    doc_table(d, 7, heads);
    for (size_t i = 0; i < p->npurposes; i++) {
        const struct policy_purpose *u = &p->purposes[i];

        doc_row(d);
        doc_cell(d);
        doc_code(d, u->id);
        doc_cell(d);
        doc_cell_text(d, u->title);
        doc_cell(d);
        doc_cell_text(d, u->scope);
        doc_cell(d);
        if (strcmp(u->needs, "consent") == 0)
            doc_strong(d, "consent");
        else if (strcmp(u->needs, "opt-out") == 0)
            doc_strong(d, "honoured opt-out");
        else
            doc_cell_text(d, u->prohibited ? "" : u->needs);
        doc_cell(d);
        doc_text(d, yes(u->internal_only));
        doc_cell(d);
        if (u->prohibited) {
            doc_strong(d, "always");
        } else if (u->prohibited_for.n > 0) {
            doc_strong(d, "for");
            doc_text(d, " ");
            doc_codes(d, &u->prohibited_for);
        } else {
            doc_text(d, "no");
        }
        doc_cell(d);
        doc_codes(d, &u->clauses);
    }
    doc_table_end(d);
}

static void
render_disclosures(struct render *r)
{
    static const char *const rt_heads[] = { "Recipient type", "Title", "Needs",
                                            "Clauses" };
    static const char *const ag_heads[] = { "Agreement", "Title",
                                            "Data subject", "Clauses" };
    const pc_policy *p = r->p;
    struct doc *d = r->d;

    doc_h(d, 2, "disclosures", "Disclosures");
    doc_h(d, 3, NULL, "Recipient types");
    doc_p(d);
    doc_text(d, "Any recipient type not listed here is not disclosed by the "
                "policy.");
    doc_table(d, 4, rt_heads);
    for (size_t i = 0; i < p->nrecipient_types; i++) {
        const struct policy_recipient_type *t = &p->recipient_types[i];

        doc_row(d);
        doc_cell(d);
        doc_code(d, t->id);
        doc_cell(d);
        doc_cell_text(d, t->title);
        doc_cell(d);
        if (t->needs != NULL && strcmp(t->needs, "none") != 0)
            doc_strong(d, t->needs);
        else
            doc_cell_text(d, t->needs);
        doc_cell(d);
        doc_codes(d, &t->clauses);
    }
    doc_table_end(d);
    if (p->nagreements == 0)
        return;
    doc_h(d, 3, NULL, "Agreements");
    doc_p(d);
    doc_text(d, "Data of the named flow subject may go only to recipients "
                "that have signed the agreement.");
    doc_table(d, 4, ag_heads);
    for (size_t i = 0; i < p->nagreements; i++) {
        const struct policy_agreement *a = &p->agreements[i];

        doc_row(d);
        doc_cell(d);
        doc_code(d, a->id);
        doc_cell(d);
        doc_cell_text(d, a->title);
        doc_cell(d);
        doc_code(d, a->subject);
        doc_cell(d);
        doc_codes(d, &a->clauses);
    }
    doc_table_end(d);
}

/* "45 days (statute)", "1 month (P1M, 28 days at the shortest) (statute)" */
static void
render_days(struct doc *d, long days, const char *period, const char *statute)
{
    char label[160];

    period_label(period, days, label, sizeof label);
    doc_text(d, label);
    if (statute != NULL && *statute != '\0') {
        doc_text(d, " (");
        doc_text(d, statute);
        doc_text(d, ")");
    }
}

static void
render_jurisdictions(struct render *r)
{
    static const char *const heads[] = { "Jurisdiction", "Law",
                                         "Effective",    "Response deadline",
                                         "Appeal",       "Clauses" };
    const pc_policy *p = r->p;
    struct doc *d = r->d;

    doc_h(d, 3, NULL, "Jurisdictions");
    doc_p(d);
    doc_text(d, "Statutory facts: law, not policy text. Deadlines are in "
                "days or periods of months (a month from a date; against a "
                "promise in days it counts as its shortest span); the "
                "extension is for exceptional cases. A right "
                "whose law sets its own deadline is named after the "
                "jurisdiction's.");
    doc_table(d, 6, heads);
    for (size_t i = 0; i < p->njurisdictions; i++) {
        const struct policy_jurisdiction *j = &p->jurisdictions[i];
        char label[160];

        doc_row(d);
        doc_cell(d);
        doc_code(d, j->id);
        doc_text(d, " ");
        doc_cell_text(d, j->title);
        if (j->members.n > 0) {
            doc_text(d, "; its law covers audiences in ");
            doc_codes(d, &j->members);
        }
        doc_cell(d);
        doc_cell_text(d, j->law);
        if (j->statute != NULL) {
            doc_text(d, " (");
            doc_cell_text(d, j->statute);
            doc_text(d, ")");
        }
        doc_cell(d);
        doc_cell_text(d, j->effective);
        doc_cell(d);
        render_days(d, j->deadline_days, j->deadline_period, NULL);
        if (j->extension_period != NULL) {
            period_label(j->extension_period, j->extension_days, label,
                         sizeof label);
            doc_textf(d, ", extension %s (", label);
        } else {
            doc_textf(d, ", extension %ld (", j->extension_days);
        }
        doc_cell_text(d, j->deadline_statute);
        doc_text(d, ")");
        for (size_t k = 0; k < j->requires.n; k++) {
            if (j->requires_days.v[k][0] == '\0')
                continue;
            doc_text(d, "; ");
            doc_code(d, j->requires.v[k]);
            doc_text(d, ": ");
            render_days(d, strtol(j->requires_days.v[k], NULL, 10),
                        render_deadline(j, j->requires.v[k]).period,
                        render_deadline(j, j->requires.v[k]).statute);
        }
        doc_cell(d);
        if (j->appeal_required) {
            doc_textf(d, "required: %ld days", j->appeal_days);
            if (j->appeal_extension_days > 0)
                doc_textf(d, ", extension %ld", j->appeal_extension_days);
            doc_text(d, " (");
            doc_cell_text(d, j->appeal_statute);
            doc_text(d, ")");
        } else {
            doc_text(d, "not required by law");
        }
        doc_cell(d);
        doc_codes(d, &j->clauses);
    }
    doc_table_end(d);
}

/* Rows: rights; columns: jurisdictions; a cell says whether the law
 * requires the right (with its statute) or the policy offers it, and the
 * deadline that applies to a request there. */
static void
render_matrix(struct render *r)
{
    const pc_policy *p = r->p;
    struct doc *d = r->d;
    const char **heads = calloc(p->njurisdictions + 1, sizeof *heads);

    if (heads == NULL) {
        d->st = PC_ENOMEM;
        return;
    }
    heads[0] = "Right";
    for (size_t i = 0; i < p->njurisdictions; i++)
        heads[i + 1] = p->jurisdictions[i].id;
    doc_h(d, 3, "rights-matrix", "Rights by jurisdiction");
    doc_p(d);
    doc_text(d, "required: by that jurisdiction's law (statute given); "
                "offered: by the policy voluntarily; —: neither. The "
                "deadline is the one a request for that right must be "
                "answered in there, with the statute that sets it.");
    doc_table(d, p->njurisdictions + 1, heads);
    for (size_t g = 0; g < p->nrights; g++) {
        const char *right = p->rights[g].id;

        doc_row(d);
        doc_cell(d);
        doc_code(d, right);
        for (size_t i = 0; i < p->njurisdictions; i++) {
            const struct policy_jurisdiction *j = &p->jurisdictions[i];
            struct render_deadline dl = render_deadline(j, right);

            doc_cell(d);
            if (dl.required) {
                doc_em(d, "required");
                doc_text(d, " (");
                doc_cell_text(d, dl.right_statute);
                doc_text(d, "), ");
            } else if (strv_has(&j->offers, right)) {
                doc_em(d, "offered");
                doc_text(d, ", ");
            } else {
                doc_text(d, "—");
                continue;
            }
            render_days(d, dl.days, dl.period, dl.statute);
        }
    }
    doc_table_end(d);
    free(heads);
}

static void
render_rights(struct render *r)
{
    static const char *const heads[] = { "Right", "Title", "Verify identity",
                                         "At most once per", "Clauses" };
    const pc_policy *p = r->p;
    struct doc *d = r->d;

    if (p->nrights == 0)
        return;
    doc_h(d, 2, "rights", "Rights");
    if (p->appeal_channel != NULL) {
        doc_ul(d);
        doc_li(d);
        doc_text(d, "Appeals: by ");
        doc_code(d, p->appeal_channel);
        doc_text(d, " with the subject \"");
        doc_text(d, p->appeal_subject);
        doc_text(d, "\" (");
        doc_codes(d, &p->appeal_clauses);
        doc_text(d, ").");
        doc_li(d);
        doc_text(d, "Authorized agents are accepted (");
        doc_codes(d, &p->agents_clauses);
        doc_text(d, ").");
        doc_li(d);
        doc_text(d, "Identity verification (");
        doc_codes(d, &p->verification_clauses);
        doc_text(d, ").");
        doc_list_end(d);
    }
    doc_table(d, 5, heads);
    for (size_t i = 0; i < p->nrights; i++) {
        const struct policy_right *g = &p->rights[i];

        doc_row(d);
        doc_cell(d);
        doc_code(d, g->id);
        doc_cell(d);
        doc_cell_text(d, g->title);
        doc_cell(d);
        doc_text(d, yes(g->verify));
        doc_cell(d);
        doc_cell_text(d, g->frequency);
        doc_cell(d);
        doc_codes(d, &g->clauses);
    }
    doc_table_end(d);
    if (p->njurisdictions == 0)
        return;
    render_jurisdictions(r);
    render_matrix(r);
}

static void
render_retention(struct render *r)
{
    static const char *const b_heads[] = { "Basis", "Clauses" };
    static const char *const s_heads[] = { "Setting", "Type",
                                           "Default", "Organisation setting",
                                           "Why",     "Clauses" };
    const pc_policy *p = r->p;
    struct doc *d = r->d;

    if (p->nbases > 0 || p->retention_clauses.n > 0) {
        doc_h(d, 2, "retention", "Retention");
        doc_p(d);
        doc_text(d, "Personal information may be kept on these bases (");
        doc_codes(d, &p->retention_clauses);
        doc_text(d, "):");
        doc_table(d, 2, b_heads);
        for (size_t i = 0; i < p->nbases; i++) {
            doc_row(d);
            doc_cell(d);
            doc_code(d, p->bases[i].id);
            doc_cell(d);
            doc_codes(d, &p->bases[i].clauses);
        }
        doc_table_end(d);
    }
    if (p->encrypt_categories.n > 0) {
        doc_h(d, 2, "security", "Security");
        doc_p(d);
        doc_text(d, "Encrypted in transit: ");
        doc_codes(d, &p->encrypt_categories);
        doc_text(d, " (");
        doc_codes(d, &p->encrypt_clauses);
        doc_text(d, ").");
    }
    if (p->nsettings == 0)
        return;
    doc_h(d, 2, "settings", "Settings");
    doc_p(d);
    doc_text(d, "An organisation setting is a number the published text "
                "does not give: the value is the organisation's default, "
                "not a promise of the policy.");
    doc_table(d, 6, s_heads);
    for (size_t i = 0; i < p->nsettings; i++) {
        const struct policy_setting *s = &p->settings[i];

        doc_row(d);
        doc_cell(d);
        doc_code(d, s->id);
        doc_cell(d);
        doc_cell_text(d, s->type);
        doc_cell(d);
        doc_code(d, s->value);
        doc_cell(d);
        if (s->organisation)
            doc_strong(d, "yes");
        doc_text(d, s->organisation ? " (organisation default)" : "no");
        doc_cell(d);
        doc_cell_text(d, s->why);
        doc_cell(d);
        doc_codes(d, &s->clauses);
    }
    doc_table_end(d);
}

static void
render_tracking(struct render *r)
{
    static const char *const heads[] = { "Technology", "Title", "Clauses" };
    const pc_policy *p = r->p;
    struct doc *d = r->d;

    if (p->ntechnologies > 0) {
        doc_h(d, 2, "tracking", "Tracking");
        doc_p(d);
        doc_text(d, "Disclosed technologies (");
        doc_codes(d, &p->tracking_clauses);
        doc_text(d, "); any other is undisclosed.");
        doc_table(d, 3, heads);
        for (size_t i = 0; i < p->ntechnologies; i++) {
            doc_row(d);
            doc_cell(d);
            doc_code(d, p->technologies[i].id);
            doc_cell(d);
            doc_cell_text(d, p->technologies[i].title);
            doc_cell(d);
            doc_codes(d, &p->technologies[i].clauses);
        }
        doc_table_end(d);
        doc_p(d);
        doc_text(d, "Tracking may collect only: ");
        doc_codes(d, &p->tracking_collects);
        doc_text(d, " (");
        doc_codes(d, &p->tracking_collects_clauses);
        doc_text(d, ").");
    }
    if (p->children_min_age > 0) {
        doc_h(d, 2, "children", "Children");
        doc_p(d);
        doc_textf(d, "No knowing collection from children under %ld (",
                  p->children_min_age);
        doc_codes(d, &p->children_clauses);
        doc_text(d, ").");
    }
    if (p->transfer_countries.n > 0) {
        doc_h(d, 2, "transfers", "International transfers");
        doc_p(d);
        doc_text(d, "To and in: ");
        doc_codes(d, &p->transfer_countries);
        if (p->transfer_other_countries)
            doc_text(d, ", and other countries the text does not name");
        doc_text(d, " (");
        doc_codes(d, &p->transfer_clauses);
        doc_text(d, ").");
    }
}

static void
render_integrations(struct render *r)
{
    static const char *const heads[] = { "Integration", "Provider", "Title",
                                         "Data",        "Purposes", "Stored",
                                         "Transferred", "Clauses" };
    const pc_policy *p = r->p;
    struct doc *d = r->d;

    if (p->nintegrations == 0)
        return;
    doc_h(d, 2, "integrations", "Integrations");
    doc_table(d, 8, heads);
    for (size_t i = 0; i < p->nintegrations; i++) {
        const struct policy_integration *g = &p->integrations[i];

        doc_row(d);
        doc_cell(d);
        doc_code(d, g->id);
        doc_cell(d);
        doc_code(d, g->provider);
        doc_cell(d);
        doc_cell_text(d, g->title);
        doc_cell(d);
        doc_codes(d, &g->elements);
        doc_cell(d);
        doc_codes(d, &g->purposes);
        doc_cell(d);
        if (g->store)
            doc_text(d, "yes");
        else
            doc_strong(d, "never");
        doc_cell(d);
        if (g->transfer)
            doc_text(d, "yes");
        else
            doc_strong(d, "never");
        doc_cell(d);
        doc_codes(d, &g->clauses);
    }
    doc_table_end(d);
    for (size_t i = 0; i < p->nintegrations; i++) {
        const struct policy_integration *g = &p->integrations[i];

        doc_p(d);
        doc_text(d, "Scopes ");
        doc_code(d, g->id);
        doc_text(d, " may request (any other is beyond the policy):");
        doc_ul(d);
        for (size_t k = 0; k < g->scopes.n; k++) {
            doc_li(d);
            doc_code(d, g->scopes.v[k]);
            doc_text(d, " (");
            doc_codes(d, &g->scope_clauses[k]);
            doc_text(d, ")");
        }
        doc_list_end(d);
    }
}

static pc_status
render_doc(const struct render_index *x, const char *format, FILE *out)
{
    struct render r = { x, x->p, NULL };
    pc_status st = doc_open(format, out, x->p->title, &r.d);

    if (st != PC_OK)
        return st;
    render_header(&r);
    render_coverage(&r);
    render_sections(&r);
    render_data(&r);
    render_purposes(&r);
    render_disclosures(&r);
    render_rights(&r);
    render_retention(&r);
    render_tracking(&r);
    render_integrations(&r);
    return doc_end(r.d);
}

bool
pc_policy_render_format_known(const char *format)
{
    return doc_format_known(format) || strcmp(format, "json") == 0;
}

const char *
pc_policy_render_formats(void)
{
    return "markdown, html, json";
}

static pc_status
render_with(const pc_policy *p, const struct pc_rule_info *const *rules,
            size_t nrules, const char *format, FILE *out, pc_diags *d)
{
    struct render_index x;
    pc_status st = render_index_build(&x, p, rules, nrules);

    if (st == PC_OK)
        st = strcmp(format, "json") == 0 ? render_json(&x, d, out)
                                         : render_doc(&x, format, out);
    render_index_free(&x);
    return st;
}

pc_status
pc_policy_render(const pc_engine *e, const char *format, FILE *out, pc_diags *d)
{
    size_t n = pc_engine_rule_count(e);
    const struct pc_rule_info **rules = calloc(n + 1, sizeof *rules);
    pc_status st;

    if (rules == NULL)
        return PC_ENOMEM;
    for (size_t i = 0; i < n; i++)
        rules[i] = pc_engine_rule(e, i);
    st = render_with(pc_engine_policy(e), rules, n, format, out, d);
    free(rules);
    return st;
}

pc_status
pc_policy_render_markdown(const pc_policy *p, FILE *out)
{
    return render_with(p, NULL, 0, "markdown", out, NULL);
}
