/* disclose.c - disclosure classes (clear, vague, omitted, incorrect) for
 * each flow's data, purpose and recipient type, judged against the policy
 * model; what a manifest declares about rights, for the rights matrix;
 * and the stale disclosures of a run. The manifest's element and
 * attribute names are the format's (DESIGN §4); every judgement reads the
 * loaded policy. */
#include "config.h"

#include "disclose.h"

#include "eval-int.h"
#include "map.h"
#include "policy.h"
#include "results.h"
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

/* Names from the manifest format, not from any policy. */
#define KIND_RECIPIENT "recipient"
#define KIND_TRACKER "tracker"
#define KIND_AUDIENCE "audience"
#define KIND_HANDLER "handler"
#define KIND_APPEAL "appeal"

const char *
disclose_class_str(enum disclose_class c)
{
    static const char *const names[] = { "clear", "vague", "omitted",
                                         "incorrect" };

    return (unsigned)c < DISCLOSE_NCLASSES ? names[c] : "omitted";
}

/* Judgements of r, of the manifest `file` or (all) of every one. */
static size_t
disclose_count_of(const pc_results *r, bool all, const char *file,
                  size_t counts[DISCLOSE_NCLASSES])
{
    size_t n = 0;

    if (file == NULL)
        file = "";
    for (int k = 0; k < DISCLOSE_NCLASSES; k++)
        counts[k] = 0;
    for (size_t i = 0; i < r->ndisclosures; i++) {
        const struct disclose_item *it = &r->disclosures[i];

        if (all || strcmp(it->file != NULL ? it->file : "", file) == 0) {
            counts[it->cls]++;
            n++;
        }
    }
    for (size_t i = 0; i < r->ntallies; i++) {
        if (!all && strcmp(r->tallies[i].file, file) != 0)
            continue;
        for (int k = 0; k < DISCLOSE_NCLASSES; k++) {
            counts[k] += r->tallies[i].counts[k];
            n += r->tallies[i].counts[k];
        }
    }
    return n;
}

size_t
disclose_count(const pc_results *r, size_t counts[DISCLOSE_NCLASSES])
{
    return disclose_count_of(r, true, NULL, counts);
}

size_t
disclose_count_file(const pc_results *r, const char *file,
                    size_t counts[DISCLOSE_NCLASSES])
{
    return disclose_count_of(r, false, file, counts);
}

static const char *
disclose_first(const struct strv *clauses)
{
    return clauses->n > 0 ? clauses->v[0] : NULL;
}

/* Does the policy rule out purpose pu for data `id` (an element, a
 * category, or an id of the form category.name it does not declare)? */
static bool
disclose_ruled_out(const pc_policy *p, const struct policy_purpose *pu,
                   const char *id)
{
    const struct policy_element *el = policy_element(p, id);
    const char *dot = strchr(id, '.');

    if (pu->prohibited || strv_has(&pu->prohibited_for, id))
        return true;
    if (el != NULL) {
        for (size_t i = 0; i < el->categories.n; i++)
            if (strv_has(&pu->prohibited_for, el->categories.v[i]))
                return true;
    } else if (dot != NULL) {
        for (size_t i = 0; i < pu->prohibited_for.n; i++) {
            const char *c = pu->prohibited_for.v[i];

            if (strlen(c) == (size_t)(dot - id) &&
                strncmp(c, id, (size_t)(dot - id)) == 0)
                return true;
        }
    }
    return false;
}

struct disclose_verdict
disclose_data(const pc_policy *p, const char *element, const char *purpose)
{
    struct disclose_verdict v = { DISCLOSE_OMITTED, NULL };
    const struct policy_element *el = policy_element(p, element);
    const struct policy_category *cat = NULL;
    const struct policy_purpose *pu;

    if (el != NULL) {
        v.cls = DISCLOSE_CLEAR;
        v.clause = disclose_first(&el->clauses);
    } else if ((cat = policy_category(p, element)) != NULL) {
        v.cls = DISCLOSE_VAGUE;
        v.clause = disclose_first(&cat->clauses);
    }
    if (purpose != NULL && (pu = policy_purpose(p, purpose)) != NULL &&
        disclose_ruled_out(p, pu, element)) {
        v.cls = DISCLOSE_INCORRECT;
        v.clause = disclose_first(&pu->clauses);
    }
    return v;
}

