/* func.c - the functions rules may call: lookups into the policy model,
 * aggregates over the manifest, and small set and number helpers. Every
 * name here is a generic notion of a privacy policy or of the manifest
 * format; what any one company's policy says is only ever data. One-
 * argument lookups map over every item of their argument. */
#include "config.h"

#include "eval-int.h"

#include "classify.h"
#include "map.h"
#include "nearest.h"
#include "policy.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POLICY(c) ((c)->ms->e->policy)

/* ------------------------------------------------------------------ */
/* Values. */

bool
val_has(const struct val *v, const char *s)
{
    for (size_t i = 0; i < v->n; i++)
        if (strcmp(v->v[i], s) == 0)
            return true;
    return false;
}

pc_status
val_alloc(struct evalctx *c, size_t n, struct val *out)
{
    out->n = 0;
    out->v = n > 0 ? arena_alloc(&c->ms->arena, n * sizeof *out->v) : NULL;
    return n > 0 && out->v == NULL ? ARENA_FAILED(&c->ms->arena) : PC_OK;
}

pc_status
val_one(struct evalctx *c, const char *s, struct val *out)
{
    pc_status st;

    if (s == NULL) {
        out->v = NULL;
        out->n = 0;
        return PC_OK;
    }
    if ((st = val_alloc(c, 1, out)) != PC_OK)
        return st;
    out->v[out->n++] = s;
    return PC_OK;
}

pc_status
val_from_strv(struct evalctx *c, const struct strv *sv, struct val *out)
{
    pc_status st = val_alloc(c, sv->n, out);

    if (st != PC_OK)
        return st;
    for (size_t i = 0; i < sv->n; i++)
        out->v[out->n++] = sv->v[i];
    return PC_OK;
}

pc_status
val_bool(struct evalctx *c, bool b, struct val *out)
{
    return val_one(c, b ? "true" : "false", out);
}

pc_status
val_number(struct evalctx *c, double x, struct val *out)
{
    char buf[64];
    char *s;

    if (isinf(x))
        snprintf(buf, sizeof buf, "indefinite");
    else if (x == floor(x) && fabs(x) < 1e15)
        snprintf(buf, sizeof buf, "%.0f", x);
    else
        snprintf(buf, sizeof buf, "%g", x);
    if ((s = arena_strndup(&c->ms->arena, buf, strlen(buf))) == NULL)
        return ARENA_FAILED(&c->ms->arena);
    return val_one(c, s, out);
}

/* A list being built without repeats in out, which already has room for
 * every item offered; a hash table takes over once it grows, so that
 * large lists (thousands of stores) stay linear. */
struct uniq {
    struct val *out;
    struct map *seen;
    pc_status st;
};

static void
uniq_add(struct uniq *u, const char *s)
{
    if (u->st != PC_OK)
        return;
    if (u->seen == NULL && u->out->n >= MEMBER_LINEAR) {
        if ((u->seen = map_new()) == NULL) {
            u->st = PC_ENOMEM;
            return;
        }
        for (size_t i = 0; i < u->out->n && u->st == PC_OK; i++)
            u->st = map_put(u->seen, u->out->v[i], (void *)1);
    }
    if (u->seen != NULL) {
        if (map_get(u->seen, s) != NULL ||
            (u->st = map_put(u->seen, s, (void *)1)) != PC_OK)
            return;
    } else if (val_has(u->out, s)) {
        return;
    }
    u->out->v[u->out->n++] = s;
}

static void
uniq_add_all(struct uniq *u, const char *const *items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        uniq_add(u, items[i]);
}

static pc_status
uniq_done(struct uniq *u)
{
    map_free(u->seen);
    return u->st;
}

/* Scan [0-9]+(.[0-9]+)? at s; return the end, or NULL when there is none.
 * By hand, not strtod: no exponents, hexadecimal, infinities or spaces. */
static const char *
scan_decimal(const char *s, double *x)
{
    const char *p = s;
    double v = 0, scale = 1;

    if (*p < '0' || *p > '9')
        return NULL;
    for (; *p >= '0' && *p <= '9'; p++)
        v = v * 10 + (*p - '0');
    if (*p == '.') {
        if (p[1] < '0' || p[1] > '9')
            return NULL;
        for (p++; *p >= '0' && *p <= '9'; p++) {
            scale /= 10;
            v += (*p - '0') * scale;
        }
    }
    *x = v;
    return p;
}

bool
eval_number(const char *s, double *x)
{
    const char *end;

    if (s == NULL || (end = scan_decimal(s, x)) == NULL)
        return false;
    return *end == '\0';
}

bool
eval_duration(const char *s, double *seconds)
{
    /* P[nY][nM][nW][nD][T[nH][nM][nS]], in that order. */
    static const struct {
        char unit;
        double secs;
        bool time;
    } units[] = {
        { 'Y', 365 * 86400.0, false },
        { 'M', 30 * 86400.0, false },
        { 'W', 7 * 86400.0, false },
        { 'D', 86400.0, false },
        { 'H', 3600.0, true },
        { 'M', 60.0, true },
        { 'S', 1.0, true },
    };
    const size_t nunits = sizeof units / sizeof units[0];
    size_t u = 0;
    bool time = false, any = false, any_time = false;
    double total = 0;

    if (s == NULL)
        return false;
    if (strcmp(s, "indefinite") == 0) {
        *seconds = INFINITY;
        return true;
    }
    if (*s++ != 'P')
        return false;
    while (*s != '\0') {
        double n;

        if (*s == 'T') {
            if (time)
                return false;
            time = true;
            s++;
            while (u < nunits && !units[u].time)
                u++;
            continue;
        }
        if ((s = scan_decimal(s, &n)) == NULL)
            return false;
        while (u < nunits && (units[u].unit != *s || units[u].time != time))
            u++;
        if (u == nunits)
            return false;
        total += n * units[u].secs;
        u++;
        s++;
        any = true;
        any_time |= time;
    }
    if (!any || (time && !any_time))
        return false;
    *seconds = total;
    return true;
}

/* ------------------------------------------------------------------ */
/* Helpers for one-argument lookups that map over their argument. */

/* An arena-backed accumulator: lookups add borrowed strings, each once. */
struct acc {
    struct evalctx *c;
    const char **v;
    size_t n, cap;
};

static pc_status
acc_one(struct acc *a, const char *s)
{
    if (s == NULL)
        return PC_OK;
    for (size_t i = 0; i < a->n; i++)
        if (a->v[i] == s || (a->v[i][0] == s[0] && strcmp(a->v[i], s) == 0))
            return PC_OK;
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 16;
        const char **v = arena_alloc(&a->c->ms->arena, cap * sizeof *v);

        if (v == NULL)
            return ARENA_FAILED(&a->c->ms->arena);
        if (a->n > 0)
            memcpy(v, a->v, a->n * sizeof *v);
        a->v = v;
        a->cap = cap;
    }
    a->v[a->n++] = s;
    return PC_OK;
}

