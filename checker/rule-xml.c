/* rule-xml.c - reading rules/NAME.rules.xml: schema-checked, then compiled
 * against the policy (every cited clause must exist) and the manifest
 * schema (every element and attribute a rule names must exist), with
 * every problem reported at its file:line and rule id. */
#include "config.h"

#include "rule.h"

#include "classify.h"
#include "diag.h"
#include "manifest.h"
#include "eval.h"
#include "nearest.h"
#include "map.h"
#include "pattern.h"
#include "policy.h"
#include "strbuf.h"
#include "xml.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define RULES_NS "urn:privcheck:rules:1"
#define RULES_SUFFIX ".rules.xml"

static void rule_cond_free(struct cond *c);

static void
rule_cond_free(struct cond *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->nkids; i++)
        rule_cond_free(c->kids[i]);
    free(c->kids);
    rulec_expr_free(c->a);
    rulec_expr_free(c->b);
    pattern_free(c->re);
    free(c);
}

static void
rule_check_free(struct check *k)
{
    free(k->id);
    free(k->over);
    free(k->at);
    for (size_t i = 0; i < k->neach; i++) {
        free(k->each[i].var);
        rulec_expr_free(k->each[i].in);
    }
    free(k->each);
    rule_cond_free(k->when);
    rulec_tpl_free(&k->message);
    strv_free(&k->kinds);
    free((char *)k->message_src);
}

static void
rule_free(struct rule *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; i < r->nchecks; i++)
        rule_check_free(&r->checks[i]);
    free(r->checks);
    free(r->clauses);
    strv_free(&r->clause_ids);
    strv_free(&r->subjects);
    free(r->subjects_text);
    free(r->id);
    free(r->title);
    free(r->fix);
    free(r->file);
    free(r->over);
    free(r);
}

void
rules_free(struct ruleset *rs)
{
    if (rs == NULL)
        return;
    for (size_t i = 0; i < rs->nrules; i++)
        rule_free(rs->rules[i]);
    free(rs->rules);
    for (size_t i = 0; i < rs->nlists; i++) {
        free(rs->lists[i]->v);
        free(rs->lists[i]);
    }
    free(rs->lists);
    map_free(rs->by_id);
    map_free(rs->by_over);
    strv_free(&rs->wanted_values);
    free(rs->listing);
    free(rs);
}

/* What the ids in an expression's value name: a kind of policy id (as
 * struct func's `result`), and the fixed words the manifest format also
 * allows beside them ("*"). */
struct names {
    const char *kind; /* NULL: not policy ids */
    const struct strv *words;
    /* The only values the manifest schema allows there (a closed set,
     * such as a pack extension's enumeration); NULL: open. */
    const struct strv *closed;
};

#define RLOAD_MAX_VARS 8

/* Everything one file's compilation needs. */
struct rload {
    const pc_policy *policy;
    const struct schema_attrs *sa;
    const struct classify_set *cs; /* NULL: not loaded */
    pc_diags *d;
    xmlDoc *doc;
    const char *owner; /* rule id, for messages */
    unsigned errors;
    /* The variables of the check being read, and what each holds. */
    const struct strv *vars;
    struct names var_names[RLOAD_MAX_VARS];
};

static pc_status rload_fail(struct rload *L, const xmlNode *n, const char *fmt,
                            ...) PC_PRINTF(3, 4);

/* Record a compile error at n, prefixed with the rule's id. */
static pc_status
rload_fail(struct rload *L, const xmlNode *n, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    L->errors++;
    return diag_fail(L->d, PC_EINVALID, xml_loc(L->d, L->doc, n), "rule %s: %s",
                     L->owner != NULL ? L->owner : "?", msg);
}

/* ------------------------------------------------------------------ */
/* Literals: a rule that compares with, or passes, a policy id or a
 * duration that does not exist would load and never fire. Each literal
 * is checked against what it meets: the vocabulary of the policy that the
 * other operand, or the function's argument, names. */

static struct names rule_names_of(const struct rload *L, const struct expr *e);

/* The kind of id attribute `attr` of the manifest element named by the
 * literal `kind` holds (values('flow', 'purpose') holds purposes). */
static struct names
rule_names_attr(const struct rload *L, const struct expr *kind,
                const struct expr *attr)
{
    struct names n = { NULL, NULL, NULL };

    if (kind->kind == EXPR_LIT && attr->kind == EXPR_LIT) {
        n.kind = schema_attrs_names(L->sa, kind->text, attr->text, &n.words);
        n.closed = schema_attrs_values(L->sa, kind->text, attr->text);
    }
    return n;
}

