/* rulec.c - the rule compiler's front end: expressions and message
 * templates from their text form into trees, with every name checked at
 * load time (functions and their arity, variables, manifest elements and
 * attributes) so that a typo in a rule fails the load, not an audit.
 *
 *   expr := 'literal' | number | name | name '(' [expr {',' expr}] ')'
 *   name := letter {letter | digit | '_' | '-' | '.'}
 */
#include "config.h"

#include "rule.h"

#include "diag.h"
#include "eval.h"
#include "strbuf.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define RULEC_MAX_DEPTH 32
#define RULEC_MAX_ARGS 8

struct parser {
    const char *src, *p;
    struct pc_loc loc;
    const char *owner;
    const struct schema_attrs *sa;
    const struct strv *vars;
    pc_diags *d;
    unsigned depth;
};

static pc_status
rulec_error(struct parser *ps, const char *what)
{
    return diag_fail(ps->d, PC_EINVALID, ps->loc,
                     "rule %s: %s in expression \"%s\" at offset %zu",
                     ps->owner, what, ps->src, (size_t)(ps->p - ps->src));
}

static void
rulec_skip_space(struct parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
        ps->p++;
}

void
rulec_expr_free(struct expr *e)
{
    if (e == NULL)
        return;
    free(e->text);
    free(e->attr);
    strv_free(&e->items);
    for (size_t i = 0; i < e->nargs; i++)
        rulec_expr_free(e->args[i]);
    free(e->args);
    free(e);
}

pc_status
rulec_expr_print(const struct expr *e, struct strbuf *b)
{
    pc_status st = PC_OK;

    switch (e->kind) {
    case EXPR_LIT:
        if (e->items.n == 1 && eval_number(e->text, &(double){ 0 }))
            return strbuf_puts(b, e->text);
        if ((st = strbuf_putc(b, '\'')) != PC_OK)
            return st;
        for (const char *p = e->text; *p != '\0' && st == PC_OK; p++)
            st = *p == '\'' ? strbuf_puts(b, "''") : strbuf_putc(b, *p);
        return st != PC_OK ? st : strbuf_putc(b, '\'');
    case EXPR_PATH:
        return e->attr != NULL ? strbuf_printf(b, "%s.%s", e->text, e->attr)
                               : strbuf_puts(b, e->text);
    case EXPR_VAR:
        return strbuf_puts(b, e->text);
    case EXPR_CALL:
        break;
    }
    if ((st = strbuf_puts(b, e->fn->name)) != PC_OK || e->fn->min_args == 0)
        return st;
    st = strbuf_putc(b, '(');
    for (size_t i = 0; i < e->nargs && st == PC_OK; i++)
        if ((i == 0 || (st = strbuf_puts(b, ", ")) == PC_OK))
            st = rulec_expr_print(e->args[i], b);
    return st != PC_OK ? st : strbuf_putc(b, ')');
}

static bool
rulec_name_char(char c, bool first)
{
    /* ':' for a pack's extension attribute, prefix:local. */
    return isalpha((unsigned char)c) || c == '_' ||
           (!first &&
            (isdigit((unsigned char)c) || c == '-' || c == '.' || c == ':'));
}

static pc_status rulec_parse(struct parser *ps, struct expr **out);

static pc_status
rulec_literal(struct parser *ps, struct expr *e)
{
    struct strbuf b = STRBUF_INIT(1 << 16);
    pc_status st = PC_OK;

    ps->p++; /* opening quote */
    for (;;) {
        if (*ps->p == '\0') {
            st = rulec_error(ps, "unterminated string");
            goto out;
        }
        if (*ps->p == '\'') {
            if (ps->p[1] != '\'')
                break;
            ps->p++; /* '' is a quote */
        }
        if ((st = strbuf_putc(&b, *ps->p)) != PC_OK)
            goto out;
        ps->p++;
    }
    ps->p++;
    e->kind = EXPR_LIT;
    if ((e->text = strbuf_detach(&b)) == NULL)
        return PC_ENOMEM;
    return strv_split(&e->items, e->text);
out:
    strbuf_free(&b);
    return st;
}

