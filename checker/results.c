/* results.c - findings and audited manifests of a run. Strings are copied
 * in, so the evaluator's scratch state can go as soon as a flow is done. */
#include "config.h"

#include "results.h"

#include "map.h"

#include <stdlib.h>
#include <string.h>

pc_results *
pc_results_new(void)
{
    return calloc(1, sizeof(struct pc_results));
}

/* What a finding owns; the pooled strings are the results'. */
static void
results_finding_free(struct pc_finding *f)
{
    free((char *)f->message);
    free((char *)f->object);
    free((char *)f->fingerprint);
    free((char *)f->group);
    free((char *)f->suppression.kind);
    free((char *)f->suppression.reason);
    free((char *)f->suppression.approved_by);
    free((char *)f->suppression.expires);
    free((char *)f->suppression.file);
    free((char *)f->baseline);
}

static void
results_manifest_free(struct pc_manifest_info *m)
{
    free((char *)m->file);
    free((char *)m->application);
    free((char *)m->version);
    free((char *)m->path);
    free((char *)m->sha256);
    free((char *)m->kind);
}

static void
results_baseline_free(struct pc_baseline_info *b)
{
    if (b == NULL)
        return;
    free((char *)b->file);
    free((char *)b->sha256);
    free((char *)b->policy_sha256);
    free((char *)b->rules_sha256);
    free(b);
}

void
pc_results_free(pc_results *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->n; i++)
        results_finding_free(&r->findings[i]);
    for (size_t i = 0; i < r->nmanifests; i++)
        results_manifest_free(&r->manifests[i]);
    for (size_t i = 0; i < r->ninputs; i++)
        results_manifest_free(&r->inputs[i]);
    for (size_t i = 0; i < r->nabsent; i++)
        results_finding_free(&r->absent[i]);
    results_baseline_free(r->baseline);
    for (size_t i = 0; i < r->ndisclosures; i++)
        results_disclosure_free(&r->disclosures[i]);
    free(r->disclosures);
    for (size_t i = 0; i < r->ntallies; i++)
        free(r->tallies[i].file);
    free(r->tallies);
    for (size_t i = 0; i < r->nrights; i++)
        results_rights_free(&r->rights[i]);
    free(r->rights);
    map_free(r->noted);
    strv_free(&r->notes);
    free(r->findings);
    free(r->manifests);
    free(r->inputs);
    free(r->absent);
    map_free(r->pooled);
    arena_free(&r->pool);
    free(r);
}

/* strdup that keeps NULL; *ok goes false when a copy fails. */
static const char *
results_dup(const char *s, bool *ok)
{
    char *c;

    if (s == NULL)
        return NULL;
    if ((c = strdup(s)) == NULL)
        *ok = false;
    return c;
}

/* s's copy in r's pool, made on first use. */
static const char *
results_intern(pc_results *r, const char *s, bool *ok)
{
    char *c;

    if (s == NULL || !*ok)
        return NULL;
    if (r->pooled == NULL && (r->pooled = map_new()) == NULL) {
        *ok = false;
        return NULL;
    }
    if ((c = map_get(r->pooled, s)) != NULL)
        return c;
    if ((c = arena_strndup(&r->pool, s, strlen(s))) == NULL ||
        map_put(r->pooled, c, c) != PC_OK) {
        *ok = false;
        return NULL;
    }
    return c;
}

/* Append a copy of f to the list v (n used, cap allocated) of r. */
static pc_status
results_push(pc_results *r, struct pc_finding **v, size_t *n, size_t *cap,
             const struct pc_finding *f)
{
    struct pc_finding *c;
    bool ok = true;

    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        struct pc_finding *nv = realloc(*v, ncap * sizeof *nv);

        if (nv == NULL)
            return PC_ENOMEM;
        *v = nv;
        *cap = ncap;
    }
    c = &(*v)[*n];
    *c = *f;
    c->rule = results_intern(r, f->rule, &ok);
    c->title = results_intern(r, f->title, &ok);
    c->fix = results_intern(r, f->fix, &ok);
    c->file = results_intern(r, f->file, &ok);
    c->application = results_intern(r, f->application, &ok);
    c->path = results_intern(r, f->path, &ok);
    c->message = results_dup(f->message, &ok);
    c->object = results_dup(f->object, &ok);
    c->fingerprint = results_dup(f->fingerprint, &ok);
    c->group = results_dup(f->group, &ok);
    c->suppression.kind = results_dup(f->suppression.kind, &ok);
    c->suppression.reason = results_dup(f->suppression.reason, &ok);
    c->suppression.approved_by = results_dup(f->suppression.approved_by, &ok);
    c->suppression.expires = results_dup(f->suppression.expires, &ok);
    c->suppression.file = results_dup(f->suppression.file, &ok);
    c->baseline = results_dup(f->baseline, &ok);
    if (!ok) {
        results_finding_free(c);
        return PC_ENOMEM;
    }
    (*n)++;
    return PC_OK;
}