struct disclose_verdict
disclose_purpose(const pc_policy *p, const char *purpose,
                 const char *const *data, size_t n)
{
    struct disclose_verdict v = { DISCLOSE_OMITTED, NULL };
    const struct policy_purpose *pu = policy_purpose(p, purpose);

    if (pu == NULL)
        return v;
    v.clause = disclose_first(&pu->clauses);
    v.cls = pu->prohibited ? DISCLOSE_INCORRECT : DISCLOSE_CLEAR;
    for (size_t i = 0; i < n && v.cls == DISCLOSE_CLEAR; i++)
        if (disclose_ruled_out(p, pu, data[i]))
            v.cls = DISCLOSE_INCORRECT;
    return v;
}

struct disclose_verdict
disclose_recipient(const pc_policy *p, const char *type)
{
    struct disclose_verdict v = { DISCLOSE_OMITTED, NULL };
    const struct policy_recipient_type *rt = policy_recipient_type(p, type);

    if (rt != NULL) {
        v.cls = DISCLOSE_CLEAR;
        v.clause = disclose_first(&rt->clauses);
    }
    return v;
}

/* ------------------------------------------------------------------ */
/* What the run did. */

/* "KIND\tID", the key of a note, in key (empty on failure). */
static pc_status
disclose_note_key(struct strbuf *key, const char *kind, const char *id)
{
    pc_status st;

    if ((st = strbuf_puts(key, kind)) == PC_OK &&
        (st = strbuf_putc(key, '\t')) == PC_OK)
        st = strbuf_puts(key, id);
    return st;
}

pc_status
disclose_note(pc_results *r, const char *kind, const char *id)
{
    struct strbuf key = STRBUF_INIT(0);
    pc_status st;

    if (r->noted == NULL && (r->noted = map_new()) == NULL)
        return PC_ENOMEM;
    if ((st = disclose_note_key(&key, kind, id)) != PC_OK)
        goto out;
    if (map_get(r->noted, strbuf_str(&key)) != NULL)
        goto out;
    if ((st = strv_push(&r->notes, strbuf_str(&key))) == PC_OK)
        st = map_put(r->noted, r->notes.v[r->notes.n - 1], r);
out:
    strbuf_free(&key);
    return st;
}

pc_status
disclose_noted(const pc_results *r, const char *kind, const char *id,
               bool *noted)
{
    struct strbuf key = STRBUF_INIT(0);
    pc_status st = PC_OK;

    *noted = false;
    if (r->noted != NULL && (st = disclose_note_key(&key, kind, id)) == PC_OK)
        *noted = map_get(r->noted, strbuf_str(&key)) != NULL;
    strbuf_free(&key);
    return st;
}

/* Note data id as collected: the element, and each of its categories. */
static pc_status
disclose_note_data(pc_results *r, const pc_policy *p, const char *id)
{
    const struct policy_element *el = policy_element(p, id);
    pc_status st = PC_OK;

    if (el != NULL) {
        st = disclose_note(r, "element", id);
        for (size_t i = 0; i < el->categories.n && st == PC_OK; i++)
            st = disclose_note(r, "category", el->categories.v[i]);
    } else if (policy_category(p, id) != NULL) {
        st = disclose_note(r, "category", id);
    }
    return st;
}

/* ------------------------------------------------------------------ */
/* Flows. */

/* Note id (data when kind is NULL) unless this manifest already did:
 * the run's notes are keyed by a composed string, and every field of
 * every flow notes its data again; `seen` remembers the ids. */
static pc_status
disclose_note_once(struct mstate *ms, struct strset *seen, const char *kind,
                   const char *id)
{
    pc_status st;

    if (seen->m != NULL && map_get(seen->m, id) != NULL)
        return PC_OK;
    st = kind != NULL ? disclose_note(ms->r, kind, id)
                      : disclose_note_data(ms->r, ms->e->policy, id);
    return st != PC_OK ? st : strset_add(seen, id);
}

static const char *
disclose_attr(const struct obj *o, const char *name)
{
    struct val v = eval_attr(o, name);

    return v.n > 0 ? v.v[0] : NULL;
}