static pc_status
rulec_number(struct parser *ps, struct expr *e)
{
    const char *start = ps->p;

    while (isdigit((unsigned char)*ps->p))
        ps->p++;
    if (*ps->p == '.') {
        ps->p++;
        if (!isdigit((unsigned char)*ps->p))
            return rulec_error(ps, "a number needs digits after its point");
        while (isdigit((unsigned char)*ps->p))
            ps->p++;
    }
    if (*ps->p == '.' || rulec_name_char(*ps->p, false))
        return rulec_error(ps, "malformed number");
    e->kind = EXPR_LIT;
    if ((e->text = strndup(start, (size_t)(ps->p - start))) == NULL)
        return PC_ENOMEM;
    return strv_push(&e->items, e->text);
}

/* Functions whose quoted arguments name a manifest element and one of its
 * attributes: checked here, or a typo would make them empty forever. */
static const struct {
    const char *fn;
    int kind_arg, attr_arg; /* -1: none */
} name_args[] = {
    { "ids", 0, -1 },
    { "values", 0, 1 },
    { "attr", 0, 2 },
    { "ids-where", 0, 1 },
};

static pc_status
rulec_check_names(struct parser *ps, const struct func *fn,
                  struct expr *const *args, size_t n)
{
    char what[256];

    for (size_t i = 0; i < sizeof name_args / sizeof name_args[0]; i++) {
        const struct expr *k, *a;

        if (strcmp(name_args[i].fn, fn->name) != 0)
            continue;
        k = (size_t)name_args[i].kind_arg < n ? args[name_args[i].kind_arg]
                                              : NULL;
        a = name_args[i].attr_arg >= 0 && (size_t)name_args[i].attr_arg < n
                ? args[name_args[i].attr_arg]
                : NULL;
        if (k == NULL || k->kind != EXPR_LIT)
            return PC_OK;
        if (!schema_attrs_has_kind(ps->sa, k->text)) {
            snprintf(what, sizeof what, "unknown manifest element '%.100s'",
                     k->text);
            return rulec_error(ps, what);
        }
        if (a != NULL && a->kind == EXPR_LIT &&
            !schema_attrs_has(ps->sa, k->text, a->text) &&
            eval_derived_attr(k->text, a->text) == DERIVED_NONE) {
            snprintf(what, sizeof what, "<%.80s> has no attribute '%.80s'",
                     k->text, a->text);
            return rulec_error(ps, what);
        }
    }
    return PC_OK;
}

static pc_status
rulec_call(struct parser *ps, struct expr *e, const struct func *fn)
{
    struct expr *args[RULEC_MAX_ARGS];
    size_t n = 0;
    pc_status st = PC_OK;

    ps->p++; /* ( */
    rulec_skip_space(ps);
    if (*ps->p != ')') {
        for (;;) {
            if (n == RULEC_MAX_ARGS) {
                st = rulec_error(ps, "too many arguments");
                goto fail;
            }
            if ((st = rulec_parse(ps, &args[n])) != PC_OK)
                goto fail;
            n++;
            rulec_skip_space(ps);
            if (*ps->p == ',') {
                ps->p++;
                continue;
            }
            if (*ps->p == ')')
                break;
            st = rulec_error(ps, "expected ',' or ')'");
            goto fail;
        }
    }
    ps->p++; /* ) */
    if (n < fn->min_args || n > fn->max_args) {
        char what[128];

        if (fn->min_args == fn->max_args)
            snprintf(what, sizeof what, "%s takes %u argument%s, not %zu",
                     fn->name, fn->min_args, fn->min_args == 1 ? "" : "s", n);
        else
            snprintf(what, sizeof what, "%s takes %u to %u arguments, not %zu",
                     fn->name, fn->min_args, fn->max_args, n);
        st = rulec_error(ps, what);
        goto fail;
    }
    if (fn->flags & FUNC_LITERAL_ARGS)
        for (size_t i = 0; i < n; i++)
            if (args[i]->kind != EXPR_LIT) {
                char what[128];

                snprintf(what, sizeof what, "%s takes only 'quoted' arguments",
                         fn->name);
                st = rulec_error(ps, what);
                goto fail;
            }
    if ((st = rulec_check_names(ps, fn, args, n)) != PC_OK)
        goto fail;
    e->kind = EXPR_CALL;
    e->fn = fn;
    if (n > 0) {
        if ((e->args = calloc(n, sizeof *e->args)) == NULL) {
            st = PC_ENOMEM;
            goto fail;
        }
        memcpy(e->args, args, n * sizeof *args);
        e->nargs = n;
    }
    return PC_OK;
fail:
    while (n > 0)
        rulec_expr_free(args[--n]);
    return st;
}