pc_status
results_add(pc_results *r, const struct pc_finding *f)
{
    return results_push(r, &r->findings, &r->n, &r->cap, f);
}

pc_status
results_add_absent(pc_results *r, const struct pc_finding *f)
{
    return results_push(r, &r->absent, &r->nabsent, &r->capabsent, f);
}

pc_status
results_set_baseline(pc_results *r, const struct pc_baseline_info *b)
{
    struct pc_baseline_info *c = calloc(1, sizeof *c);
    bool ok = c != NULL;

    if (c == NULL)
        return PC_ENOMEM;
    *c = *b;
    c->file = results_dup(b->file, &ok);
    c->sha256 = results_dup(b->sha256, &ok);
    c->policy_sha256 = results_dup(b->policy_sha256, &ok);
    c->rules_sha256 = results_dup(b->rules_sha256, &ok);
    if (!ok) {
        results_baseline_free(c);
        return PC_ENOMEM;
    }
    results_baseline_free(r->baseline);
    r->baseline = c;
    return PC_OK;
}

pc_status
results_mark(pc_results *r, size_t i, const char *state)
{
    char *c;

    if (i >= r->n)
        return PC_OK;
    if ((c = strdup(state)) == NULL)
        return PC_ENOMEM;
    free((char *)r->findings[i].baseline);
    r->findings[i].baseline = c;
    return PC_OK;
}

/* Append a copy of m to the list v (n used, cap allocated). */
static pc_status
results_push_info(struct pc_manifest_info **v, size_t *n, size_t *cap,
                  const struct pc_manifest_info *m)
{
    struct pc_manifest_info *c;
    bool ok = true;

    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 4;
        struct pc_manifest_info *nv = realloc(*v, ncap * sizeof *nv);

        if (nv == NULL)
            return PC_ENOMEM;
        *v = nv;
        *cap = ncap;
    }
    c = &(*v)[*n];
    c->file = results_dup(m->file, &ok);
    c->application = results_dup(m->application, &ok);
    c->version = results_dup(m->version, &ok);
    c->path = results_dup(m->path, &ok);
    c->sha256 = results_dup(m->sha256, &ok);
    c->kind = results_dup(m->kind, &ok);
    if (!ok) {
        results_manifest_free(c);
        return PC_ENOMEM;
    }
    (*n)++;
    return PC_OK;
}

pc_status
results_add_manifest(pc_results *r, const struct pc_manifest_info *m)
{
    return results_push_info(&r->manifests, &r->nmanifests, &r->capmanifests,
                             m);
}

pc_status
results_add_input(pc_results *r, const struct pc_manifest_info *m)
{
    return results_push_info(&r->inputs, &r->ninputs, &r->capinputs, m);
}

pc_status
results_suppress(pc_results *r, size_t i, const struct pc_suppression *s)
{
    struct pc_suppression c = { 0 };
    struct pc_finding *f;
    bool ok = true;

    if (i >= r->n || r->findings[i].suppressed)
        return PC_OK;
    f = &r->findings[i];
    c.kind = results_dup(s->kind, &ok);
    c.reason = results_dup(s->reason, &ok);
    c.approved_by = results_dup(s->approved_by, &ok);
    c.expires = results_dup(s->expires, &ok);
    c.file = results_dup(s->file, &ok);
    c.line = s->line;
    if (!ok) {
        free((char *)c.kind);
        free((char *)c.reason);
        free((char *)c.approved_by);
        free((char *)c.expires);
        free((char *)c.file);
        return PC_ENOMEM;
    }
    f->suppression = c;
    f->suppressed = true;
    return PC_OK;
}

void
results_disclosure_free(struct disclose_item *it)
{
    free(it->file);
    free(it->application);
    free(it->object);
    free(it->flow);
    free(it->field);
    free(it->value);
    free(it->categories);
    free(it->purpose);
    free(it->to_kind);
    free(it->to);
    free(it->recipient_type);
}