static struct names
rule_names_of(const struct rload *L, const struct expr *e)
{
    struct names none = { NULL, NULL, NULL };
    const char *fn;

    switch (e->kind) {
    case EXPR_LIT:
        return none;
    case EXPR_PATH:
        if (e->attr == NULL)
            return none;
        if (e->derived != DERIVED_NONE) {
            struct names n = { eval_derived_names(e->derived), NULL, NULL };
            return n;
        } else {
            struct names n = { NULL, NULL, NULL };

            n.kind = schema_attrs_names(L->sa, e->text, e->attr, &n.words);
            n.closed = schema_attrs_values(L->sa, e->text, e->attr);
            return n;
        }
    case EXPR_VAR:
        for (size_t i = 0; L->vars != NULL && i < L->vars->n; i++)
            if (i < RLOAD_MAX_VARS && strcmp(L->vars->v[i], e->text) == 0)
                return L->var_names[i];
        return none;
    case EXPR_CALL:
        break;
    }
    fn = e->fn->name;
    if (strcmp(fn, "values") == 0 && e->nargs == 2)
        return rule_names_attr(L, e->args[0], e->args[1]);
    if (strcmp(fn, "attr") == 0 && e->nargs == 3)
        return rule_names_attr(L, e->args[0], e->args[2]);
    if (strcmp(fn, "attr-where") == 0 && e->nargs == 4)
        return rule_names_attr(L, e->args[0], e->args[3]);
    if (e->fn->result == NULL)
        return none;
    if (strcmp(e->fn->result, "=") == 0) {
        for (size_t i = 0; i < e->nargs; i++) {
            struct names n = rule_names_of(L, e->args[i]);

            if (n.kind != NULL)
                return n;
        }
        return none;
    }
    {
        struct names n = { e->fn->result, NULL, NULL };
        return n;
    }
}

/* The vocabulary of one kind of policy id. Data ids also take what the
 * classifiers can name outside the policy (location.precise) and its
 * category part (location), which rules rightly name too. */
static pc_status
rule_vocabulary(struct rload *L, const xmlNode *n, const char *kind,
                struct strv *out)
{
    pc_status st = policy_names(L->policy, kind, out);

    if (st == PC_EINVALID)
        return rload_fail(L, n,
                          "the manifest schema says a value is a '%s' id, "
                          "which the policy format does not have",
                          kind);
    if (st != PC_OK || strcmp(kind, "data") != 0 || L->cs == NULL)
        return st;
    for (size_t i = 0; i < classify_count(L->cs) && st == PC_OK; i++) {
        const char *el = classify_get(L->cs, i)->element;
        const char *dot = el != NULL ? strchr(el, '.') : NULL;

        if (el == NULL)
            continue;
        st = strv_add_unique(out, el);
        if (st == PC_OK && dot != NULL) {
            char *cat = strndup(el, (size_t)(dot - el));

            st = cat == NULL ? PC_ENOMEM : strv_add_unique(out, cat);
            free(cat);
        }
    }
    return st;
}

/* A literal item that starts like an ISO 8601 duration (P and a digit,
 * PT and a digit) must be one: 'P1Month' is not, and a comparison with
 * it would be false forever. */
static bool
rule_looks_duration(const char *s)
{
    return s[0] == 'P' && ((s[1] >= '0' && s[1] <= '9') ||
                           (s[1] == 'T' && s[2] >= '0' && s[2] <= '9'));
}

static pc_status
rule_literal_check(struct rload *L, const xmlNode *n, const struct expr *e,
                   struct names want, bool ordered)
{
    struct strv vocab = STRV_INIT;
    pc_status st = PC_OK;
    double x;

    for (size_t i = 0; i < e->items.n; i++) {
        const char *item = e->items.v[i];

        if (rule_looks_duration(item) && !eval_duration(item, &x)) {
            st = rload_fail(L, n,
                            "'%s' is not an ISO 8601 duration "
                            "(PnYnMnWnDTnHnMnS: P1M is a month, PT1M a "
                            "minute)",
                            item);
            goto out;
        }
        if (ordered && !eval_number(item, &x) && !eval_duration(item, &x)) {
            st = rload_fail(L, n,
                            "'%s' is neither a number nor an ISO 8601 "
                            "duration: the comparison could never be true",
                            item);
            goto out;
        }
    }
    /* A closed set of the manifest format: a value outside it could
     * never be there. */
    for (size_t i = 0; want.closed != NULL && i < e->items.n; i++) {
        const char *item = e->items.v[i], *best;

        if (strv_has(want.closed, item))
            continue;
        best = nearest_pick(item, (const char *const *)want.closed->v,
                            want.closed->n);
        st = rload_fail(L, n,
                        "'%s' is not a value the manifest schema allows "
                        "there%s%s%s",
                        item, best != NULL ? "; did you mean '" : "",
                        best != NULL ? best : "", best != NULL ? "'?" : "");
    }
    if (st != PC_OK || want.kind == NULL)
        goto out;
    if ((st = rule_vocabulary(L, n, want.kind, &vocab)) != PC_OK)
        goto out;
    for (size_t i = 0; i < e->items.n; i++) {
        const char *item = e->items.v[i], *best;

        if (strv_has(&vocab, item) ||
            (want.words != NULL && strv_has(want.words, item)) ||
            eval_number(item, &x))
            continue;
        best = nearest_pick(item, (const char *const *)vocab.v, vocab.n);
        if (best != NULL)
            st = rload_fail(L, n,
                            "'%s' is not a %s id of the policy; did you mean "
                            "'%s'?",
                            item, want.kind, best);
        else
            st = rload_fail(L, n, "'%s' is not a %s id of the policy", item,
                            want.kind);
    }
out:
    strv_free(&vocab);
    return st;
}

