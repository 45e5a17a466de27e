/* policy-lint.c - contradictions and gaps inside an encoded policy and
 * between it and its rules, each at its file:line with the clauses
 * concerned: what the loader accepts (it is well-formed and every id
 * resolves) but an author did not mean. The checks know the shape of a
 * policy, never its words. Written as compiler-style text or as JSON. */
#include "config.h"

#include "policy-render.h"

#include "diag.h"
#include "engine.h"
#include "jbuild.h"
#include "rule.h"
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

struct lint_finding {
    const char *check;
    pc_severity severity;
    const char *file;
    unsigned line;
    char *message;
    struct strv clauses; /* clause ids */
};

struct lint {
    const pc_policy *p;
    struct lint_finding *v;
    size_t n, cap;
    pc_status st;
};

static struct lint_finding *lint_add(struct lint *l, const char *check,
                                     pc_severity sev, const char *file,
                                     unsigned line, const struct strv *clauses,
                                     const char *fmt, ...) PC_PRINTF(7, 8);

static struct lint_finding *
lint_add(struct lint *l, const char *check, pc_severity sev, const char *file,
         unsigned line, const struct strv *clauses, const char *fmt, ...)
{
    struct lint_finding *f;
    va_list ap;
    int rc;

    if (l->st != PC_OK)
        return NULL;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        struct lint_finding *v = realloc(l->v, cap * sizeof *v);

        if (v == NULL) {
            l->st = PC_ENOMEM;
            return NULL;
        }
        l->v = v;
        l->cap = cap;
    }
    f = &l->v[l->n];
    memset(f, 0, sizeof *f);
    f->check = check;
    f->severity = sev;
    f->file = file;
    f->line = line;
    va_start(ap, fmt);
    rc = vasprintf(&f->message, fmt, ap);
    va_end(ap);
    if (rc < 0 ||
        (clauses != NULL && strv_copy_unique(&f->clauses, clauses) != PC_OK)) {
        if (rc >= 0)
            free(f->message);
        strv_free(&f->clauses);
        l->st = PC_ENOMEM;
        return NULL;
    }
    l->n++;
    return f;
}

/* Add the clauses of more to f. */
static void
lint_cite(struct lint *l, struct lint_finding *f, const struct strv *more)
{
    if (f != NULL && strv_copy_unique(&f->clauses, more) != PC_OK)
        l->st = PC_ENOMEM;
}

/* Is purpose u ruled out for the data `id` (a category or an element) or,
 * for an element, for one of its categories? */
static bool
lint_prohibited(const struct policy_purpose *u, const char *id,
                const struct strv *cats)
{
    if (u->prohibited || strv_has(&u->prohibited_for, id))
        return true;
    for (size_t i = 0; cats != NULL && i < cats->n; i++)
        if (strv_has(&u->prohibited_for, cats->v[i]))
            return true;
    return false;
}

/* A purpose listed for data and ruled out for it: the list permits what
 * the prohibition forbids, and the model silently keeps the
 * prohibition. */
static void
lint_purposes(struct lint *l)
{
    const pc_policy *p = l->p;

    for (size_t i = 0; i < p->ncategories; i++) {
        const struct policy_category *c = &p->categories[i];

        for (size_t k = 0; k < c->purposes.n; k++) {
            const struct policy_purpose *u =
                policy_purpose(p, c->purposes.v[k]);
            struct lint_finding *f;

            if (u == NULL)
                continue;
            if (lint_prohibited(u, c->id, NULL)) {
                f = lint_add(l, "purpose-conflict", PC_SEV_ERROR, p->file,
                             c->line, &c->clauses,
                             "category '%s' lists purpose '%s', which the "
                             "purpose on line %u prohibits for it",
                             c->id, u->id, u->line);
                lint_cite(l, f, &u->clauses);
                continue;
            }
            /* Listed for the category, ruled out for one of its
             * elements: both permitted and prohibited for the element. */
            for (size_t m = 0; m < c->members.n; m++) {
                const char *el = c->members.v[m];

                if (!strv_has(&u->prohibited_for, el))
                    continue;
                f = lint_add(l, "purpose-conflict", PC_SEV_ERROR, p->file,
                             c->line, &c->clauses,
                             "category '%s' lists purpose '%s' for its "
                             "data, which the purpose on line %u prohibits "
                             "for its element '%s'",
                             c->id, u->id, u->line, el);
                lint_cite(l, f, &u->clauses);
            }
        }
    }
    for (size_t i = 0; i < p->nelements; i++) {
        const struct policy_element *e = &p->elements[i];

        for (size_t k = 0; k < e->own_purposes.n; k++) {
            const struct policy_purpose *u =
                policy_purpose(p, e->own_purposes.v[k]);
            struct lint_finding *f;

            if (u == NULL || !lint_prohibited(u, e->id, &e->categories))
                continue;
            f = lint_add(l, "purpose-conflict", PC_SEV_ERROR, p->file, e->line,
                         &e->clauses,
                         "element '%s' lists purpose '%s', which the "
                         "purpose on line %u prohibits for it",
                         e->id, u->id, u->line);
            lint_cite(l, f, &u->clauses);
        }
    }
}