/* A bare name: a constant function, a variable, kind.attribute, or a kind
 * (which is "true" when such an element is in scope). */
static pc_status
rulec_name(struct parser *ps, struct expr *e, const char *name)
{
    const struct func *fn = func_find(name);
    const char *dot = strchr(name, '.');
    char what[256];

    if (fn != NULL && fn->min_args == 0) {
        e->kind = EXPR_CALL;
        e->fn = fn;
        return PC_OK;
    }
    if (fn != NULL) {
        snprintf(what, sizeof what, "function %s needs arguments", name);
        return rulec_error(ps, what);
    }
    if (dot == NULL && ps->vars != NULL && strv_has(ps->vars, name)) {
        e->kind = EXPR_VAR;
        return (e->text = strdup(name)) != NULL ? PC_OK : PC_ENOMEM;
    }
    e->kind = EXPR_PATH;
    e->text = dot != NULL ? strndup(name, (size_t)(dot - name)) : strdup(name);
    if (e->text == NULL || (dot != NULL && (e->attr = strdup(dot + 1)) == NULL))
        return PC_ENOMEM;
    if (!schema_attrs_has_kind(ps->sa, e->text)) {
        snprintf(what, sizeof what,
                 "unknown name '%s' (not a function, variable or manifest "
                 "element)",
                 name);
        return rulec_error(ps, what);
    }
    if (e->attr != NULL)
        e->derived = (int)eval_derived_attr(e->text, e->attr);
    if (e->attr != NULL && e->derived == DERIVED_NONE &&
        !schema_attrs_has(ps->sa, e->text, e->attr)) {
        snprintf(what, sizeof what, "<%s> has no attribute '%s'", e->text,
                 e->attr);
        return rulec_error(ps, what);
    }
    return PC_OK;
}

static pc_status
rulec_parse(struct parser *ps, struct expr **out)
{
    struct expr *e;
    pc_status st;

    if (++ps->depth > RULEC_MAX_DEPTH)
        return rulec_error(ps, "expression nested too deeply");
    if ((e = calloc(1, sizeof *e)) == NULL)
        return PC_ENOMEM;
    rulec_skip_space(ps);
    if (*ps->p == '\'') {
        st = rulec_literal(ps, e);
    } else if (isdigit((unsigned char)*ps->p)) {
        st = rulec_number(ps, e);
    } else if (rulec_name_char(*ps->p, true)) {
        const char *start = ps->p;
        char *name;

        while (rulec_name_char(*ps->p, false))
            ps->p++;
        if ((name = strndup(start, (size_t)(ps->p - start))) == NULL) {
            st = PC_ENOMEM;
        } else {
            rulec_skip_space(ps);
            if (*ps->p == '(') {
                const struct func *fn = func_find(name);

                if (fn == NULL) {
                    char what[160];

                    snprintf(what, sizeof what, "unknown function '%.100s'",
                             name);
                    st = rulec_error(ps, what);
                } else {
                    st = rulec_call(ps, e, fn);
                }
            } else {
                st = rulec_name(ps, e, name);
            }
            free(name);
        }
    } else {
        st = rulec_error(ps, *ps->p == '\0' ? "unexpected end"
                                            : "unexpected character");
    }
    ps->depth--;
    if (st != PC_OK) {
        rulec_expr_free(e);
        return st;
    }
    *out = e;
    return PC_OK;
}

pc_status
rulec_expr(const char *src, struct pc_loc loc, const char *owner,
           const struct schema_attrs *sa, const struct strv *vars, pc_diags *d,
           struct expr **out)
{
    struct parser ps = { src, src, loc, owner, sa, vars, d, 0 };
    struct expr *e;
    pc_status st;

    if ((st = rulec_parse(&ps, &e)) != PC_OK)
        return st;
    rulec_skip_space(&ps);
    if (*ps.p != '\0') {
        rulec_expr_free(e);
        return rulec_error(&ps, "unexpected text after the expression");
    }
    *out = e;
    return PC_OK;
}

void
rulec_tpl_free(struct tpl *t)
{
    for (size_t i = 0; i < t->nparts; i++) {
        free(t->parts[i].text);
        rulec_expr_free(t->parts[i].expr);
    }
    free(t->parts);
    t->parts = NULL;
    t->nparts = 0;
}

