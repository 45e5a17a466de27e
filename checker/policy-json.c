/* policy-json.c - the policy as one JSON document, for tools: the model
 * as the loader derived it, each clause with what cites it and the rules
 * that enforce it, the normative clauses no rule enforces, and for each
 * jurisdiction and right the deadline with its statute. Built with
 * jansson (jbuild.h), keys in a fixed order. */
#include "config.h"

#include "policy-render.h"

#include "jbuild.h"

#include <string.h>

struct pj {
    struct jbuild b;
    const struct render_index *x;
};

static json_t *
pj_strv(struct pj *j, const struct strv *sv)
{
    json_t *a = json_array();

    for (size_t i = 0; a != NULL && i < sv->n; i++)
        jbuild_str(&j->b, a, NULL, sv->v[i]);
    return a;
}

static json_t *
pj_obj(struct pj *j, json_t *parent, const char *key)
{
    return jbuild_put(&j->b, parent, key, json_object());
}

static void
pj_clauses(struct pj *j, json_t *parent)
{
    const pc_policy *p = j->x->p;
    json_t *sections = jbuild_put(&j->b, parent, "sections", json_array());
    json_t *unenforced = NULL;

    if (j->x->rules != NULL)
        unenforced = json_array();
    for (size_t s = 0; s < p->nsections && sections != NULL; s++) {
        const struct policy_section *sec = &p->sections[s];
        json_t *o = pj_obj(j, sections, NULL), *cl;

        if (o == NULL)
            break;
        jbuild_str(&j->b, o, "number", sec->number);
        jbuild_str(&j->b, o, "title", sec->title);
        cl = jbuild_put(&j->b, o, "clauses", json_array());
        for (size_t i = sec->first; cl != NULL && i < sec->first + sec->count;
             i++) {
            const struct policy_clause *c = &p->clauses[i];
            json_t *co = pj_obj(j, cl, NULL);

            if (co == NULL)
                break;
            jbuild_str(&j->b, co, "id", c->id);
            jbuild_bool(&j->b, co, "normative", c->normative);
            jbuild_str(&j->b, co, "text", c->text);
            jbuild_int(&j->b, co, "line", c->line);
            jbuild_put(&j->b, co, "cited_by", pj_strv(j, &j->x->cites[i]));
            if (j->x->rules != NULL)
                jbuild_put(&j->b, co, "enforced_by",
                           pj_strv(j, &j->x->enforced[i]));
            if (unenforced != NULL && c->normative && j->x->enforced[i].n == 0)
                jbuild_str(&j->b, unenforced, NULL, c->id);
        }
    }
    if (unenforced != NULL)
        jbuild_put(&j->b, parent, "unenforced_clauses", unenforced);
}