/* fact('kind', id, 'name') must name a fact the policy states on some
 * element of that kind, or it would be empty for ever. */
static pc_status
rule_fact_names(struct rload *L, const xmlNode *n, const struct expr *e)
{
    const struct expr *k = e->args[0], *name = e->args[2];
    const pc_policy *p = L->policy;
    struct strv names = STRV_INIT;
    const char *best;
    size_t klen;
    pc_status st;

    if (k->kind != EXPR_LIT || name->kind != EXPR_LIT)
        return PC_OK;
    if (policy_has_fact(p, k->text, name->text))
        return PC_OK;
    /* The names stated on that kind, for the suggestion. */
    klen = strlen(k->text);
    for (size_t i = 0; i < p->fact_kinds.n; i++)
        if (strncmp(p->fact_kinds.v[i], k->text, klen) == 0 &&
            p->fact_kinds.v[i][klen] == ' ' &&
            (st = strv_push(&names, p->fact_kinds.v[i] + klen + 1)) != PC_OK) {
            strv_free(&names);
            return st;
        }
    best = nearest_pick(name->text, (const char *const *)names.v, names.n);
    if (best != NULL)
        st = rload_fail(L, n,
                        "the policy states no fact '%s' on a <%s>; did you "
                        "mean '%s'?",
                        name->text, k->text, best);
    else
        st = rload_fail(L, n, "the policy states no fact '%s' on a <%s>",
                        name->text, k->text);
    strv_free(&names);
    return st;
}

/* Check every literal in e: against `want` where e is one, against the
 * argument kinds of the functions it calls inside. `ordered`: e is an
 * operand of lt/le/gt/ge. Every mistake is reported. */
static pc_status
rule_literals(struct rload *L, const xmlNode *n, const struct expr *e,
              struct names want, bool ordered)
{
    struct names none = { NULL, NULL, NULL };
    pc_status st = PC_OK, s2;

    if (e == NULL)
        return PC_OK;
    if (e->kind == EXPR_LIT)
        return rule_literal_check(L, n, e, want, ordered);
    if (e->kind != EXPR_CALL)
        return PC_OK;
    if (strcmp(e->fn->name, "fact") == 0 && e->nargs == 3 &&
        (st = rule_fact_names(L, n, e)) != PC_OK)
        return st;
    for (size_t i = 0; i < e->nargs; i++) {
        struct names an = none;

        if (e->fn->result != NULL && strcmp(e->fn->result, "=") == 0) {
            an = want.kind != NULL ? want : rule_names_of(L, e);
        } else if ((strcmp(e->fn->name, "ids-where") == 0 ||
                    strcmp(e->fn->name, "attr-where") == 0) &&
                   i == 2) {
            an = rule_names_attr(L, e->args[0], e->args[1]);
        } else {
            an.kind = func_arg_kind(e->fn, i);
        }
        if ((s2 = rule_literals(L, n, e->args[i], an, false)) != PC_OK)
            st = s2;
    }
    return st;
}

static const struct {
    const char *name;
    enum cond_kind kind;
    bool binary; /* has b= */
} cond_ops[] = {
    { "all", COND_ALL, false },
    { "any", COND_ANY, false },
    { "not", COND_NOT, false },
    { "eq", COND_EQ, true },
    { "ne", COND_NE, true },
    { "in", COND_IN, true },
    { "intersects", COND_INTERSECTS, true },
    { "matches", COND_MATCHES, false },
    { "lt", COND_LT, true },
    { "le", COND_LE, true },
    { "gt", COND_GT, true },
    { "ge", COND_GE, true },
    { "exists", COND_EXISTS, false },
};

static pc_status rule_cond(struct rload *L, const xmlNode *n,
                           const struct strv *vars, struct cond **out);

static pc_status
rule_operand(struct rload *L, const xmlNode *n, const char *attr,
             const struct strv *vars, struct expr **out)
{
    char *src = xml_attr(n, attr);
    pc_status st;

    if (src == NULL)
        return rload_fail(L, n, "<%s> needs attribute %s",
                          (const char *)n->name, attr);
    st = rulec_expr(src, xml_loc(L->d, L->doc, n), L->owner, L->sa, vars, L->d,
                    out);
    if (st != PC_OK)
        L->errors++;
    free(src);
    return st;
}

static pc_status
rule_cond(struct rload *L, const xmlNode *n, const struct strv *vars,
          struct cond **out)
{
    struct cond *c;
    pc_status st = PC_OK;
    size_t op;