static pc_status
acc_strv(struct acc *a, const struct strv *sv)
{
    pc_status st;

    for (size_t i = 0; i < sv->n; i++)
        if ((st = acc_one(a, sv->v[i])) != PC_OK)
            return st;
    return PC_OK;
}

static pc_status
acc_long(struct acc *a, long x)
{
    char buf[32];
    char *s;

    snprintf(buf, sizeof buf, "%ld", x);
    if ((s = arena_strndup(&a->c->ms->arena, buf, strlen(buf))) == NULL)
        return ARENA_FAILED(&a->c->ms->arena);
    return acc_one(a, s);
}

typedef pc_status (*lookup_fn)(struct evalctx *c, const char *id,
                               struct acc *acc);

/* Apply a one-argument lookup to every item of arg; union the results.
 * Results borrow from the policy, which outlives every evaluation. */
static pc_status
func_map(struct evalctx *c, const struct val *arg, lookup_fn fn,
         struct val *out)
{
    struct acc a = { c, NULL, 0, 0 };
    pc_status st = PC_OK;

    for (size_t i = 0; i < arg->n && st == PC_OK; i++)
        st = fn(c, arg->v[i], &a);
    out->v = a.v;
    out->n = a.n;
    return st;
}

/* Apply a lookup to every item and keep what every item's answer holds:
 * what a field that is two elements may do is what both may do. */
static pc_status
func_map_all(struct evalctx *c, const struct val *arg, lookup_fn fn,
             struct val *out)
{
    struct acc first = { c, NULL, 0, 0 };
    pc_status st;

    out->v = NULL;
    out->n = 0;
    if (arg->n == 0)
        return PC_OK;
    if ((st = fn(c, arg->v[0], &first)) != PC_OK)
        return st;
    for (size_t i = 1; i < arg->n && first.n > 0; i++) {
        struct acc next = { c, NULL, 0, 0 };
        struct val nv;
        size_t keep = 0;

        if ((st = fn(c, arg->v[i], &next)) != PC_OK)
            return st;
        nv.v = next.v;
        nv.n = next.n;
        for (size_t k = 0; k < first.n; k++)
            if (val_has(&nv, first.v[k]))
                first.v[keep++] = first.v[k];
        first.n = keep;
    }
    out->v = first.v;
    out->n = first.n;
    return PC_OK;
}

/* ------------------------------------------------------------------ */
/* The policy: elements and categories. An id may name either. */

static pc_status
lk_element_categories(struct evalctx *c, const char *id, struct acc *acc)
{
    const struct policy_element *el = policy_element(POLICY(c), id);

    if (el != NULL)
        return acc_strv(acc, &el->categories);
    if (policy_category(POLICY(c), id) != NULL)
        return acc_one(acc, id);
    return PC_OK;
}

/* Purposes a whole category may serve: its own, plus every general one
 * when it is open to them. */
static pc_status
category_purposes(const pc_policy *p, const struct policy_category *cat,
                  struct acc *acc)
{
    pc_status st = acc_strv(acc, &cat->purposes);

    if (st != PC_OK || !cat->general_purposes)
        return st;
    for (size_t i = 0; i < p->npurposes; i++) {
        const struct policy_purpose *pu = &p->purposes[i];

        if (!pu->prohibited && pu->scope != NULL &&
            strcmp(pu->scope, "general") == 0 &&
            (st = acc_one(acc, pu->id)) != PC_OK)
            return st;
    }
    return PC_OK;
}

static pc_status
lk_element_purposes(struct evalctx *c, const char *id, struct acc *acc)
{
    const struct policy_element *el = policy_element(POLICY(c), id);
    const struct policy_category *cat;

    if (el != NULL)
        return acc_strv(acc, &el->purposes);
    if ((cat = policy_category(POLICY(c), id)) != NULL)
        return category_purposes(POLICY(c), cat, acc);
    return PC_OK;
}

static pc_status
lk_element_collection(struct evalctx *c, const char *id, struct acc *acc)
{
    const struct policy_element *el = policy_element(POLICY(c), id);
    const struct policy_category *cat;

    if (el != NULL)
        return acc_strv(acc, &el->collection);
    if ((cat = policy_category(POLICY(c), id)) != NULL)
        return acc_strv(acc, &cat->collection);
    return PC_OK;
}

static pc_status
lk_element_only_from(struct evalctx *c, const char *id, struct acc *acc)
{
    const struct policy_element *el = policy_element(POLICY(c), id);

    return el != NULL ? acc_strv(acc, &el->only_from) : PC_OK;
}

static bool
policy_is_sensitive(const pc_policy *p, const char *id)
{
    const struct policy_element *el = policy_element(p, id);
    const struct policy_category *cat;

    if (el != NULL)
        return el->sensitive;
    cat = policy_category(p, id);
    return cat != NULL && cat->sensitive;
}

static pc_status
fn_element_sensitive(struct evalctx *c, const struct val *a, size_t n,
                     struct val *out)
{
    bool any = false;

    for (size_t i = 0; i < a[0].n; i++)
        any |= policy_is_sensitive(POLICY(c), a[0].v[i]);
    return val_bool(c, any, out);
}

/* ------------------------------------------------------------------ */
/* The policy: purposes, recipients, rights, jurisdictions, settings. */

static pc_status
lk_purpose_needs(struct evalctx *c, const char *id, struct acc *acc)
{
    const struct policy_purpose *pu = policy_purpose(POLICY(c), id);

    return pu != NULL ? acc_one(acc, pu->needs != NULL ? pu->needs : "none")
                      : PC_OK;
}

static pc_status
lk_purpose_prohibited_for(struct evalctx *c, const char *id, struct acc *acc)
{
    const struct policy_purpose *pu = policy_purpose(POLICY(c), id);

    return pu != NULL ? acc_strv(acc, &pu->prohibited_for) : PC_OK;
}

static pc_status
lk_purpose_internal_only(struct evalctx *c, const char *id, struct acc *acc)
{
    const struct policy_purpose *pu = policy_purpose(POLICY(c), id);

    return pu != NULL ? acc_one(acc, pu->internal_only ? "true" : "false")
                      : PC_OK;
}

static pc_status
lk_recipient_needs(struct evalctx *c, const char *id, struct acc *acc)
{
    const struct policy_recipient_type *rt =
        policy_recipient_type(POLICY(c), id);

    return rt != NULL ? acc_one(acc, rt->needs != NULL ? rt->needs : "none")
                      : PC_OK;
}

static pc_status
lk_agreement_subject(struct evalctx *c, const char *id, struct acc *acc)
{
    const struct policy_agreement *ag = policy_agreement(POLICY(c), id);

    return ag != NULL ? acc_one(acc, ag->subject) : PC_OK;
}