static pc_status
rulec_tpl_push(struct tpl *t, char *text, struct expr *e)
{
    struct tpl_part *v = realloc(t->parts, (t->nparts + 1) * sizeof *v);

    if (v == NULL) {
        free(text);
        rulec_expr_free(e);
        return PC_ENOMEM;
    }
    t->parts = v;
    t->parts[t->nparts].text = text;
    t->parts[t->nparts].expr = e;
    t->nparts++;
    return PC_OK;
}

pc_status
rulec_tpl(const char *src, struct pc_loc loc, const char *owner,
          const struct schema_attrs *sa, const struct strv *vars, pc_diags *d,
          struct tpl *out)
{
    struct tpl t = { NULL, 0 };
    const char *p = src;
    pc_status st = PC_OK;

    while (*p != '\0') {
        const char *open = strchr(p, '{'), *close;
        char *inner;
        struct expr *e;

        if (open == NULL) {
            char *text = strdup(p);

            if (text == NULL ||
                (st = rulec_tpl_push(&t, text, NULL)) != PC_OK) {
                st = PC_ENOMEM;
                goto fail;
            }
            break;
        }
        if (open > p) {
            char *text = strndup(p, (size_t)(open - p));

            if (text == NULL ||
                (st = rulec_tpl_push(&t, text, NULL)) != PC_OK) {
                st = PC_ENOMEM;
                goto fail;
            }
        }
        if ((close = strchr(open, '}')) == NULL) {
            st = diag_fail(d, PC_EINVALID, loc,
                           "rule %s: unclosed '{' in message \"%s\"", owner,
                           src);
            goto fail;
        }
        if ((inner = strndup(open + 1, (size_t)(close - open - 1))) == NULL) {
            st = PC_ENOMEM;
            goto fail;
        }
        st = rulec_expr(inner, loc, owner, sa, vars, d, &e);
        free(inner);
        if (st != PC_OK || (st = rulec_tpl_push(&t, NULL, e)) != PC_OK)
            goto fail;
        p = close + 1;
    }
    *out = t;
    return PC_OK;
fail:
    rulec_tpl_free(&t);
    return st;
}

pc_status
rulec_expr_kinds(const struct expr *e, struct strv *kinds)
{
    pc_status st;

    if (e == NULL)
        return PC_OK;
    if (e->kind == EXPR_PATH)
        return strv_add_unique(kinds, e->text);
    if (e->kind == EXPR_CALL)
        for (size_t i = 0; i < sizeof name_args / sizeof name_args[0]; i++)
            if (strcmp(name_args[i].fn, e->fn->name) == 0 && e->nargs > 0 &&
                e->args[0]->kind == EXPR_LIT &&
                (st = strv_add_unique(kinds, e->args[0]->text)) != PC_OK)
                return st;
    for (size_t i = 0; i < e->nargs; i++)
        if ((st = rulec_expr_kinds(e->args[i], kinds)) != PC_OK)
            return st;
    return PC_OK;
}

bool
rulec_expr_deferred(const struct expr *e)
{
    if (e == NULL)
        return false;
    if (e->kind == EXPR_CALL && (e->fn->flags & FUNC_AGGREGATE))
        return true;
    for (size_t i = 0; i < e->nargs; i++)
        if (rulec_expr_deferred(e->args[i]))
            return true;
    return false;
}

pc_status
rulec_expr_wanted(const struct expr *e, struct strv *wanted)
{
    pc_status st;

    if (e == NULL)
        return PC_OK;
    if (e->kind == EXPR_CALL && strcmp(e->fn->name, "values") == 0 &&
        e->nargs == 2 && e->args[0]->kind == EXPR_LIT &&
        e->args[1]->kind == EXPR_LIT) {
        struct strbuf b = STRBUF_INIT(0);

        if (strbuf_printf(&b, "%s %s", e->args[0]->text, e->args[1]->text) !=
            PC_OK) {
            strbuf_free(&b);
            return PC_ENOMEM;
        }
        st = strv_add_unique(wanted, strbuf_str(&b));
        strbuf_free(&b);
        if (st != PC_OK)
            return st;
    }
    for (size_t i = 0; i < e->nargs; i++)
        if ((st = rulec_expr_wanted(e->args[i], wanted)) != PC_OK)
            return st;
    return PC_OK;
}