static void
pj_data(struct pj *j, json_t *root)
{
    const pc_policy *p = j->x->p;
    json_t *a = jbuild_put(&j->b, root, "categories", json_array());

    for (size_t i = 0; a != NULL && i < p->ncategories; i++) {
        const struct policy_category *c = &p->categories[i];
        json_t *o = pj_obj(j, a, NULL);

        if (o == NULL)
            return;
        jbuild_str(&j->b, o, "id", c->id);
        jbuild_str(&j->b, o, "title", c->title);
        jbuild_put(&j->b, o, "collection", pj_strv(j, &c->collection));
        jbuild_put(&j->b, o, "purposes", pj_strv(j, &c->purposes));
        jbuild_bool(&j->b, o, "general_purposes", c->general_purposes);
        jbuild_bool(&j->b, o, "sensitive", c->sensitive);
        jbuild_bool(&j->b, o, "shared_for_business", c->shared_for_business);
        jbuild_put(&j->b, o, "members", pj_strv(j, &c->members));
        jbuild_put(&j->b, o, "clauses", pj_strv(j, &c->clauses));
    }
    a = jbuild_put(&j->b, root, "elements", json_array());
    for (size_t i = 0; a != NULL && i < p->nelements; i++) {
        const struct policy_element *e = &p->elements[i];
        json_t *o = pj_obj(j, a, NULL);

        if (o == NULL)
            return;
        jbuild_str(&j->b, o, "id", e->id);
        jbuild_str(&j->b, o, "title", e->title);
        jbuild_put(&j->b, o, "categories", pj_strv(j, &e->categories));
        jbuild_put(&j->b, o, "collection", pj_strv(j, &e->collection));
        jbuild_put(&j->b, o, "purposes", pj_strv(j, &e->purposes));
        jbuild_bool(&j->b, o, "sensitive", e->sensitive);
        jbuild_bool(&j->b, o, "shared_for_business", e->shared_for_business);
        jbuild_put(&j->b, o, "only_from", pj_strv(j, &e->only_from));
        jbuild_put(&j->b, o, "clauses", pj_strv(j, &e->clauses));
    }
    a = jbuild_put(&j->b, root, "purposes", json_array());
    for (size_t i = 0; a != NULL && i < p->npurposes; i++) {
        const struct policy_purpose *u = &p->purposes[i];
        json_t *o = pj_obj(j, a, NULL);

        if (o == NULL)
            return;
        jbuild_str(&j->b, o, "id", u->id);
        jbuild_str(&j->b, o, "title", u->title);
        jbuild_str(&j->b, o, "scope", u->scope);
        jbuild_str(&j->b, o, "needs", u->prohibited ? NULL : u->needs);
        jbuild_bool(&j->b, o, "internal_only", u->internal_only);
        jbuild_bool(&j->b, o, "prohibited", u->prohibited);
        jbuild_put(&j->b, o, "prohibited_for", pj_strv(j, &u->prohibited_for));
        jbuild_put(&j->b, o, "clauses", pj_strv(j, &u->clauses));
    }
    a = jbuild_put(&j->b, root, "recipient_types", json_array());
    for (size_t i = 0; a != NULL && i < p->nrecipient_types; i++) {
        const struct policy_recipient_type *t = &p->recipient_types[i];
        json_t *o = pj_obj(j, a, NULL);

        if (o == NULL)
            return;
        jbuild_str(&j->b, o, "id", t->id);
        jbuild_str(&j->b, o, "title", t->title);
        jbuild_str(&j->b, o, "needs", t->needs);
        jbuild_put(&j->b, o, "clauses", pj_strv(j, &t->clauses));
    }
}

static void
pj_rights(struct pj *j, json_t *root)
{
    const pc_policy *p = j->x->p;
    json_t *a = jbuild_put(&j->b, root, "rights", json_array());

    for (size_t i = 0; a != NULL && i < p->nrights; i++) {
        const struct policy_right *g = &p->rights[i];
        json_t *o = pj_obj(j, a, NULL);

        if (o == NULL)
            return;
        jbuild_str(&j->b, o, "id", g->id);
        jbuild_str(&j->b, o, "title", g->title);
        jbuild_bool(&j->b, o, "verify", g->verify);
        jbuild_str(&j->b, o, "frequency", g->frequency);
        jbuild_put(&j->b, o, "clauses", pj_strv(j, &g->clauses));
    }
    a = jbuild_put(&j->b, root, "jurisdictions", json_array());
    for (size_t i = 0; a != NULL && i < p->njurisdictions; i++) {
        const struct policy_jurisdiction *jr = &p->jurisdictions[i];
        json_t *o = pj_obj(j, a, NULL), *dl, *ap, *rs;

        if (o == NULL)
            return;
        jbuild_str(&j->b, o, "id", jr->id);
        jbuild_str(&j->b, o, "title", jr->title);
        jbuild_str(&j->b, o, "law", jr->law);
        jbuild_str(&j->b, o, "statute", jr->statute);
        jbuild_str(&j->b, o, "effective", jr->effective);
        jbuild_put(&j->b, o, "members", pj_strv(j, &jr->members));
        if ((dl = pj_obj(j, o, "deadline")) != NULL) {
            jbuild_int(&j->b, dl, "days", (size_t)jr->deadline_days);
            jbuild_int(&j->b, dl, "extension_days", (size_t)jr->extension_days);
            jbuild_str_opt(&j->b, dl, "period", jr->deadline_period);
            jbuild_str_opt(&j->b, dl, "extension", jr->extension_period);
            jbuild_str(&j->b, dl, "statute", jr->deadline_statute);
        }
        if ((ap = pj_obj(j, o, "appeal")) != NULL) {
            jbuild_bool(&j->b, ap, "required", jr->appeal_required);
            if (jr->appeal_required) {
                jbuild_int(&j->b, ap, "days", (size_t)jr->appeal_days);
                jbuild_int(&j->b, ap, "extension_days",
                           (size_t)jr->appeal_extension_days);
                jbuild_str(&j->b, ap, "statute", jr->appeal_statute);
            }
        }
        /* Every right the jurisdiction requires or the policy offers
         * there, with the deadline a request must be answered in. */
        rs = jbuild_put(&j->b, o, "rights", json_array());
        for (size_t g = 0; rs != NULL && g < p->nrights; g++) {
            const char *right = p->rights[g].id;
            struct render_deadline d = render_deadline(jr, right);
            json_t *ro;

            if (!d.required && !strv_has(&jr->offers, right))
                continue;
            if ((ro = pj_obj(j, rs, NULL)) == NULL)
                break;
            jbuild_str(&j->b, ro, "right", right);
            jbuild_str(&j->b, ro, "status",
                       d.required ? "required" : "offered");
            jbuild_str(&j->b, ro, "statute", d.right_statute);
            jbuild_int(&j->b, ro, "deadline_days", (size_t)d.days);
            jbuild_str_opt(&j->b, ro, "deadline_period", d.period);
            jbuild_str(&j->b, ro, "deadline_statute", d.statute);
        }
        jbuild_put(&j->b, o, "clauses", pj_strv(j, &jr->clauses));
    }
}