static pc_status
lk_agreements_for(struct evalctx *c, const char *subject, struct acc *acc)
{
    const pc_policy *p = POLICY(c);
    pc_status st;

    for (size_t i = 0; i < p->nagreements; i++)
        if (p->agreements[i].subject != NULL &&
            strcmp(p->agreements[i].subject, subject) == 0 &&
            (st = acc_one(acc, p->agreements[i].id)) != PC_OK)
            return st;
    return PC_OK;
}

static pc_status
lk_right_title(struct evalctx *c, const char *id, struct acc *acc)
{
    const struct policy_right *r = policy_right(POLICY(c), id);

    return acc_one(acc, r != NULL && r->title != NULL ? r->title : id);
}

#define JURISDICTION(c, id) policy_jurisdiction(POLICY(c), (id))

static pc_status
lk_j_requires(struct evalctx *c, const char *id, struct acc *acc)
{
    const struct policy_jurisdiction *j = JURISDICTION(c, id);

    return j != NULL ? acc_strv(acc, &j->requires) : PC_OK;
}

static pc_status
lk_j_offers(struct evalctx *c, const char *id, struct acc *acc)
{
    const struct policy_jurisdiction *j = JURISDICTION(c, id);

    return j != NULL ? acc_strv(acc, &j->offers) : PC_OK;
}

static pc_status
lk_j_deadline(struct evalctx *c, const char *id, struct acc *acc)
{
    const struct policy_jurisdiction *j = JURISDICTION(c, id);

    return j != NULL && j->deadline_days > 0 ? acc_long(acc, j->deadline_days)
                                             : PC_OK;
}

static pc_status
lk_j_extension(struct evalctx *c, const char *id, struct acc *acc)
{
    const struct policy_jurisdiction *j = JURISDICTION(c, id);

    return j != NULL ? acc_long(acc, j->extension_days) : PC_OK;
}

static pc_status
lk_j_appeal_required(struct evalctx *c, const char *id, struct acc *acc)
{
    const struct policy_jurisdiction *j = JURISDICTION(c, id);

    return j != NULL ? acc_one(acc, j->appeal_required ? "true" : "false")
                     : PC_OK;
}

static pc_status
lk_j_appeal_days(struct evalctx *c, const char *id, struct acc *acc)
{
    const struct policy_jurisdiction *j = JURISDICTION(c, id);

    return j != NULL && j->appeal_required && j->appeal_days > 0
               ? acc_long(acc, j->appeal_days)
               : PC_OK;
}

static pc_status
lk_j_title(struct evalctx *c, const char *id, struct acc *acc)
{
    const struct policy_jurisdiction *j = JURISDICTION(c, id);

    return acc_one(acc, j != NULL && j->title != NULL ? j->title : id);
}

static pc_status
lk_j_statute(struct evalctx *c, const char *id, struct acc *acc)
{
    const struct policy_jurisdiction *j = JURISDICTION(c, id);

    return j != NULL && j->deadline_statute != NULL
               ? acc_one(acc, j->deadline_statute)
               : PC_OK;
}

static pc_status
lk_j_requiring(struct evalctx *c, const char *right, struct acc *acc)
{
    const pc_policy *p = POLICY(c);
    pc_status st;

    for (size_t i = 0; i < p->njurisdictions; i++)
        if (strv_has(&p->jurisdictions[i].requires, right) &&
            ((st = acc_one(acc, p->jurisdictions[i].id)) != PC_OK ||
             (st = acc_strv(acc, &p->jurisdictions[i].members)) != PC_OK))
            return st;
    return PC_OK;
}

static pc_status
lk_setting(struct evalctx *c, const char *id, struct acc *acc)
{
    const struct policy_setting *s = policy_setting(POLICY(c), id);

    return s != NULL ? acc_one(acc, s->value) : PC_OK;
}

static pc_status
lk_integration_scopes(struct evalctx *c, const char *id, struct acc *acc)
{
    const struct policy_integration *in = policy_integration(POLICY(c), id);

    return in != NULL ? acc_strv(acc, &in->scopes) : PC_OK;
}

static pc_status
lk_integration_elements(struct evalctx *c, const char *id, struct acc *acc)
{
    const struct policy_integration *in = policy_integration(POLICY(c), id);

    return in != NULL ? acc_strv(acc, &in->elements) : PC_OK;
}

static pc_status
lk_integration_purposes(struct evalctx *c, const char *id, struct acc *acc)
{
    const struct policy_integration *in = policy_integration(POLICY(c), id);

    return in != NULL ? acc_strv(acc, &in->purposes) : PC_OK;
}

static pc_status
lk_integration_store(struct evalctx *c, const char *id, struct acc *acc)
{
    const struct policy_integration *in = policy_integration(POLICY(c), id);

    return in != NULL ? acc_one(acc, in->store ? "true" : "false") : PC_OK;
}

static pc_status
lk_integration_transfer(struct evalctx *c, const char *id, struct acc *acc)
{
    const struct policy_integration *in = policy_integration(POLICY(c), id);

    return in != NULL ? acc_one(acc, in->transfer ? "true" : "false") : PC_OK;
}

/* Generates fn_NAME wrappers for the one-argument lookups. */
#define LOOKUP(name, lk)                                                       \
    static pc_status name(struct evalctx *c, const struct val *a, size_t n,    \
                          struct val *out)                                     \
    {                                                                          \
        (void)n;                                                               \
        return func_map(c, &a[0], lk, out);                                    \
    }

LOOKUP(fn_element_categories, lk_element_categories)
#define LOOKUP_ALL(name, lk)                                                   \
    static pc_status name(struct evalctx *c, const struct val *a, size_t n,    \
                          struct val *out)                                     \
    {                                                                          \
        (void)n;                                                               \
        return func_map_all(c, &a[0], lk, out);                                \
    }

LOOKUP_ALL(fn_element_purposes, lk_element_purposes)
LOOKUP(fn_element_collection, lk_element_collection)
LOOKUP(fn_element_only_from, lk_element_only_from)
LOOKUP(fn_purpose_needs, lk_purpose_needs)
LOOKUP(fn_purpose_prohibited_for, lk_purpose_prohibited_for)
LOOKUP(fn_purpose_internal_only, lk_purpose_internal_only)
LOOKUP(fn_recipient_needs, lk_recipient_needs)
LOOKUP(fn_agreement_subject, lk_agreement_subject)
LOOKUP(fn_agreements_for, lk_agreements_for)
LOOKUP(fn_right_title, lk_right_title)
LOOKUP(fn_j_requires, lk_j_requires)
LOOKUP(fn_j_offers, lk_j_offers)
LOOKUP(fn_j_deadline, lk_j_deadline)
LOOKUP(fn_j_extension, lk_j_extension)
LOOKUP(fn_j_appeal_required, lk_j_appeal_required)
LOOKUP(fn_j_appeal_days, lk_j_appeal_days)
LOOKUP(fn_j_title, lk_j_title)
LOOKUP(fn_j_statute, lk_j_statute)
LOOKUP(fn_j_requiring, lk_j_requiring)
LOOKUP(fn_setting, lk_setting)
LOOKUP(fn_integration_scopes, lk_integration_scopes)
LOOKUP(fn_integration_elements, lk_integration_elements)
LOOKUP(fn_integration_purposes, lk_integration_purposes)
LOOKUP(fn_integration_store, lk_integration_store)
LOOKUP(fn_integration_transfer, lk_integration_transfer)