/* Data the policy collects but may use for nothing. */
static void
lint_elements(struct lint *l)
{
    const pc_policy *p = l->p;

    for (size_t i = 0; i < p->nelements; i++) {
        const struct policy_element *e = &p->elements[i];
        bool open = e->own_purposes.n == 0;

        if (e->purposes.n == 0) {
            char *cats = strv_join(&e->categories, ", ");

            if (cats == NULL) {
                l->st = PC_ENOMEM;
                return;
            }
            lint_add(l, "element-no-purpose", PC_SEV_ERROR, p->file, e->line,
                     &e->clauses,
                     "element '%s' may serve no purpose: its categories (%s) "
                     "permit none in common",
                     e->id, cats);
            free(cats);
        }
        if (!e->sensitive)
            continue;
        /* Sensitive data open to every general purpose: nothing narrows
         * it to the few the policy names for such data. */
        for (size_t k = 0; k < e->categories.n && open; k++) {
            const struct policy_category *c =
                policy_category(p, e->categories.v[k]);

            open = c != NULL && c->general_purposes;
        }
        if (open)
            lint_add(l, "sensitive-unrestricted", PC_SEV_ERROR, p->file,
                     e->line, &e->clauses,
                     "sensitive element '%s' is open to every general "
                     "purpose: neither it nor any of its categories "
                     "restricts its purposes",
                     e->id);
    }
}

/* Shared for business purposes, and no recipient type may receive data
 * without consent or permission. */
static void
lint_sharing(struct lint *l)
{
    const pc_policy *p = l->p;
    bool open = false;

    for (size_t i = 0; i < p->nrecipient_types && !open; i++)
        open = p->recipient_types[i].needs != NULL &&
               strcmp(p->recipient_types[i].needs, "none") == 0;
    for (size_t i = 0; i < p->ncategories && !open; i++) {
        const struct policy_category *c = &p->categories[i];

        if (c->shared_for_business)
            lint_add(l, "shared-no-recipient", PC_SEV_ERROR, p->file, c->line,
                     &c->clauses,
                     "category '%s' is shared for business purposes, but "
                     "no recipient type may receive data without consent "
                     "or permission",
                     c->id);
    }
}

/* A right the law requires whose deadline has no statute behind it: the
 * deadline is then the policy's guess, and a finding cannot cite it. */
static void
lint_deadlines(struct lint *l)
{
    const pc_policy *p = l->p;

    for (size_t i = 0; i < p->njurisdictions; i++) {
        const struct policy_jurisdiction *j = &p->jurisdictions[i];

        for (size_t k = 0; k < j->requires.n; k++) {
            const struct policy_right *g = policy_right(p, j->requires.v[k]);
            struct render_deadline dl = render_deadline(j, j->requires.v[k]);
            struct lint_finding *f = NULL;

            if (dl.days <= 0)
                f = lint_add(l, "right-no-deadline", PC_SEV_ERROR, p->file,
                             j->line, &j->clauses,
                             "jurisdiction '%s' requires right '%s' but "
                             "gives no deadline to answer it in",
                             j->id, j->requires.v[k]);
            else if (dl.own && j->requires_days_statutes.v[k][0] == '\0')
                f = lint_add(l, "right-no-deadline", PC_SEV_ERROR, p->file,
                             j->line, &j->clauses,
                             "jurisdiction '%s' requires right '%s' with its "
                             "own deadline of %ld days, but names no statute "
                             "for that deadline (days-statute)",
                             j->id, j->requires.v[k], dl.days);
            if (f != NULL && g != NULL)
                lint_cite(l, f, &g->clauses);
        }
    }
}

/* A normative clause nothing rests on: no part of the model cites it and
 * no rule enforces it, so the encoding says nothing about that promise. */
static void
lint_clauses(struct lint *l, const struct render_index *x)
{
    const pc_policy *p = l->p;

    for (size_t i = 0; i < p->nclauses; i++) {
        const struct policy_clause *c = &p->clauses[i];
        struct strv one = STRV_INIT;

        if (!c->normative || x->cites[i].n > 0 || x->enforced[i].n > 0)
            continue;
        if (strv_push(&one, c->id) != PC_OK) {
            l->st = PC_ENOMEM;
            return;
        }
        lint_add(l, "clause-unused", PC_SEV_WARNING, p->file, c->line, &one,
                 "normative clause '%s' is cited by nothing in the encoded "
                 "policy and enforced by no rule",
                 c->id);
        strv_free(&one);
    }
}

/* ------------------------------------------------------------------ */

static int
lint_cmp(const void *a, const void *b)
{
    const struct lint_finding *x = a, *y = b;
    int c = strcmp(x->file, y->file);

    if (c != 0)
        return c;
    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    c = strcmp(x->check, y->check);
    return c != 0 ? c : strcmp(x->message, y->message);
}