static char *
disclose_dup(const char *s, bool *ok)
{
    char *c;

    if (s == NULL)
        return NULL;
    if ((c = strdup(s)) == NULL)
        *ok = false;
    return c;
}

static char *
disclose_join(const char *const *v, size_t n, bool *ok)
{
    struct strbuf b = STRBUF_INIT(0);
    pc_status st = strbuf_puts(&b, "");

    for (size_t i = 0; i < n && st == PC_OK; i++)
        if (i == 0 || (st = strbuf_putc(&b, ' ')) == PC_OK)
            st = strbuf_puts(&b, v[i]);
    if (st != PC_OK) {
        *ok = false;
        strbuf_free(&b);
        return NULL;
    }
    return strbuf_detach(&b);
}

/* Where the flow's data goes: a declared store, or a declared recipient
 * (with its type); neither when `to` names nothing declared. */
static void
disclose_destination(struct mstate *ms, const struct obj *u, const char **kind,
                     const char **to, const char **type)
{
    const struct objlist *ol = eval_kind(ms, KIND_RECIPIENT);

    *kind = *type = NULL;
    if ((*to = disclose_attr(u, "to")) == NULL)
        return;
    if (map_get(ms->stores, *to) != NULL) {
        *kind = "store";
        return;
    }
    for (size_t i = 0; ol != NULL && i < ol->n; i++) {
        const char *id = disclose_attr(ol->v[i], "id");

        if (id != NULL && strcmp(id, *to) == 0) {
            *kind = "recipient";
            *type = disclose_attr(ol->v[i], "type");
            return;
        }
    }
}

/* The object path of o as a new string. */
static char *
disclose_path(const struct obj *o, bool *ok)
{
    struct strbuf b = STRBUF_INIT(0);

    if (strbuf_puts(&b, "") != PC_OK || eval_objpath(o, &b) != PC_OK) {
        *ok = false;
        strbuf_free(&b);
        return NULL;
    }
    return strbuf_detach(&b);
}

/* Is a judgement of class cls kept as an item, or only counted? */
static bool
disclose_kept(const struct mstate *ms, enum disclose_class cls)
{
    switch (ms->e->disclosure_items) {
    case PC_ITEMS_NONE:
        return false;
    case PC_ITEMS_UNCLEAR:
        return cls != DISCLOSE_CLEAR;
    case PC_ITEMS_ALL:
        break;
    }
    return true;
}

/* Record one item, filling in what every item of flow u shares; or
 * count it, when it is not kept. */
static pc_status
disclose_add(struct mstate *ms, const struct obj *u, const struct obj *o,
             const char *aspect, struct disclose_item *it, bool ok)
{
    if (!disclose_kept(ms, it->cls)) {
        results_disclosure_free(it);
        return ok ? results_tally(ms->r, ms->path, it->cls) : PC_ENOMEM;
    }
    it->file = disclose_dup(ms->path, &ok);
    it->application = ms->root != NULL
                          ? disclose_dup(disclose_attr(ms->root, "name"), &ok)
                          : NULL;
    it->object = disclose_path(o, &ok);
    it->flow = disclose_dup(disclose_attr(u, "id"), &ok);
    it->aspect = aspect;
    it->line = o->line;
    if (!ok) {
        results_disclosure_free(it);
        return PC_ENOMEM;
    }
    return results_add_disclosure(ms->r, it);
}