    for (op = 0; op < sizeof cond_ops / sizeof cond_ops[0]; op++)
        if (xml_is(n, RULES_NS, cond_ops[op].name))
            break;
    if (op == sizeof cond_ops / sizeof cond_ops[0])
        return rload_fail(L, n, "unknown operator <%s>", (const char *)n->name);
    if ((c = calloc(1, sizeof *c)) == NULL)
        return PC_ENOMEM;
    c->kind = cond_ops[op].kind;
    c->line = xml_loc(L->d, L->doc, n).line;
    if (c->kind == COND_ALL || c->kind == COND_ANY || c->kind == COND_NOT) {
        for (const xmlNode *k = n->children; k != NULL; k = k->next) {
            struct cond **v;

            if (k->type != XML_ELEMENT_NODE)
                continue;
            if ((v = realloc(c->kids, (c->nkids + 1) * sizeof *v)) == NULL) {
                st = PC_ENOMEM;
                goto out;
            }
            c->kids = v;
            if ((st = rule_cond(L, k, vars, &c->kids[c->nkids])) != PC_OK)
                goto out;
            c->nkids++;
        }
        if (c->nkids == 0 || (c->kind == COND_NOT && c->nkids != 1))
            st = rload_fail(
                L, n, "<%s> needs %s condition", (const char *)n->name,
                c->kind == COND_NOT ? "exactly one" : "at least one");
        goto out;
    }
    if ((st = rule_operand(L, n, "a", vars, &c->a)) != PC_OK)
        goto out;
    if (cond_ops[op].binary &&
        (st = rule_operand(L, n, "b", vars, &c->b)) != PC_OK)
        goto out;
    {
        /* A literal is checked against what the other side names. */
        bool ordered = c->kind == COND_LT || c->kind == COND_LE ||
                       c->kind == COND_GT || c->kind == COND_GE;
        struct names na = { NULL, NULL, NULL }, nb = { NULL, NULL, NULL };
        pc_status s2;

        /* An order compares numbers and durations, not ids. */
        if (!ordered) {
            na = rule_names_of(L, c->a);
            if (c->b != NULL)
                nb = rule_names_of(L, c->b);
        }
        st = rule_literals(L, n, c->a, nb, ordered);
        if (c->b != NULL &&
            (s2 = rule_literals(L, n, c->b, na, ordered)) != PC_OK)
            st = s2;
        if (st != PC_OK)
            goto out;
    }
    if (c->kind == COND_MATCHES) {
        char *pat = xml_attr(n, "pattern");
        char *flags = xml_attr(n, "flags");

        if (pat == NULL) {
            st = rload_fail(L, n, "<matches> needs a pattern");
        } else {
            st = pattern_compile(
                pat,
                flags != NULL && strchr(flags, 'i') != NULL ? PATTERN_CASELESS
                                                            : 0,
                xml_loc(L->d, L->doc, n), L->owner, L->d, &c->re);
            if (st != PC_OK)
                L->errors++;
        }
        free(pat);
        free(flags);
    }
out:
    if (st != PC_OK) {
        rule_cond_free(c);
        return st;
    }
    *out = c;
    return PC_OK;
}

static bool
rule_cond_deferred(const struct cond *c)
{
    if (c == NULL)
        return false;
    if (rulec_expr_deferred(c->a) || rulec_expr_deferred(c->b))
        return true;
    for (size_t i = 0; i < c->nkids; i++)
        if (rule_cond_deferred(c->kids[i]))
            return true;
    return false;
}

static pc_status
rule_cond_kinds(const struct cond *c, struct strv *kinds)
{
    pc_status st;

    if (c == NULL)
        return PC_OK;
    if ((st = rulec_expr_kinds(c->a, kinds)) != PC_OK ||
        (st = rulec_expr_kinds(c->b, kinds)) != PC_OK)
        return st;
    for (size_t i = 0; i < c->nkids; i++)
        if ((st = rule_cond_kinds(c->kids[i], kinds)) != PC_OK)
            return st;
    return PC_OK;
}

static pc_status
rule_cond_wanted(const struct cond *c, struct strv *wanted)
{
    pc_status st;

    if (c == NULL)
        return PC_OK;
    if ((st = rulec_expr_wanted(c->a, wanted)) != PC_OK ||
        (st = rulec_expr_wanted(c->b, wanted)) != PC_OK)
        return st;
    for (size_t i = 0; i < c->nkids; i++)
        if ((st = rule_cond_wanted(c->kids[i], wanted)) != PC_OK)
            return st;
    return PC_OK;
}

static const xmlNode *
rule_child(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n->children; c != NULL; c = c->next)
        if (xml_is(c, RULES_NS, name))
            return c;
    return NULL;
}