/* ------------------------------------------------------------------ */
/* Whole-policy constants. */

/* Generates a constant listing one id member over a policy array. */
#define ID_LIST(name, arr, count, cond)                                        \
    static pc_status name(struct evalctx *c, const struct val *a, size_t n,    \
                          struct val *out)                                     \
    {                                                                          \
        const pc_policy *p = POLICY(c);                                        \
        pc_status st = val_alloc(c, p->count, out);                            \
        (void)a;                                                               \
        (void)n;                                                               \
        for (size_t i = 0; i < p->count && st == PC_OK; i++)                   \
            if (cond)                                                          \
                out->v[out->n++] = p->arr[i].id;                               \
        return st;                                                             \
    }

ID_LIST(fn_policy_elements, elements, nelements, true)
ID_LIST(fn_policy_categories, categories, ncategories, true)
ID_LIST(fn_policy_sensitive_categories, categories, ncategories,
        p->categories[i].sensitive)
ID_LIST(fn_policy_shared_categories, categories, ncategories,
        p->categories[i].shared_for_business)
ID_LIST(fn_policy_purposes, purposes, npurposes, true)
ID_LIST(fn_policy_prohibited_purposes, purposes, npurposes,
        p->purposes[i].prohibited)
ID_LIST(fn_policy_recipient_types, recipient_types, nrecipient_types, true)
ID_LIST(fn_policy_rights, rights, nrights, true)
ID_LIST(fn_policy_verify_rights, rights, nrights, p->rights[i].verify)
ID_LIST(fn_policy_technologies, technologies, ntechnologies, true)
ID_LIST(fn_policy_sources, sources, nsources, true)
ID_LIST(fn_policy_integrations, integrations, nintegrations, true)

/* Every code the policy addresses: its jurisdictions and their members,
 * so that an audience in a group's member is one the policy knows. */
static pc_status
fn_policy_jurisdictions(struct evalctx *c, const struct val *a, size_t n,
                        struct val *out)
{
    (void)a;
    (void)n;
    return val_from_strv(c, &POLICY(c)->jurisdiction_codes, out);
}

static pc_status
fn_policy_vocabulary(struct evalctx *c, const struct val *a, size_t n,
                     struct val *out)
{
    const pc_policy *p = POLICY(c);
    pc_status st = val_alloc(c, p->nelements + p->ncategories, out);

    for (size_t i = 0; i < p->ncategories && st == PC_OK; i++)
        out->v[out->n++] = p->categories[i].id;
    for (size_t i = 0; i < p->nelements && st == PC_OK; i++)
        out->v[out->n++] = p->elements[i].id;
    return st;
}

static pc_status
fn_policy_integration_elements(struct evalctx *c, const struct val *a, size_t n,
                               struct val *out)
{
    const pc_policy *p = POLICY(c);
    size_t total = 0;
    pc_status st;

    for (size_t i = 0; i < p->nintegrations; i++)
        total += p->integrations[i].elements.n;
    if ((st = val_alloc(c, total, out)) != PC_OK)
        return st;
    struct uniq u = { out, NULL, PC_OK };
    for (size_t i = 0; i < p->nintegrations; i++)
        uniq_add_all(&u, (const char *const *)p->integrations[i].elements.v,
                     p->integrations[i].elements.n);
    return uniq_done(&u);
}

#define STRV_CONST(name, member)                                               \
    static pc_status name(struct evalctx *c, const struct val *a, size_t n,    \
                          struct val *out)                                     \
    {                                                                          \
        (void)a;                                                               \
        (void)n;                                                               \
        return val_from_strv(c, &POLICY(c)->member, out);                      \
    }

STRV_CONST(fn_policy_tracking_collects, tracking_collects)
STRV_CONST(fn_policy_encrypt_categories, encrypt_categories)
STRV_CONST(fn_policy_retention_bases, retention_bases)
STRV_CONST(fn_policy_transfer_countries, transfer_countries)

static pc_status
fn_policy_transfer_other(struct evalctx *c, const struct val *a, size_t n,
                         struct val *out)
{
    (void)a;
    (void)n;
    return val_bool(c, POLICY(c)->transfer_other_countries, out);
}

/* fact('kind', ids, 'name'): the values of the fact the policy states on
 * each of those of its elements, joined. */
static pc_status
fn_fact(struct evalctx *c, const struct val *a, size_t n, struct val *out)
{
    size_t total = 0;
    pc_status st;

    (void)n;
    if (a[0].n != 1 || a[2].n != 1)
        return val_one(c, NULL, out);
    for (size_t i = 0; i < a[1].n; i++) {
        const struct strv *v =
            policy_fact(POLICY(c), a[0].v[0], a[1].v[i], a[2].v[0]);

        total += v != NULL ? v->n : 0;
    }
    if ((st = val_alloc(c, total, out)) != PC_OK)
        return st;
    struct uniq u = { out, NULL, PC_OK };
    for (size_t i = 0; i < a[1].n; i++) {
        const struct strv *v =
            policy_fact(POLICY(c), a[0].v[0], a[1].v[i], a[2].v[0]);

        if (v != NULL)
            uniq_add_all(&u, (const char *const *)v->v, v->n);
    }
    return uniq_done(&u);
}

static pc_status
fn_policy_appeal_channel(struct evalctx *c, const struct val *a, size_t n,
                         struct val *out)
{
    return val_one(c, POLICY(c)->appeal_channel, out);
}

static pc_status
fn_policy_appeal_subject(struct evalctx *c, const struct val *a, size_t n,
                         struct val *out)
{
    return val_one(c, POLICY(c)->appeal_subject, out);
}

static pc_status
fn_policy_children_min_age(struct evalctx *c, const struct val *a, size_t n,
                           struct val *out)
{
    if (POLICY(c)->children_min_age <= 0)
        return val_one(c, NULL, out);
    return val_number(c, (double)POLICY(c)->children_min_age, out);
}

/* ------------------------------------------------------------------ */
/* The manifest. */

static pc_status
fn_ids(struct evalctx *c, const struct val *a, size_t n, struct val *out)
{
    return eval_ids(c->ms, a[0].n ? a[0].v[0] : "", out);
}

/* right-deadline(j, r): the response deadline, in days, for right r in
 * each jurisdiction of j: the right's own when the law sets one, else the
 * jurisdiction's. */
static pc_status
fn_right_deadline(struct evalctx *c, const struct val *a, size_t n,
                  struct val *out)
{
    struct acc acc = { c, NULL, 0, 0 };
    pc_status st = PC_OK;