static void
pj_settings(struct pj *j, json_t *root)
{
    const pc_policy *p = j->x->p;
    json_t *a = jbuild_put(&j->b, root, "settings", json_array());

    for (size_t i = 0; a != NULL && i < p->nsettings; i++) {
        const struct policy_setting *s = &p->settings[i];
        json_t *o = pj_obj(j, a, NULL);

        if (o == NULL)
            return;
        jbuild_str(&j->b, o, "id", s->id);
        jbuild_str(&j->b, o, "type", s->type);
        jbuild_str(&j->b, o, "value", s->value);
        jbuild_bool(&j->b, o, "organisation", s->organisation);
        jbuild_str(&j->b, o, "why", s->why);
        jbuild_put(&j->b, o, "clauses", pj_strv(j, &s->clauses));
    }
    jbuild_put(&j->b, root, "retention_bases", pj_strv(j, &p->retention_bases));
    jbuild_put(&j->b, root, "encrypt_in_transit",
               pj_strv(j, &p->encrypt_categories));
    jbuild_put(&j->b, root, "tracking_collects",
               pj_strv(j, &p->tracking_collects));
    if (p->children_min_age > 0)
        jbuild_int(&j->b, root, "children_min_age",
                   (size_t)p->children_min_age);
    else
        jbuild_put(&j->b, root, "children_min_age", json_null());
}

pc_status
render_json(const struct render_index *x, pc_diags *d, FILE *out)
{
    const pc_policy *p = x->p;
    struct pj j = { { d, { p->file, 0, 0 }, "the JSON rendering", PC_OK }, x };
    json_t *root = json_object(), *pol;
    pc_status st;

    if (root == NULL)
        return PC_ENOMEM;
    if ((pol = pj_obj(&j, root, "policy")) != NULL) {
        jbuild_str(&j.b, pol, "id", p->id);
        jbuild_str(&j.b, pol, "version", p->version);
        jbuild_str(&j.b, pol, "title", p->title);
        jbuild_str(&j.b, pol, "published", p->published);
        jbuild_str(&j.b, pol, "source", p->source);
        jbuild_str(&j.b, pol, "sha256", p->sha256);
    }
    if (x->rules != NULL)
        jbuild_int(&j.b, root, "rules", x->nrules);
    pj_clauses(&j, root);
    pj_data(&j, root);
    pj_rights(&j, root);
    pj_settings(&j, root);
    st = j.b.st;
    if (st == PC_OK)
        st = jbuild_dump(root, out, false);
    json_decref(root);
    return st;
}