static pc_status
rule_check(struct rload *L, const xmlNode *n, struct check *k)
{
    struct names none = { NULL, NULL, NULL };
    struct strv vars = STRV_INIT;
    const xmlNode *c;
    char *msg = NULL;
    pc_status st = PC_OK;

    k->line = xml_loc(L->d, L->doc, n).line;
    k->id = xml_attr(n, "id");
    k->over = xml_attr(n, "over");
    k->at = xml_attr(n, "at");
    if (k->over == NULL || !schema_attrs_has_kind(L->sa, k->over)) {
        st = rload_fail(L, n, "over=\"%s\" is not a manifest element",
                        k->over != NULL ? k->over : "");
        goto out;
    }
    if (k->at != NULL && !schema_attrs_has_kind(L->sa, k->at)) {
        st = rload_fail(L, n, "at=\"%s\" is not a manifest element", k->at);
        goto out;
    }
    for (c = n->children; c != NULL; c = c->next) {
        struct each *v;
        char *var;

        if (!xml_is(c, RULES_NS, "each"))
            continue;
        if ((var = xml_attr(c, "var")) == NULL)
            continue; /* the schema requires it */
        if (schema_attrs_has_kind(L->sa, var) || strv_has(&vars, var)) {
            st = rload_fail(L, c,
                            "variable '%s' clashes with an element or "
                            "another variable",
                            var);
            free(var);
            goto out;
        }
        if ((v = realloc(k->each, (k->neach + 1) * sizeof *v)) == NULL) {
            free(var);
            st = PC_ENOMEM;
            goto out;
        }
        k->each = v;
        k->each[k->neach].var = var;
        k->each[k->neach].in = NULL;
        k->neach++;
        /* Each binding may use the ones before it. */
        L->vars = &vars;
        if ((st = rule_operand(L, c, "in", &vars, &k->each[k->neach - 1].in)) !=
                PC_OK ||
            (st = rule_literals(L, c, k->each[k->neach - 1].in, none, false)) !=
                PC_OK)
            goto out;
        if (vars.n < RLOAD_MAX_VARS)
            L->var_names[vars.n] = rule_names_of(L, k->each[k->neach - 1].in);
        if ((st = strv_push(&vars, var)) != PC_OK)
            goto out;
    }
    L->vars = &vars;
    if ((c = rule_child(n, "when")) != NULL) {
        const xmlNode *op = xmlFirstElementChild((xmlNode *)c);

        if (op == NULL) {
            st = rload_fail(L, c, "<when> needs a condition");
            goto out;
        }
        if ((st = rule_cond(L, op, &vars, &k->when)) != PC_OK)
            goto out;
    }
    if ((c = rule_child(n, "message")) == NULL || (msg = xml_text(c)) == NULL) {
        st = rload_fail(L, n, "<check> needs a <message>");
        goto out;
    }
    st = rulec_tpl(msg, xml_loc(L->d, L->doc, c), L->owner, L->sa, &vars, L->d,
                   &k->message);
    if (st != PC_OK) {
        L->errors++;
        goto out;
    }
    k->message_src = msg;
    msg = NULL;
    for (size_t i = 0; i < k->message.nparts && st == PC_OK; i++)
        st = rule_literals(L, c, k->message.parts[i].expr, none, false);
    if (st != PC_OK)
        goto out;
    for (size_t i = 0; i < k->neach; i++)
        k->deferred |= rulec_expr_deferred(k->each[i].in);
    for (size_t i = 0; i < k->message.nparts; i++)
        k->deferred |= rulec_expr_deferred(k->message.parts[i].expr);
    k->deferred |= rule_cond_deferred(k->when);
    for (size_t i = 0; i < k->neach && st == PC_OK; i++)
        st = rulec_expr_kinds(k->each[i].in, &k->kinds);
    for (size_t i = 0; i < k->message.nparts && st == PC_OK; i++)
        st = rulec_expr_kinds(k->message.parts[i].expr, &k->kinds);
    if (st == PC_OK)
        st = rule_cond_kinds(k->when, &k->kinds);
    if (st == PC_OK && k->at != NULL)
        st = strv_add_unique(&k->kinds, k->at);
    /* One document at a time: a check over a waiver sees no manifest. */
    for (size_t i = 0; i < k->kinds.n && st == PC_OK; i++)
        if (schema_attrs_document(L->sa, k->kinds.v[i]) != NULL &&
            strcmp(schema_attrs_document(L->sa, k->kinds.v[i]),
                   schema_attrs_document(L->sa, k->over)) != 0)
            st = rload_fail(L, n,
                            "a check over <%s> cannot read <%s>: it is in "
                            "another kind of document",
                            k->over, k->kinds.v[i]);
out:
    L->vars = NULL;
    free(msg);
    strv_free(&vars);
    return st;
}

/* subjects="a b": the data subjects whose flows the rule judges. Each must
 * be a value the manifest schema allows (the policy's <subjects>, composed
 * into it), or the rule would silently never fire. */