void
results_rights_free(struct disclose_rights *g)
{
    free(g->file);
    free(g->application);
    free(g->jurisdictions);
    for (size_t i = 0; i < g->nhandlers; i++) {
        free(g->handlers[i].right);
        free(g->handlers[i].days);
    }
    free(g->handlers);
    free(g->appeal_days);
}

/* Grow the array *v of *cap items of size sz to hold n + 1. */
static pc_status
results_grow(void **v, size_t *cap, size_t n, size_t sz)
{
    void *nv;
    size_t ncap;

    if (n < *cap)
        return PC_OK;
    ncap = *cap ? *cap * 2 : 16;
    if ((nv = realloc(*v, ncap * sz)) == NULL)
        return PC_ENOMEM;
    *v = nv;
    *cap = ncap;
    return PC_OK;
}

pc_status
results_add_disclosure(pc_results *r, struct disclose_item *it)
{
    if (results_grow((void **)&r->disclosures, &r->capdisclosures,
                     r->ndisclosures, sizeof *it) != PC_OK) {
        results_disclosure_free(it);
        return PC_ENOMEM;
    }
    r->disclosures[r->ndisclosures++] = *it;
    return PC_OK;
}

pc_status
results_tally(pc_results *r, const char *file, enum disclose_class cls)
{
    struct disclose_tally *t =
        r->ntallies > 0 ? &r->tallies[r->ntallies - 1] : NULL;

    if (file == NULL)
        file = "";
    if (t == NULL || strcmp(t->file, file) != 0) {
        char *copy = strdup(file);

        if (copy == NULL ||
            results_grow((void **)&r->tallies, &r->captallies, r->ntallies,
                         sizeof *r->tallies) != PC_OK) {
            free(copy);
            return PC_ENOMEM;
        }
        t = &r->tallies[r->ntallies++];
        *t = (struct disclose_tally){ .file = copy };
    }
    t->counts[cls]++;
    return PC_OK;
}

pc_status
results_add_rights(pc_results *r, struct disclose_rights *g)
{
    if (results_grow((void **)&r->rights, &r->caprights, r->nrights,
                     sizeof *g) != PC_OK) {
        results_rights_free(g);
        return PC_ENOMEM;
    }
    r->rights[r->nrights++] = *g;
    return PC_OK;
}

/* Move src's disclosures and rights to dst, and add its notes. */
static pc_status
results_merge_disclosures(pc_results *dst, pc_results *src)
{
    if (dst->ndisclosures == 0) {
        /* The first manifest's: take the array whole rather than copy
         * it, which held two of them at once (a record per field). */
        struct disclose_item *v = dst->disclosures;
        size_t cap = dst->capdisclosures;

        dst->disclosures = src->disclosures;
        dst->capdisclosures = src->capdisclosures;
        dst->ndisclosures = src->ndisclosures;
        src->disclosures = v;
        src->capdisclosures = cap;
        src->ndisclosures = 0;
    }
    for (size_t i = 0; i < src->ndisclosures; i++) {
        if (results_grow((void **)&dst->disclosures, &dst->capdisclosures,
                         dst->ndisclosures, sizeof *dst->disclosures) != PC_OK)
            return PC_ENOMEM;
        dst->disclosures[dst->ndisclosures++] = src->disclosures[i];
        /* Moved: src must not free it, even if a later move fails. */
        src->disclosures[i] = (struct disclose_item){ 0 };
    }
    src->ndisclosures = 0;
    for (size_t i = 0; i < src->ntallies; i++) {
        if (results_grow((void **)&dst->tallies, &dst->captallies,
                         dst->ntallies, sizeof *dst->tallies) != PC_OK)
            return PC_ENOMEM;
        dst->tallies[dst->ntallies++] = src->tallies[i];
        src->tallies[i] = (struct disclose_tally){ 0 };
    }
    src->ntallies = 0;
    for (size_t i = 0; i < src->nrights; i++) {
        if (results_grow((void **)&dst->rights, &dst->caprights, dst->nrights,
                         sizeof *dst->rights) != PC_OK)
            return PC_ENOMEM;
        dst->rights[dst->nrights++] = src->rights[i];
        src->rights[i] = (struct disclose_rights){ 0 };
    }
    src->nrights = 0;
    for (size_t i = 0; i < src->notes.n; i++) {
        const char *key = src->notes.v[i];

        if (dst->noted == NULL && (dst->noted = map_new()) == NULL)
            return PC_ENOMEM;
        if (map_get(dst->noted, key) != NULL)
            continue;
        if (strv_push(&dst->notes, key) != PC_OK ||
            map_put(dst->noted, dst->notes.v[dst->notes.n - 1], dst) != PC_OK)
            return PC_ENOMEM;
    }
    return PC_OK;
}