    for (size_t i = 0; i < a[0].n && st == PC_OK; i++) {
        const struct policy_jurisdiction *j = JURISDICTION(c, a[0].v[i]);
        bool own = false;

        if (j == NULL)
            continue;
        for (size_t k = 0; k < j->requires.n && a[1].n > 0; k++)
            if (k < j->requires_days.n &&
                strcmp(j->requires.v[k], a[1].v[0]) == 0 &&
                j->requires_days.v[k][0] != '\0') {
                st = acc_one(&acc, j->requires_days.v[k]);
                own = true;
            }
        if (!own && st == PC_OK && j->deadline_days > 0)
            st = acc_long(&acc, j->deadline_days);
    }
    out->v = acc.v;
    out->n = acc.n;
    return st;
}

/* right-deadline-statute(j, r[, days]): for each jurisdiction of j, the
 * statute behind its deadline for right r (the right's own when the law
 * sets one, else the jurisdiction's); with days, only those of deadlines
 * shorter than that, so that a late answer quotes the laws it breaks. */
static pc_status
fn_right_deadline_statute(struct evalctx *c, const struct val *a, size_t n,
                          struct val *out)
{
    struct acc acc = { c, NULL, 0, 0 };
    pc_status st = PC_OK;
    double limit = 0;
    bool bounded = false;

    if (n > 2 && a[2].n > 0) {
        char *end;

        limit = strtod(a[2].v[0], &end);
        bounded = end != a[2].v[0] && *end == '\0';
        if (!bounded)
            return val_one(c, NULL, out);
    }
    for (size_t i = 0; i < a[0].n && st == PC_OK; i++) {
        const struct policy_jurisdiction *j = JURISDICTION(c, a[0].v[i]);
        const char *statute;
        long days;

        if (j == NULL || a[1].n == 0)
            continue;
        statute = j->deadline_statute;
        days = j->deadline_days;
        for (size_t k = 0; k < j->requires.n; k++)
            if (k < j->requires_days.n &&
                strcmp(j->requires.v[k], a[1].v[0]) == 0 &&
                j->requires_days.v[k][0] != '\0') {
                days = strtol(j->requires_days.v[k], NULL, 10);
                /* Without a statute of its own, the right's stands. */
                statute = j->requires_days_statutes.v[k][0] != '\0'
                              ? j->requires_days_statutes.v[k]
                              : j->requires_statutes.v[k];
            }
        if (days > 0 && (!bounded || (double)days < limit))
            st = acc_one(&acc, statute);
    }
    out->v = acc.v;
    out->n = acc.n;
    return st;
}

static pc_status
fn_ids_where(struct evalctx *c, const struct val *a, size_t n, struct val *out)
{
    const struct objlist *ol = eval_kind(c->ms, a[0].n ? a[0].v[0] : "");
    pc_status st;

    if (ol == NULL || a[1].n == 0)
        return val_one(c, NULL, out);
    if ((st = val_alloc(c, ol->n, out)) != PC_OK)
        return st;
    struct uniq u = { out, NULL, PC_OK };
    for (size_t i = 0; i < ol->n; i++) {
        struct val id = eval_attr(ol->v[i], "id");
        struct val v = eval_attr(ol->v[i], a[1].v[0]);
        bool hit = false;

        for (size_t j = 0; j < v.n && !hit; j++)
            hit = val_has(&a[2], v.v[j]);
        if (hit)
            uniq_add_all(&u, id.v, id.n);
    }
    return uniq_done(&u);
}

/* Every element id the classifiers can name: the policy's and the ones
 * outside it (undeclared personal data), each once. */
static pc_status
fn_classifier_elements(struct evalctx *c, const struct val *a, size_t n,
                       struct val *out)
{
    const struct classify_set *cs = c->ms->e->classifiers;
    size_t count = cs != NULL ? classify_count(cs) : 0;
    pc_status st;

    (void)a;
    (void)n;
    if ((st = val_alloc(c, count, out)) != PC_OK)
        return st;
    struct uniq u = { out, NULL, PC_OK };
    for (size_t i = 0; i < count; i++)
        uniq_add(&u, classify_get(cs, i)->element);
    return uniq_done(&u);
}

/* Attribute `name` of the elements of `kind` whose attribute `key` takes
 * one of `keys`: attr() and attr-where() alike. */
static pc_status
func_attr_of(struct evalctx *c, const struct val *kind, const char *key,
             const struct val *keys, const struct val *name, struct val *out)
{
    const struct objlist *ol = eval_kind(c->ms, kind->n ? kind->v[0] : "");
    size_t total = 0;
    pc_status st = PC_OK;
    struct uniq u = { out, NULL, PC_OK };
    struct member mb;

    if (ol == NULL || name->n == 0)
        return val_one(c, NULL, out);
    if ((st = member_init(c->ms, &mb, keys)) != PC_OK)
        return st;
    for (int pass = 0; pass < 2 && st == PC_OK; pass++) {
        if (pass == 1 && (st = val_alloc(c, total, out)) != PC_OK)
            break;
        for (size_t i = 0; i < ol->n; i++) {
            struct val k = eval_attr(ol->v[i], key), v;
            bool hit = false;

            for (size_t j = 0; j < k.n && !hit; j++)
                hit = member_has(&mb, k.v[j]);
            if (!hit)
                continue;
            v = eval_attr(ol->v[i], name->v[0]);
            if (pass == 0)
                total += v.n;
            else
                uniq_add_all(&u, v.v, v.n);
        }
    }
    member_free(&mb);
    return st != PC_OK ? st : uniq_done(&u);
}

/* attr('kind', id, 'name'): an attribute of the element with that id. */
static pc_status
fn_attr(struct evalctx *c, const struct val *a, size_t n, struct val *out)
{
    (void)n;
    return func_attr_of(c, &a[0], "id", &a[1], &a[2], out);
}

/* attr-where('kind', 'attr', values, 'name'): attribute `name` of the
 * elements of a kind whose `attr` takes one of the values - attr() for
 * elements without an id (a store's retention settings). */
static pc_status
fn_attr_where(struct evalctx *c, const struct val *a, size_t n, struct val *out)
{
    (void)n;
    if (a[1].n == 0)
        return val_one(c, NULL, out);
    return func_attr_of(c, &a[0], a[1].v[0], &a[2], &a[3], out);
}

/* nearest(a, b): for each item of a that is not in b, the item of b that
 * is closest to it, when one is close enough to be a likely typo. */
static pc_status
fn_nearest(struct evalctx *c, const struct val *a, size_t n, struct val *out)
{
    pc_status st;

    (void)n;
    if ((st = val_alloc(c, a[0].n, out)) != PC_OK)
        return st;
    struct uniq u = { out, NULL, PC_OK };
    for (size_t i = 0; i < a[0].n; i++) {
        const char *best = nearest_pick(a[0].v[i], a[1].v, a[1].n);

        if (best != NULL)
            uniq_add(&u, best);
    }
    return uniq_done(&u);
}