static pc_status
rule_subjects(struct rload *L, const xmlNode *n, struct rule *r)
{
    char *text = xml_attr(n, "subjects");
    const struct strv *allowed = schema_attrs_values(
        L->sa, MANIFEST_SUBJECT_KIND, MANIFEST_SUBJECT_ATTR);
    pc_status st;

    if (text == NULL)
        return PC_OK;
    if ((st = strv_split(&r->subjects, text)) != PC_OK)
        goto out;
    /* Open: the policy declares no subjects, so no flow has one a rule
     * could name for sure. */
    if (allowed == NULL && r->subjects.n > 0) {
        st = rload_fail(L, n,
                        "subjects: the policy declares no data subjects "
                        "(<subjects>), so no rule can judge by subject");
        goto out;
    }
    for (size_t i = 0; i < r->subjects.n; i++)
        if (allowed != NULL && !strv_has(allowed, r->subjects.v[i])) {
            char *list = strv_join(allowed, ", ");

            st = list == NULL ? PC_ENOMEM
                              : rload_fail(L, n,
                                           "subjects: '%s' is not a data "
                                           "subject the policy declares "
                                           "(%s)",
                                           r->subjects.v[i], list);
            free(list);
            goto out;
        }
    if (r->subjects.n > 0 &&
        (r->subjects_text = strv_join(&r->subjects, " ")) == NULL)
        st = PC_ENOMEM;
out:
    free(text);
    return st;
}

/* Do checks a and b bind the same variables, in the same order? Then
 * their findings on one element would have one object path. */
static bool
rule_same_bindings(const struct check *a, const struct check *b)
{
    if (a->neach != b->neach)
        return false;
    for (size_t i = 0; i < a->neach; i++)
        if (strcmp(a->each[i].var, b->each[i].var) != 0)
            return false;
    return true;
}

/* Every finding has its own identity: two checks of one rule that range
 * over the same element with the same bindings must be told apart by
 * their ids (one of them may have none). Reported at the later check. */
static pc_status
rule_distinct_checks(struct rload *L, const xmlNode *n, const struct rule *r)
{
    pc_status st = PC_OK;

    for (size_t j = 1; j < r->nchecks; j++) {
        const struct check *b = &r->checks[j];

        for (size_t i = 0; i < j; i++) {
            const struct check *a = &r->checks[i];

            if (strcmp(a->over, b->over) != 0 || !rule_same_bindings(a, b))
                continue;
            if ((a->id == NULL && b->id == NULL) ||
                (a->id != NULL && b->id != NULL && strcmp(a->id, b->id) == 0)) {
                st = rload_fail(
                    L, n,
                    "the checks at lines %u and %u both range over <%s> "
                    "with the same bindings and %s: give them distinct id= "
                    "attributes, so that their findings have distinct "
                    "object paths and fingerprints",
                    a->line, b->line, b->over,
                    b->id != NULL ? "the same id" : "no id");
                break;
            }
        }
    }
    return st;
}

static pc_status
rule_parse(struct rload *L, const xmlNode *n, const char *file,
           struct rule **out)
{
    struct rule *r = calloc(1, sizeof *r);
    struct strv kinds = STRV_INIT;
    char *sev = NULL, *clauses = NULL;
    const xmlNode *c;
    pc_status st = PC_OK;