pc_status
pc_results_merge(pc_results *dst, pc_results *src)
{
    /* Move structs wholesale: the strings change owner, not address;
     * the pooled ones with src's pool, first, so that no finding in dst
     * ever borrows from src. */
    arena_adopt(&dst->pool, &src->pool);
    map_free(src->pooled); /* it names strings dst owns now */
    src->pooled = NULL;
    if (src->n > 0) {
        size_t need = dst->n + src->n;

        if (need > dst->cap) {
            struct pc_finding *v = realloc(dst->findings, need * sizeof *v);
            if (v == NULL)
                return PC_ENOMEM;
            dst->findings = v;
            dst->cap = need;
        }
        memcpy(dst->findings + dst->n, src->findings,
               src->n * sizeof *src->findings);
        dst->n = need;
        src->n = 0;
    }
    if (src->nmanifests > 0) {
        size_t need = dst->nmanifests + src->nmanifests;

        if (need > dst->capmanifests) {
            struct pc_manifest_info *v =
                realloc(dst->manifests, need * sizeof *v);
            if (v == NULL)
                return PC_ENOMEM;
            dst->manifests = v;
            dst->capmanifests = need;
        }
        memcpy(dst->manifests + dst->nmanifests, src->manifests,
               src->nmanifests * sizeof *src->manifests);
        dst->nmanifests = need;
        src->nmanifests = 0;
    }
    for (size_t i = 0; i < src->ninputs; i++)
        if (results_push_info(&dst->inputs, &dst->ninputs, &dst->capinputs,
                              &src->inputs[i]) != PC_OK)
            return PC_ENOMEM;
    return results_merge_disclosures(dst, src);
}

static int
results_strcmp(const char *a, const char *b)
{
    return strcmp(a != NULL ? a : "", b != NULL ? b : "");
}

static int
results_cmp(const void *pa, const void *pb)
{
    const struct pc_finding *a = pa, *b = pb;
    int c;

    if ((c = results_strcmp(a->file, b->file)) != 0)
        return c;
    if (a->line != b->line)
        return a->line < b->line ? -1 : 1;
    if ((c = results_strcmp(a->rule, b->rule)) != 0)
        return c;
    if ((c = results_strcmp(a->object, b->object)) != 0)
        return c;
    return results_strcmp(a->message, b->message);
}

void
pc_results_sort(pc_results *r)
{
    if (r->n > 1)
        qsort(r->findings, r->n, sizeof *r->findings, results_cmp);
}

size_t
pc_results_count(const pc_results *r)
{
    return r->n;
}

const struct pc_finding *
pc_results_get(const pc_results *r, size_t i)
{
    return i < r->n ? &r->findings[i] : NULL;
}

size_t
pc_results_manifest_count(const pc_results *r)
{
    return r->nmanifests;
}

const struct pc_manifest_info *
pc_results_manifest(const pc_results *r, size_t i)
{
    return i < r->nmanifests ? &r->manifests[i] : NULL;
}

size_t
pc_results_at_least(const pc_results *r, pc_severity sev)
{
    size_t n = 0;

    for (size_t i = 0; i < r->n; i++)
        if (!r->findings[i].suppressed && r->findings[i].severity >= sev)
            n++;
    return n;
}

const struct pc_baseline_info *
pc_results_baseline(const pc_results *r)
{
    return r->baseline;
}

size_t
pc_results_absent_count(const pc_results *r)
{
    return r->nabsent;
}

const struct pc_finding *
pc_results_absent(const pc_results *r, size_t i)
{
    return i < r->nabsent ? &r->absent[i] : NULL;
}

size_t
pc_results_input_count(const pc_results *r)
{
    return r->ninputs;
}

const struct pc_manifest_info *
pc_results_input(const pc_results *r, size_t i)
{
    return i < r->ninputs ? &r->inputs[i] : NULL;
}