static pc_status
fn_values(struct evalctx *c, const struct val *a, size_t n, struct val *out)
{
    char key[256];
    const struct strv *sv;

    snprintf(key, sizeof key, "%s %s", a[0].n ? a[0].v[0] : "",
             a[1].n ? a[1].v[0] : "");
    sv = map_get(c->ms->wanted, key);
    return sv != NULL ? val_from_strv(c, sv, out) : val_one(c, NULL, out);
}

typedef const struct strv *(*agg_member)(const struct subjagg *);

static const struct strv *
agg_elements(const struct subjagg *g)
{
    return &g->elements.v;
}

static const struct strv *
agg_categories(const struct subjagg *g)
{
    return &g->categories.v;
}

static const struct strv *
agg_purpose_fields(const struct subjagg *g)
{
    return &g->purpose_fields.v;
}

/* Visit what the in-scope subjects' flows wrote into each store of
 * `stores`: the one walk every store aggregate shares. */
typedef void (*agg_visit)(struct uniq *u, const struct strv *items,
                          const struct val *arg);

static pc_status
agg_walk(struct evalctx *c, const struct val *stores, agg_member m,
         agg_visit visit, const struct val *arg, struct val *out)
{
    size_t total = 0;
    pc_status st;

    for (int pass = 0; pass < 2; pass++) {
        struct uniq u = { out, NULL, PC_OK };

        for (size_t i = 0; i < stores->n; i++) {
            const struct storeagg *g = map_get(c->ms->stores, stores->v[i]);

            for (size_t j = 0; g != NULL && j < g->n; j++) {
                if (!eval_subject_in_scope(c, g->v[j].subject))
                    continue;
                if (pass == 0)
                    total += m(&g->v[j])->n;
                else
                    visit(&u, m(&g->v[j]), arg);
            }
        }
        if (pass == 0 && (st = val_alloc(c, total, out)) != PC_OK)
            return st;
        if (pass == 1)
            return uniq_done(&u);
    }
    return PC_OK;
}

static void
agg_all(struct uniq *u, const struct strv *items, const struct val *arg)
{
    (void)arg;
    uniq_add_all(u, (const char *const *)items->v, items->n);
}

/* "purpose\tname" items: the names whose purpose is one of arg. */
static void
agg_for_purpose(struct uniq *u, const struct strv *items, const struct val *arg)
{
    for (size_t j = 0; j < items->n; j++) {
        const char *pf = items->v[j];
        const char *tab = strchr(pf, '\t');

        if (tab == NULL)
            continue;
        for (size_t k = 0; k < arg->n; k++)
            if (strlen(arg->v[k]) == (size_t)(tab - pf) &&
                strncmp(arg->v[k], pf, (size_t)(tab - pf)) == 0)
                uniq_add(u, tab + 1);
    }
}

static pc_status
fn_store_elements(struct evalctx *c, const struct val *a, size_t n,
                  struct val *out)
{
    return agg_walk(c, &a[0], agg_elements, agg_all, NULL, out);
}

static pc_status
fn_store_categories(struct evalctx *c, const struct val *a, size_t n,
                    struct val *out)
{
    return agg_walk(c, &a[0], agg_categories, agg_all, NULL, out);
}

static pc_status
fn_store_fields(struct evalctx *c, const struct val *a, size_t n,
                struct val *out)
{
    return agg_walk(c, &a[0], agg_purpose_fields, agg_for_purpose, &a[1], out);
}

static pc_status
fn_personal_stores(struct evalctx *c, const struct val *a, size_t n,
                   struct val *out)
{
    const struct objlist *ol = eval_kind(c->ms, "store");
    pc_status st;

    if (ol == NULL)
        return val_one(c, NULL, out);
    if ((st = val_alloc(c, ol->n, out)) != PC_OK)
        return st;
    struct uniq u = { out, NULL, PC_OK };
    for (size_t i = 0; i < ol->n; i++) {
        struct val id = eval_attr(ol->v[i], "id");
        const struct storeagg *g;
        bool personal = false;

        if (id.n == 0)
            continue;
        g = map_get(c->ms->stores, id.v[0]);
        for (size_t j = 0; g != NULL && j < g->n && !personal; j++)
            personal = g->v[j].elements.v.n > 0 &&
                       eval_subject_in_scope(c, g->v[j].subject);
        if (personal)
            uniq_add(&u, id.v[0]);
    }
    return uniq_done(&u);
}

/* ------------------------------------------------------------------ */
/* Sets, numbers, durations. */

static pc_status
fn_union(struct evalctx *c, const struct val *a, size_t n, struct val *out)
{
    size_t total = 0;
    pc_status st;

    for (size_t i = 0; i < n; i++)
        total += a[i].n;
    if ((st = val_alloc(c, total, out)) != PC_OK)
        return st;
    struct uniq u = { out, NULL, PC_OK };
    for (size_t i = 0; i < n; i++)
        uniq_add_all(&u, a[i].v, a[i].n);
    return uniq_done(&u);
}

/* The items of a[0] that are (keep true) or are not in a[1]. */
static pc_status
func_filter(struct evalctx *c, const struct val *a, bool keep, struct val *out)
{
    struct member other;
    pc_status st;

    if ((st = val_alloc(c, a[0].n, out)) != PC_OK ||
        (st = member_init(c->ms, &other, &a[1])) != PC_OK)
        return st;
    struct uniq u = { out, NULL, PC_OK };
    for (size_t i = 0; i < a[0].n; i++)
        if (member_has(&other, a[0].v[i]) == keep)
            uniq_add(&u, a[0].v[i]);
    member_free(&other);
    return uniq_done(&u);
}

static pc_status
fn_minus(struct evalctx *c, const struct val *a, size_t n, struct val *out)
{
    return func_filter(c, a, false, out);
}

static pc_status
fn_intersect(struct evalctx *c, const struct val *a, size_t n, struct val *out)
{
    return func_filter(c, a, true, out);
}

static pc_status
fn_count(struct evalctx *c, const struct val *a, size_t n, struct val *out)
{
    return val_number(c, (double)a[0].n, out);
}

/* Numbers or durations, compared as the evaluator does. */
static bool
func_magnitude(const char *s, double *x)
{
    return eval_number(s, x) || eval_duration(s, x);
}

static pc_status
func_extreme(struct evalctx *c, const struct val *a, bool want_max,
             struct val *out)
{
    const char *best = NULL;
    double bx = 0;

    for (size_t i = 0; i < a[0].n; i++) {
        double x;

        if (!func_magnitude(a[0].v[i], &x))
            continue;
        if (best == NULL || (want_max ? x > bx : x < bx)) {
            best = a[0].v[i];
            bx = x;
        }
    }
    return val_one(c, best, out);
}

static pc_status
fn_min(struct evalctx *c, const struct val *a, size_t n, struct val *out)
{
    return func_extreme(c, a, false, out);
}