pc_status
disclose_flow(struct mstate *ms, const struct obj *u)
{
    const pc_policy *p = ms->e->policy;
    const char *purpose = disclose_attr(u, "purpose");
    const char *kind, *to, *type;
    struct strv data = STRV_INIT; /* every element and category moved */
    pc_status st = PC_OK;

    disclose_destination(ms, u, &kind, &to, &type);
    for (size_t i = 0; i < u->nkids && st == PC_OK; i++) {
        const struct obj *f = u->kids[i];
        struct disclose_item it = { 0 };
        struct disclose_verdict v = { DISCLOSE_OMITTED, NULL };
        bool ok = true;

        /* A field is as well disclosed as the least disclosed thing it
         * is: a sensitive name under another label is both. */
        for (size_t k = 0; k < f->nelements; k++) {
            struct disclose_verdict ev =
                disclose_data(p, f->elements[k], purpose);

            if (k == 0 || ev.cls > v.cls)
                v = ev;
            if ((st = disclose_note_once(ms, &ms->noted_data, NULL,
                                         f->elements[k])) != PC_OK ||
                (st = strv_add_unique(&data, f->elements[k])) != PC_OK)
                goto out;
        }
        for (size_t k = 0; k < f->categories.n && st == PC_OK; k++)
            st = strv_add_unique(&data, f->categories.v[k]);
        if (st != PC_OK)
            goto out;
        /* Counted only: nothing to copy. */
        if (!disclose_kept(ms, v.cls)) {
            if ((st = results_tally(ms->r, ms->path, v.cls)) != PC_OK)
                goto out;
            continue;
        }
        it.field = disclose_dup(disclose_attr(f, "name"), &ok);
        it.value = disclose_join(f->elements, f->nelements, &ok);
        it.categories = disclose_join((const char *const *)f->categories.v,
                                      f->categories.n, &ok);
        it.purpose = disclose_dup(purpose, &ok);
        it.to_kind = disclose_dup(kind, &ok);
        it.to = disclose_dup(to, &ok);
        it.recipient_type = disclose_dup(type, &ok);
        it.sensitive = f->sensitive;
        it.cls = v.cls;
        it.clause = v.clause;
        if ((st = disclose_add(ms, u, f, DISCLOSE_DATA, &it, ok)) != PC_OK)
            goto out;
    }
    if (purpose != NULL) {
        struct disclose_verdict v =
            disclose_purpose(p, purpose, (const char *const *)data.v, data.n);
        struct disclose_item it = { .cls = v.cls, .clause = v.clause };
        bool ok = true;

        it.value = disclose_dup(purpose, &ok);
        if ((st = disclose_add(ms, u, u, DISCLOSE_PURPOSE, &it, ok)) != PC_OK ||
            (st = disclose_note_once(ms, &ms->noted_purposes, "purpose",
                                     purpose)) != PC_OK)
            goto out;
    }
    if (type != NULL) {
        struct disclose_verdict v = disclose_recipient(p, type);
        struct disclose_item it = { .cls = v.cls, .clause = v.clause };
        bool ok = true;

        it.value = disclose_dup(type, &ok);
        it.to = disclose_dup(to, &ok);
        if ((st = disclose_add(ms, u, u, DISCLOSE_RECIPIENT, &it, ok)) !=
                PC_OK ||
            (st = disclose_note(ms->r, "recipient-type", type)) != PC_OK)
            goto out;
    }
out:
    strv_free(&data);
    return st;
}

/* ------------------------------------------------------------------ */
/* The rest of a manifest. */

static pc_status
disclose_trackers(struct mstate *ms)
{
    const struct objlist *ol = eval_kind(ms, KIND_TRACKER);
    pc_status st = PC_OK;

    for (size_t i = 0; ol != NULL && i < ol->n && st == PC_OK; i++) {
        struct val collects = eval_attr(ol->v[i], "collects");
        const char *tech = disclose_attr(ol->v[i], "technology");

        for (size_t k = 0; k < collects.n && st == PC_OK; k++)
            st = disclose_note_data(ms->r, ms->e->policy, collects.v[k]);
        if (st == PC_OK && tech != NULL)
            st = disclose_note(ms->r, "technology", tech);
    }
    return st;
}