    if (r == NULL)
        return PC_ENOMEM;
    r->line = xml_loc(L->d, L->doc, n).line;
    if ((r->id = xml_attr(n, "id")) == NULL ||
        (r->file = strdup(file)) == NULL) {
        st = PC_ENOMEM;
        goto out;
    }
    L->owner = r->id;
    sev = xml_attr(n, "severity");
    if (sev == NULL || !pc_severity_parse(sev, &r->severity)) {
        st = rload_fail(L, n, "severity must be error, warning or note");
        goto out;
    }
    clauses = xml_attr(n, "clauses");
    if ((st = strv_split(&r->clause_ids, clauses)) != PC_OK)
        goto out;
    if (r->clause_ids.n > 0 &&
        (r->clauses = calloc(r->clause_ids.n, sizeof *r->clauses)) == NULL) {
        st = PC_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < r->clause_ids.n; i++) {
        const struct policy_clause *pc =
            policy_clause(L->policy, r->clause_ids.v[i]);

        if (pc == NULL) {
            st = rload_fail(L, n, "clause '%s' is not in the policy",
                            r->clause_ids.v[i]);
            continue; /* report every missing clause */
        }
        r->clauses[r->nclauses].id = pc->id;
        r->clauses[r->nclauses].section = pc->section;
        r->clauses[r->nclauses].text = pc->text;
        r->nclauses++;
    }
    if (st != PC_OK)
        goto out;
    if ((st = rule_subjects(L, n, r)) != PC_OK)
        goto out;
    if ((c = rule_child(n, "title")) != NULL &&
        (r->title = xml_text(c)) == NULL) {
        st = PC_ENOMEM;
        goto out;
    }
    if ((c = rule_child(n, "fix")) != NULL && (r->fix = xml_text(c)) == NULL) {
        st = PC_ENOMEM;
        goto out;
    }
    for (c = n->children; c != NULL; c = c->next) {
        struct check *v;

        if (!xml_is(c, RULES_NS, "check"))
            continue;
        if ((v = realloc(r->checks, (r->nchecks + 1) * sizeof *v)) == NULL) {
            st = PC_ENOMEM;
            goto out;
        }
        r->checks = v;
        memset(&r->checks[r->nchecks], 0, sizeof *v);
        r->nchecks++;
        /* Keep going after a bad check: report them all. */
        pc_status cs = rule_check(L, c, &r->checks[r->nchecks - 1]);
        if (cs != PC_OK)
            st = cs;
    }
    if (st == PC_OK && r->nchecks == 0)
        st = rload_fail(L, n, "a rule needs at least one <check>");
    if (st == PC_OK)
        st = rule_distinct_checks(L, n, r);
    for (size_t i = 1; i < r->nchecks && st == PC_OK; i++)
        if (strcmp(schema_attrs_document(L->sa, r->checks[i].over),
                   schema_attrs_document(L->sa, r->checks[0].over)) != 0)
            st = rload_fail(L, n,
                            "its checks range over <%s> and <%s>, which are "
                            "in different kinds of document",
                            r->checks[0].over, r->checks[i].over);
    if (st != PC_OK)
        goto out;
    for (size_t i = 0; i < r->nchecks; i++) {
        r->checks[i].rule = r;
        if ((st = strv_add_unique(&kinds, r->checks[i].over)) != PC_OK)
            goto out;
    }
    if ((r->over = strv_join(&kinds, ", ")) == NULL) {
        st = PC_ENOMEM;
        goto out;
    }
    r->info.id = r->id;
    r->info.severity = r->severity;
    r->info.title = r->title;
    r->info.fix = r->fix;
    r->info.message = r->checks[0].message_src;
    r->info.over = r->over;
    r->info.input = schema_attrs_document(L->sa, r->checks[0].over);
    r->info.subjects = r->subjects_text;
    r->info.clauses = r->clauses;
    r->info.nclauses = r->nclauses;
    r->info.file = r->file;
    r->info.line = r->line;
out:
    L->owner = NULL;
    strv_free(&kinds);
    free(sev);
    free(clauses);
    if (st != PC_OK) {
        rule_free(r);
        return st;
    }
    *out = r;
    return PC_OK;
}

static pc_status
ruleset_push(struct ruleset *rs, struct rule *r)
{
    struct rule **v = realloc(rs->rules, (rs->nrules + 1) * sizeof *v);

    if (v == NULL)
        return PC_ENOMEM;
    rs->rules = v;
    rs->rules[rs->nrules++] = r;
    return PC_OK;
}

static pc_status
rules_load_file(struct ruleset *rs, const char *path, const char *schema,
                const pc_policy *policy, const struct schema_attrs *sa,
                const struct classify_set *cs, pc_diags *d,
                struct strbuf *digests)
{
    struct rload L = { .policy = policy, .sa = sa, .cs = cs, .d = d };
    char sha[65];
    pc_status st;

    if ((st = xml_load_data(path, schema, d, &L.doc, sha)) != PC_OK)
        return st;
    /* The file's own name, not where it was read from: the digest of the
     * rules must not depend on the checkout's path. */
    if ((st = strbuf_printf(digests, "%s  %s\n", sha,
                            strrchr(path, '/') != NULL ? strrchr(path, '/') + 1
                                                       : path)) != PC_OK)
        goto out;
    for (const xmlNode *n = xmlDocGetRootElement(L.doc)->children; n != NULL;
         n = n->next) {
        struct rule *r = NULL;
        const struct rule *prior;
        pc_status rs_st;

        if (!xml_is(n, RULES_NS, "rule"))
            continue;
        rs_st = rule_parse(&L, n, path, &r);
        if (rs_st == PC_ENOMEM) {
            st = rs_st;
            goto out;
        }
        if (rs_st != PC_OK)
            continue;
        if ((prior = map_get(rs->by_id, r->id)) != NULL) {
            L.owner = r->id;
            rload_fail(&L, n, "id repeats the rule at %s:%u", prior->file,
                       prior->line);
            L.owner = NULL;
            rule_free(r);
            continue;
        }
        if ((st = ruleset_push(rs, r)) != PC_OK) {
            rule_free(r);
            goto out;
        }
        if ((st = map_put(rs->by_id, r->id, r)) != PC_OK)
            goto out;
    }
    if (L.errors > 0)
        st = PC_EINVALID;
out:
    /* libxml2 or xml_attr short of memory reads as a missing value:
     * what was loaded cannot be trusted either way. */
    st = xml_settle(st);
    xmlFreeDoc(L.doc);
    return st;
}

static int
rules_cmp(const void *a, const void *b)
{
    return strcmp((*(struct rule *const *)a)->id,
                  (*(struct rule *const *)b)->id);
}