static pc_status
fn_max(struct evalctx *c, const struct val *a, size_t n, struct val *out)
{
    return func_extreme(c, a, true, out);
}

static pc_status
fn_days(struct evalctx *c, const struct val *a, size_t n, struct val *out)
{
    double secs;

    if (a[0].n == 0 || !eval_duration(a[0].v[0], &secs))
        return val_one(c, NULL, out);
    return val_number(c, isinf(secs) ? secs : secs / 86400.0, out);
}

static pc_status
fn_is_duration(struct evalctx *c, const struct val *a, size_t n,
               struct val *out)
{
    double secs;
    bool ok = a[0].n > 0;

    for (size_t i = 0; i < a[0].n; i++)
        ok &= eval_duration(a[0].v[i], &secs);
    return val_bool(c, ok, out);
}

static pc_status
fn_rank(struct evalctx *c, const struct val *a, size_t n, struct val *out)
{
    if (a[0].n == 0)
        return val_one(c, NULL, out);
    for (size_t i = 0; i < a[1].n; i++)
        if (strcmp(a[0].v[0], a[1].v[i]) == 0)
            return val_number(c, (double)(i + 1), out);
    return val_one(c, NULL, out);
}

static pc_status
fn_prefix(struct evalctx *c, const struct val *a, size_t n, struct val *out)
{
    pc_status st = val_alloc(c, a[0].n, out);

    for (size_t i = 0; i < a[0].n && st == PC_OK; i++) {
        const char *dot = strchr(a[0].v[i], '.');
        const char *p = dot == NULL ? a[0].v[i]
                                    : arena_strndup(&c->ms->arena, a[0].v[i],
                                                    (size_t)(dot - a[0].v[i]));

        if (p == NULL)
            st = ARENA_FAILED(&c->ms->arena);
        else if (!val_has(out, p))
            out->v[out->n++] = p;
    }
    return st;
}