pc_status
disclose_document(struct mstate *ms)
{
    const struct objlist *aud = eval_kind(ms, KIND_AUDIENCE);
    const struct objlist *hl = eval_kind(ms, KIND_HANDLER);
    const struct objlist *al = eval_kind(ms, KIND_APPEAL);
    struct disclose_rights g = { 0 };
    bool ok = true;
    pc_status st;

    if ((st = disclose_trackers(ms)) != PC_OK)
        return st;
    g.file = disclose_dup(ms->path, &ok);
    g.application = ms->root != NULL
                        ? disclose_dup(disclose_attr(ms->root, "name"), &ok)
                        : NULL;
    if (aud != NULL && aud->n > 0) {
        struct val j = eval_attr(aud->v[0], "jurisdictions");

        g.jurisdictions = disclose_join(j.v, j.n, &ok);
    }
    if (hl != NULL && hl->n > 0 &&
        (g.handlers = calloc(hl->n, sizeof *g.handlers)) == NULL)
        ok = false;
    for (size_t i = 0; ok && hl != NULL && i < hl->n; i++) {
        struct disclose_handler *h = &g.handlers[g.nhandlers++];

        h->right = disclose_dup(disclose_attr(hl->v[i], "right"), &ok);
        h->days = disclose_dup(disclose_attr(hl->v[i], "response-days"), &ok);
        h->line = hl->v[i]->line;
    }
    if (al != NULL && al->n > 0) {
        g.appeal = true;
        g.appeal_days =
            disclose_dup(disclose_attr(al->v[0], "response-days"), &ok);
        g.appeal_line = al->v[0]->line;
    }
    if (!ok) {
        results_rights_free(&g);
        return PC_ENOMEM;
    }
    return results_add_rights(ms->r, &g);
}

/* ------------------------------------------------------------------ */
/* Stale disclosures. */

static pc_status
disclose_push(struct disclose_stale **v, size_t *n, size_t *cap,
              struct disclose_stale s)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        struct disclose_stale *nv = realloc(*v, ncap * sizeof *nv);

        if (nv == NULL)
            return PC_ENOMEM;
        *v = nv;
        *cap = ncap;
    }
    (*v)[(*n)++] = s;
    return PC_OK;
}

pc_status
disclose_stale(const pc_policy *p, const pc_results *r,
               struct disclose_stale **out, size_t *np)
{
    struct disclose_stale *v = NULL;
    size_t n = 0, cap = 0;
    pc_status st = PC_OK;
    bool used;

    /* A category no manifest touches is one stale disclosure, not one
     * per element; in a category that is used, each unused element. */
    for (size_t i = 0; i < p->ncategories && st == PC_OK; i++) {
        const struct policy_category *c = &p->categories[i];

        if ((st = disclose_noted(r, "category", c->id, &used)) != PC_OK)
            break;
        if (!used) {
            st = disclose_push(&v, &n, &cap,
                               (struct disclose_stale){
                                   "category", c->id, c->title, &c->clauses });
            continue;
        }
        for (size_t k = 0; k < c->elements.n && st == PC_OK; k++) {
            const struct policy_element *el =
                policy_element(p, c->elements.v[k]);

            if (el == NULL ||
                (st = disclose_noted(r, "element", el->id, &used)) != PC_OK)
                continue;
            if (!used)
                st = disclose_push(&v, &n, &cap,
                                   (struct disclose_stale){ "element", el->id,
                                                            el->title,
                                                            &el->clauses });
        }
    }
    /* A purpose the policy rules out is no disclosure of a use. */
    for (size_t i = 0; i < p->npurposes && st == PC_OK; i++) {
        const struct policy_purpose *u = &p->purposes[i];

        if (u->prohibited ||
            (st = disclose_noted(r, "purpose", u->id, &used)) != PC_OK)
            continue;
        if (!used)
            st = disclose_push(&v, &n, &cap,
                               (struct disclose_stale){
                                   "purpose", u->id, u->title, &u->clauses });
    }
    for (size_t i = 0; i < p->nrecipient_types && st == PC_OK; i++) {
        const struct policy_recipient_type *t = &p->recipient_types[i];

        if ((st = disclose_noted(r, "recipient-type", t->id, &used)) != PC_OK)
            break;
        if (!used)
            st =
                disclose_push(&v, &n, &cap,
                              (struct disclose_stale){ "recipient-type", t->id,
                                                       t->title, &t->clauses });
    }
    for (size_t i = 0; i < p->ntechnologies && st == PC_OK; i++) {
        const struct policy_technology *t = &p->technologies[i];

        if ((st = disclose_noted(r, "technology", t->id, &used)) != PC_OK)
            break;
        if (!used)
            st =
                disclose_push(&v, &n, &cap,
                              (struct disclose_stale){ "technology", t->id,
                                                       t->title, &t->clauses });
    }
    if (st != PC_OK) {
        free(v);
        return st;
    }
    *out = v;
    *np = n;
    return PC_OK;
}