static pc_status
rules_index(struct ruleset *rs)
{
    pc_status st;

    qsort(rs->rules, rs->nrules, sizeof *rs->rules, rules_cmp);
    for (size_t i = 0; i < rs->nrules; i++) {
        const struct rule *r = rs->rules[i];

        rs->rules[i]->index = i;

        for (size_t j = 0; j < r->nchecks; j++) {
            const struct check *k = &r->checks[j];
            struct checklist *cl = map_get(rs->by_over, k->over);

            if (cl == NULL) {
                struct checklist **v =
                    realloc(rs->lists, (rs->nlists + 1) * sizeof *v);

                if (v == NULL)
                    return PC_ENOMEM;
                rs->lists = v;
                if ((cl = calloc(1, sizeof *cl)) == NULL)
                    return PC_ENOMEM;
                rs->lists[rs->nlists++] = cl;
                cl->over = k->over;
                if ((st = map_put(rs->by_over, k->over, cl)) != PC_OK)
                    return st;
            }
            if (cl->n == cl->cap) {
                size_t cap = cl->cap ? cl->cap * 2 : 8;
                const struct check **v = realloc(cl->v, cap * sizeof *v);

                if (v == NULL)
                    return PC_ENOMEM;
                cl->v = v;
                cl->cap = cap;
            }
            cl->v[cl->n++] = k;
            for (size_t e = 0; e < k->neach; e++)
                if ((st = rulec_expr_wanted(k->each[e].in,
                                            &rs->wanted_values)) != PC_OK)
                    return st;
            for (size_t m = 0; m < k->message.nparts; m++)
                if ((st = rulec_expr_wanted(k->message.parts[m].expr,
                                            &rs->wanted_values)) != PC_OK)
                    return st;
            if ((st = rule_cond_wanted(k->when, &rs->wanted_values)) != PC_OK)
                return st;
        }
    }
    return PC_OK;
}

pc_status
rules_load(const char *dir, const char *schema, const pc_policy *policy,
           const struct schema_attrs *sa, const struct classify_set *cs,
           pc_diags *d, struct ruleset **out)
{
    struct ruleset *rs = calloc(1, sizeof *rs);
    struct strbuf digests = STRBUF_INIT(0);
    struct strv files = STRV_INIT;
    pc_status st = PC_OK;
    struct dirent *e;
    DIR *dp;

    if (rs == NULL)
        return PC_ENOMEM;
    if ((rs->by_id = map_new()) == NULL || (rs->by_over = map_new()) == NULL) {
        st = PC_ENOMEM;
        goto out;
    }
    if ((dp = opendir(dir)) == NULL) {
        st = errno == ENOMEM ? PC_ENOMEM
                             : diag_fail(d, PC_EIO, diag_loc(d, dir, 0, 0),
                                         "cannot read the rules directory");
        goto out;
    }
    while ((e = readdir(dp)) != NULL) {
        size_t n = strlen(e->d_name), k = strlen(RULES_SUFFIX);
        struct strbuf path = STRBUF_INIT(0);

        if (n <= k || strcmp(e->d_name + n - k, RULES_SUFFIX) != 0)
            continue;
        if (strbuf_printf(&path, "%s/%s", dir, e->d_name) != PC_OK ||
            strv_push(&files, strbuf_str(&path)) != PC_OK) {
            strbuf_free(&path);
            st = PC_ENOMEM;
            break;
        }
        strbuf_free(&path);
    }
    closedir(dp);
    if (st != PC_OK)
        goto out;
    if (files.n == 0) {
        st = diag_fail(d, PC_EINVALID, diag_loc(d, dir, 0, 0),
                       "no *%s files: an audit with no rules proves nothing",
                       RULES_SUFFIX);
        goto out;
    }
    strv_sort(&files);
    /* Load every file even after a failure, to report every problem. */
    for (size_t i = 0; i < files.n; i++) {
        pc_status fs = rules_load_file(rs, files.v[i], schema, policy, sa, cs,
                                       d, &digests);
        if (fs == PC_ENOMEM) {
            st = fs;
            goto out;
        }
        if (fs != PC_OK)
            st = fs;
    }
    if (st != PC_OK)
        goto out;
    if ((st = rules_index(rs)) != PC_OK)
        goto out;
    if ((rs->listing = strbuf_detach(&digests)) == NULL) {
        st = PC_ENOMEM;
        goto out;
    }
    *out = rs;
    rs = NULL;
out:
    strbuf_free(&digests);
    strv_free(&files);
    rules_free(rs);
    return st;
}

pc_status
rules_check_file(const char *path, const char *schema, const pc_policy *policy,
                 const struct schema_attrs *sa, const struct classify_set *cs,
                 pc_diags *d)
{
    struct ruleset *rs = calloc(1, sizeof *rs);
    struct strbuf digests = STRBUF_INIT(0);
    pc_status st;

    if (rs == NULL)
        return PC_ENOMEM;
    if ((rs->by_id = map_new()) == NULL) {
        rules_free(rs);
        return PC_ENOMEM;
    }
    st = rules_load_file(rs, path, schema, policy, sa, cs, d, &digests);
    strbuf_free(&digests);
    rules_free(rs);
    return st;
}