static const struct func funcs[] = {
    /* The policy. */
    { "policy.vocabulary", 0, 0, 0, fn_policy_vocabulary,
      "every category and element id the policy declares", NULL, "data" },
    { "policy.elements", 0, 0, 0, fn_policy_elements, "every element id", NULL,
      "element" },
    { "policy.categories", 0, 0, 0, fn_policy_categories, "every category id",
      NULL, "category" },
    { "policy.sensitive-categories", 0, 0, 0, fn_policy_sensitive_categories,
      "categories marked sensitive", NULL, "category" },
    { "policy.shared-categories", 0, 0, 0, fn_policy_shared_categories,
      "categories the policy says are shared for business purposes", NULL,
      "category" },
    { "policy.purposes", 0, 0, 0, fn_policy_purposes,
      "every purpose id, permitted or ruled out", NULL, "purpose" },
    { "policy.prohibited-purposes", 0, 0, 0, fn_policy_prohibited_purposes,
      "purposes the policy rules out entirely", NULL, "purpose" },
    { "policy.recipient-types", 0, 0, 0, fn_policy_recipient_types,
      "recipient types the policy discloses", NULL, "recipient-type" },
    { "policy.rights", 0, 0, 0, fn_policy_rights, "every right id", NULL,
      "right" },
    { "policy.verify-rights", 0, 0, 0, fn_policy_verify_rights,
      "rights whose requests need identity verification", NULL, "right" },
    { "policy.jurisdictions", 0, 0, 0, fn_policy_jurisdictions,
      "jurisdictions the policy addresses, with their members", NULL,
      "jurisdiction" },
    { "policy.technologies", 0, 0, 0, fn_policy_technologies,
      "tracking technologies the policy discloses", NULL, "technology" },
    { "policy.tracking-collects", 0, 0, 0, fn_policy_tracking_collects,
      "elements tracking technologies may collect", NULL, "data" },
    { "policy.sources", 0, 0, 0, fn_policy_sources,
      "restricted collection sources", NULL, "source" },
    { "policy.integrations", 0, 0, 0, fn_policy_integrations, "integration ids",
      NULL, "integration" },
    { "policy.integration-elements", 0, 0, 0, fn_policy_integration_elements,
      "elements that only integrations bring in", NULL, "data" },
    { "policy.encrypt-categories", 0, 0, 0, fn_policy_encrypt_categories,
      "categories that must be encrypted in transit", NULL, "data" },
    { "policy.retention-bases", 0, 0, 0, fn_policy_retention_bases,
      "reasons the policy gives for keeping data", NULL, "basis" },
    { "fact", 3, 3, 0, fn_fact,
      "fact('kind', ids, 'name'): what the policy states as fact 'name' of "
      "its kind with those ids (whatever facts the policy names on its "
      "elements)",
      NULL, NULL },
    { "policy.transfer-countries", 0, 0, 0, fn_policy_transfer_countries,
      "countries the text names as destinations of transfers", NULL, NULL },
    { "policy.transfer-other-countries", 0, 0, 0, fn_policy_transfer_other,
      "true if the text also allows transfers to countries it does not name",
      NULL, NULL },
    { "policy.appeal-channel", 0, 0, 0, fn_policy_appeal_channel,
      "how appeals are submitted", NULL, NULL },
    { "policy.appeal-subject", 0, 0, 0, fn_policy_appeal_subject,
      "the subject line appeals must carry", NULL, NULL },
    { "policy.children-min-age", 0, 0, 0, fn_policy_children_min_age,
      "age under which the policy collects nothing", NULL, NULL },
    { "element-categories", 1, 1, 0, fn_element_categories,
      "categories of an element (a category is its own)", "data", "data" },
    { "element-purposes", 1, 1, 0, fn_element_purposes,
      "purposes an element or category may serve", "data", "purpose" },
    { "element-collection", 1, 1, 0, fn_element_collection,
      "collection methods allowed for an element or category", "data", NULL },
    { "element-only-from", 1, 1, 0, fn_element_only_from,
      "the only sources an element may come from (empty: any)", "data",
      "source" },
    { "element-sensitive", 1, 1, 0, fn_element_sensitive,
      "true if any item is sensitive personal information", "data", NULL },
    { "purpose-needs", 1, 1, 0, fn_purpose_needs, "none, consent or opt-out",
      "purpose", NULL },
    { "purpose-prohibited-for", 1, 1, 0, fn_purpose_prohibited_for,
      "categories a purpose is ruled out for", "purpose", "data" },
    { "purpose-internal-only", 1, 1, 0, fn_purpose_internal_only,
      "true if data for this purpose stays internal", "purpose", NULL },
    { "recipient-needs", 1, 1, 0, fn_recipient_needs,
      "none, consent or permission", "recipient-type", NULL },
    { "agreement-subject", 1, 1, 0, fn_agreement_subject,
      "the flow subject an agreement governs", "agreement", NULL },
    { "agreements-for", 1, 1, 0, fn_agreements_for,
      "agreements a recipient of this subject's data needs", NULL,
      "agreement" },
    { "right-title", 1, 1, 0, fn_right_title, "a right's name", "right", NULL },
    { "jurisdiction-requires", 1, 1, 0, fn_j_requires,
      "rights required by law in a jurisdiction", "jurisdiction", "right" },
    { "jurisdiction-offers", 1, 1, 0, fn_j_offers,
      "rights the policy offers there voluntarily", "jurisdiction", "right" },
    { "jurisdiction-deadline", 1, 1, 0, fn_j_deadline,
      "statutory response deadline, days", "jurisdiction", NULL },
    { "jurisdiction-extension", 1, 1, 0, fn_j_extension,
      "statutory extension, days", "jurisdiction", NULL },
    { "jurisdiction-appeal-required", 1, 1, 0, fn_j_appeal_required,
      "true if the law requires an appeal process", "jurisdiction", NULL },
    { "jurisdiction-appeal-days", 1, 1, 0, fn_j_appeal_days,
      "deadline to answer an appeal, days", "jurisdiction", NULL },
    { "jurisdiction-title", 1, 1, 0, fn_j_title, "a jurisdiction's name",
      "jurisdiction", NULL },
    { "jurisdiction-statute", 1, 1, 0, fn_j_statute,
      "the statute behind the response deadline", "jurisdiction", NULL },
    { "right-deadline", 2, 2, 0, fn_right_deadline,
      "right-deadline(j, r): days to answer a request for r in each of j",
      "jurisdiction right", NULL },
    { "right-deadline-statute", 2, 3, 0, fn_right_deadline_statute,
      "right-deadline-statute(j, r[, days]): the statute behind each of "
      "those deadlines (only those shorter than days)",
      "jurisdiction right -", NULL },
    { "jurisdictions-requiring", 1, 1, 0, fn_j_requiring,
      "jurisdictions whose law requires a right", "right", "jurisdiction" },
    { "setting", 1, 1, 0, fn_setting, "an organisation setting's value",
      "setting", NULL },
    { "integration-scopes", 1, 1, 0, fn_integration_scopes,
      "OAuth scopes an integration may request", "integration", NULL },
    { "integration-elements", 1, 1, 0, fn_integration_elements,
      "elements an integration brings in", "integration", "data" },
    { "integration-purposes", 1, 1, 0, fn_integration_purposes,
      "purposes an integration's data may serve", "integration", "purpose" },
    { "integration-store", 1, 1, 0, fn_integration_store,
      "true if the integration's data may be stored", "integration", NULL },
    { "integration-transfer", 1, 1, 0, fn_integration_transfer,
      "true if the integration's data may be transferred", "integration",
      NULL },
    /* The manifest. */
    { "ids", 1, 1, FUNC_LITERAL_ARGS, fn_ids,
      "ids of the elements of a kind declared so far (stores, recipients "
      "and other declarations come before flows)",
      NULL, NULL },
    { "ids-where", 3, 3, 0, fn_ids_where,
      "ids-where('kind', 'attr', values): ids of the elements of that kind "
      "whose attribute takes one of the values",
      NULL, NULL },
    { "attr", 3, 3, 0, fn_attr,
      "attr('kind', id, 'name'): an attribute of the element with that id",
      NULL, NULL },
    { "classifier-elements", 0, 0, 0, fn_classifier_elements,
      "every element id the classifiers can name, the policy's and others",
      NULL, "data" },
    { "attr-where", 4, 4, FUNC_AGGREGATE, fn_attr_where,
      "attr-where('kind', 'attr', values, 'name'): attribute name of the "
      "elements of that kind whose attr takes one of the values",
      NULL, NULL },
    { "values", 2, 2, FUNC_AGGREGATE | FUNC_LITERAL_ARGS, fn_values,
      "values('kind', 'attr'): every value the attribute takes in the "
      "manifest",
      NULL, NULL },
    { "store-elements", 1, 1, FUNC_AGGREGATE, fn_store_elements,
      "elements that flows write into a store", NULL, "data" },
    { "store-categories", 1, 1, FUNC_AGGREGATE, fn_store_categories,
      "categories that flows write into a store", NULL, "data" },
    { "store-fields", 2, 2, FUNC_AGGREGATE, fn_store_fields,
      "store-fields(store, purpose): field names written there for it",
      "- purpose", NULL },
    { "personal-stores", 0, 0, FUNC_AGGREGATE, fn_personal_stores,
      "stores that flows write personal data into", NULL, NULL },
    /* Sets, numbers, durations. */
    { "nearest", 2, 2, 0, fn_nearest,
      "nearest(a, b): for each item of a not in b, the closest item of b "
      "when it is close enough to be a typo",
      NULL, NULL },
    { "union", 2, 4, FUNC_PURE | FUNC_UNION, fn_union, "items in any argument",
      NULL, "=" },
    { "minus", 2, 2, FUNC_PURE, fn_minus,
      "items of the first not in the second", NULL, "=" },
    { "intersect", 2, 2, FUNC_PURE, fn_intersect, "items in both", NULL, "=" },
    { "count", 1, 1, 0, fn_count, "number of items", NULL, NULL },
    { "min", 1, 1, 0, fn_min, "smallest number or duration", NULL, NULL },
    { "max", 1, 1, 0, fn_max, "largest number or duration", NULL, NULL },
    { "days", 1, 1, 0, fn_days, "an ISO 8601 duration in days", NULL, NULL },
    { "is-duration", 1, 1, 0, fn_is_duration,
      "true if every item is an ISO 8601 duration or 'indefinite'", NULL,
      NULL },
    { "rank", 2, 2, 0, fn_rank, "rank(x, list): x's 1-based position in list",
      NULL, NULL },
    { "prefix", 1, 1, 0, fn_prefix, "the part of each id before its dot", NULL,
      NULL },
};

const char *
func_arg_kind(const struct func *fn, size_t i)
{
    /* The policy format's kinds of id, so that the answer outlives the
     * word it was read from. */
    static const char *const kinds[] = {
        "data",           "category", "element",    "purpose",
        "recipient-type", "right",    "agreement",  "jurisdiction",
        "source",         "setting",  "technology", "integration",
        "basis",          "clause",
    };
    const char *w = fn->args, *sp;
    size_t len;

    if (w == NULL)
        return NULL;
    for (size_t k = 0; k < i && (sp = strchr(w, ' ')) != NULL; k++)
        w = sp + 1;
    len = strchr(w, ' ') != NULL ? (size_t)(strchr(w, ' ') - w) : strlen(w);
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
        if (strlen(kinds[k]) == len && strncmp(kinds[k], w, len) == 0)
            return kinds[k];
    return NULL; /* "-" */
}

const struct func *
func_find(const char *name)
{
    for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++)
        if (strcmp(funcs[i].name, name) == 0)
            return &funcs[i];
    return NULL;
}

const struct func *
func_at(size_t i)
{
    return i < sizeof funcs / sizeof funcs[0] ? &funcs[i] : NULL;
}