static void
lint_text(const struct lint *l, FILE *out)
{
    size_t counts[3] = { 0, 0, 0 };

    for (size_t i = 0; i < l->n; i++) {
        const struct lint_finding *f = &l->v[i];

        counts[f->severity]++;
        diag_put_escaped(out, f->file);
        fprintf(out, ":%u: %s: [%s] ", f->line, pc_severity_str(f->severity),
                f->check);
        diag_put_escaped(out, f->message);
        fputc('\n', out);
        for (size_t k = 0; k < f->clauses.n; k++) {
            const struct policy_clause *c =
                policy_clause(l->p, f->clauses.v[k]);

            if (c == NULL)
                continue;
            fprintf(out, "    policy §%s [", c->section);
            diag_put_escaped(out, c->id);
            fputs("]: \"", out);
            diag_put_escaped(out, c->text);
            fputs("\"\n", out);
        }
    }
    fputs("privcheck: policy lint: ", out);
    diag_put_escaped(out, l->p->file);
    if (l->n == 0)
        fputs(": no findings\n", out);
    else
        fprintf(out, ": %zu error%s, %zu warning%s\n", counts[PC_SEV_ERROR],
                counts[PC_SEV_ERROR] == 1 ? "" : "s", counts[PC_SEV_WARNING],
                counts[PC_SEV_WARNING] == 1 ? "" : "s");
}

static pc_status
lint_json(const struct lint *l, pc_diags *d, FILE *out)
{
    struct jbuild b = { d, { l->p->file, 0, 0 }, "the lint report", PC_OK };
    json_t *root = json_object(), *pol, *a;
    pc_status st;

    if (root == NULL)
        return PC_ENOMEM;
    jbuild_str(&b, root, "tool", "privcheck");
    jbuild_str(&b, root, "version", pc_version());
    if ((pol = jbuild_put(&b, root, "policy", json_object())) != NULL) {
        jbuild_str(&b, pol, "file", l->p->file);
        jbuild_str(&b, pol, "id", l->p->id);
        jbuild_str(&b, pol, "version", l->p->version);
        jbuild_str(&b, pol, "sha256", l->p->sha256);
    }
    a = jbuild_put(&b, root, "findings", json_array());
    for (size_t i = 0; a != NULL && i < l->n; i++) {
        const struct lint_finding *f = &l->v[i];
        json_t *o = jbuild_put(&b, a, NULL, json_object()), *cl;

        if (o == NULL)
            break;
        jbuild_str(&b, o, "check", f->check);
        jbuild_str(&b, o, "severity", pc_severity_str(f->severity));
        jbuild_str(&b, o, "file", f->file);
        jbuild_int(&b, o, "line", f->line);
        jbuild_str(&b, o, "message", f->message);
        cl = jbuild_put(&b, o, "clauses", json_array());
        for (size_t k = 0; cl != NULL && k < f->clauses.n; k++) {
            const struct policy_clause *c =
                policy_clause(l->p, f->clauses.v[k]);
            json_t *co;

            if (c == NULL ||
                (co = jbuild_put(&b, cl, NULL, json_object())) == NULL)
                continue;
            jbuild_str(&b, co, "id", c->id);
            jbuild_str(&b, co, "section", c->section);
            jbuild_str(&b, co, "text", c->text);
        }
    }
    st = b.st;
    if (st == PC_OK)
        st = jbuild_dump(root, out, false);
    json_decref(root);
    return st;
}

bool
pc_policy_lint_format_known(const char *format)
{
    return strcmp(format, "text") == 0 || strcmp(format, "json") == 0;
}

pc_status
pc_policy_lint(const pc_engine *e, const char *format, FILE *out,
               pc_severity *worst, size_t *nfindings, pc_diags *d)
{
    const pc_policy *p = pc_engine_policy(e);
    const struct ruleset *rs = engine_rules(e);
    struct lint l = { p, NULL, 0, 0, PC_OK };
    const struct pc_rule_info **rules = calloc(rs->nrules + 1, sizeof *rules);
    struct render_index x;
    pc_status st;

    *nfindings = 0;
    *worst = PC_SEV_NOTE;
    if (rules == NULL)
        return PC_ENOMEM;
    for (size_t i = 0; i < rs->nrules; i++)
        rules[i] = &rs->rules[i]->info;
    st = render_index_build(&x, p, rules, rs->nrules);
    if (st == PC_OK) {
        lint_purposes(&l);
        lint_elements(&l);
        lint_sharing(&l);
        lint_deadlines(&l);
        lint_clauses(&l, &x);
        st = l.st;
    }
    if (st == PC_OK) {
        qsort(l.v, l.n, sizeof *l.v, lint_cmp);
        for (size_t i = 0; i < l.n; i++)
            if (l.v[i].severity > *worst)
                *worst = l.v[i].severity;
        *nfindings = l.n;
        if (strcmp(format, "json") == 0) {
            st = lint_json(&l, d, out);
        } else {
            lint_text(&l, out);
            st = fflush(out) != 0 || ferror(out) ? PC_EIO : PC_OK;
        }
    }
    for (size_t i = 0; i < l.n; i++) {
        free(l.v[i].message);
        strv_free(&l.v[i].clauses);
    }
    free(l.v);
    render_index_free(&x);
    free(rules);
    return st;
}
