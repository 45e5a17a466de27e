/* ruletest.c - `privcheck rules test`: rule tests as data. Every
 * NAME.tests.xml in tests/ of a rules directory names manifests (and waivers
 * files) and the findings each must and must not produce; the tests run
 * with the loaded engine, whatever the pack, and report each failure with
 * what was expected and what came. With coverage, they also say which
 * rules the tests exercise and which normative clauses are enforced by a
 * rule and exercised by a test, against a threshold compared exactly. */
#include "config.h"

#include "privcheck.h"

#include "diag.h"
#include "eval.h"
#include "nearest.h"
#include "policy.h"
#include "strbuf.h"
#include "strv.h"
#include "xml.h"

#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define RULETESTS_NS "urn:privcheck:ruletests:1"
#define RULETESTS_SUFFIX ".tests.xml"
#define RULETESTS_MAX_FILES 1000
#define RULETESTS_MAX_SHOWN 20 /* findings a failure lists */

/* What the tests showed about one rule. */
struct rt_rule {
    const struct pc_rule_info *info;
    size_t fired;    /* expectations of it that held */
    size_t rejected; /* rejections of it that held */
};

struct rt_run {
    const pc_engine *e;
    pc_diags *d;
    FILE *out;
    struct rt_rule *rules; /* parallel to the engine's rules */
    size_t nrules;
    size_t tests, failed, checks;
};

/* `rel` as named from the directory of `file`, unless it is absolute. */
static pc_status
rt_path(const char *file, const char *rel, struct strbuf *out)
{
    const char *slash = strrchr(file, '/');

    if (rel[0] == '/' || slash == NULL)
        return strbuf_puts(out, rel);
    return strbuf_printf(out, "%.*s/%s", (int)(slash - file), file, rel);
}

static struct rt_rule *
rt_rule(struct rt_run *R, const char *id)
{
    for (size_t i = 0; i < R->nrules; i++)
        if (strcmp(R->rules[i].info->id, id) == 0)
            return &R->rules[i];
    return NULL;
}

/* A rule id a test names must exist, or the test would pass (a reject)
 * or fail (an expect) for nothing. */
static pc_status
rt_known_rule(struct rt_run *R, xmlDoc *doc, const xmlNode *n, const char *id)
{
    const char **ids;
    const char *best;

    if (rt_rule(R, id) != NULL)
        return PC_OK;
    if ((ids = calloc(R->nrules + 1, sizeof *ids)) == NULL)
        return PC_ENOMEM;
    for (size_t i = 0; i < R->nrules; i++)
        ids[i] = R->rules[i].info->id;
    best = nearest_pick(id, ids, R->nrules);
    free(ids);
    if (best != NULL)
        return diag_fail(R->d, PC_EINVALID, xml_loc(R->d, doc, n),
                         "no rule '%s' in the catalog; did you mean '%s'?", id,
                         best);
    return diag_fail(R->d, PC_EINVALID, xml_loc(R->d, doc, n),
                     "no rule '%s' in the catalog", id);
}

/* rule NULL: any rule. */
static bool
rt_matches(const struct pc_finding *f, const char *rule, const char *object,
           unsigned line)
{
    return (rule == NULL || strcmp(f->rule, rule) == 0) &&
           (object == NULL || strcmp(f->object, object) == 0) &&
           (line == 0 || f->line == line);
}

/* The findings a failure is compared with: the rule's, or every one when
 * the rule has none. */
static void
rt_print_actual(FILE *out, const pc_results *r, const char *rule)
{
    size_t n = pc_results_count(r), shown = 0;
    bool any = false;

    for (size_t i = 0; i < n && rule != NULL; i++)
        any |= strcmp(pc_results_get(r, i)->rule, rule) == 0;
    fputs(any ? "    actual:"
              : "    actual: no finding of it; the manifest gives",
          out);
    for (size_t i = 0; i < n; i++) {
        const struct pc_finding *f = pc_results_get(r, i);

        if (any && strcmp(f->rule, rule) != 0)
            continue;
        if (shown == RULETESTS_MAX_SHOWN) {
            fprintf(out, ", and %zu more", n - i);
            break;
        }
        fprintf(out, "%s [%s] ", shown++ ? "," : "", f->rule);
        pc_put_escaped(out, f->object);
        fprintf(out, " (line %u)", f->line);
    }
    if (shown == 0)
        fputs(" nothing", out);
    fputc('\n', out);
}

static void
rt_fail_head(struct rt_run *R, xmlDoc *doc, const xmlNode *n, const char *id,
             const char *manifest)
{
    struct pc_loc loc = xml_loc(R->d, doc, n);

    pc_put_escaped(R->out, loc.file);
    fprintf(R->out, ":%u: FAIL %s (", loc.line, id);
    pc_put_escaped(R->out, manifest);
    fputs("): ", R->out);
}

/* Audit what the test names into r. */
static pc_status
rt_audit(struct rt_run *R, const char *file, const xmlNode *t, const char *root,
         pc_results *r)
{
    struct strbuf m = STRBUF_INIT(0), w = STRBUF_INIT(0);
    char *manifest = xml_attr(t, "manifest"), *waivers = xml_attr(t, "waivers");
    char *today = xml_attr(t, "today");
    struct pc_audit_options ao = { .source_root = root };
    pc_waivers *pw = NULL;
    pc_status st;

    if ((st = rt_path(file, manifest, &m)) != PC_OK)
        goto out;
    if ((st = pc_audit(R->e, strbuf_str(&m), &ao, R->d, r)) != PC_OK)
        goto out;
    if (waivers != NULL) {
        if ((st = rt_path(file, waivers, &w)) != PC_OK)
            goto out;
        if ((pw = pc_waivers_new()) == NULL) {
            st = PC_ENOMEM;
            goto out;
        }
        if ((st = pc_waivers_load(R->e, pw, strbuf_str(&w), R->d)) != PC_OK ||
            (st = pc_waivers_apply(R->e, pw, today, &ao, r, R->d)) != PC_OK)
            goto out;
    }
    pc_results_sort(r);
out:
    pc_waivers_free(pw);
    strbuf_free(&m);
    strbuf_free(&w);
    free(manifest);
    free(waivers);
    free(today);
    return st;
}

static pc_status
rt_test(struct rt_run *R, const char *file, xmlDoc *doc, const xmlNode *t,
        const char *root)
{
    char *id = xml_attr(t, "id"), *manifest = xml_attr(t, "manifest");
    pc_results *r = pc_results_new();
    size_t failures = 0;
    pc_status st = PC_OK;

    if (r == NULL || id == NULL || manifest == NULL) {
        st = PC_ENOMEM;
        goto out;
    }
    for (const xmlNode *c = t->children; c != NULL && st == PC_OK; c = c->next)
        if (c->type == XML_ELEMENT_NODE) {
            char *rule = xml_attr(c, "rule");

            if (rule != NULL) /* the schema lets only a reject omit it */
                st = rt_known_rule(R, doc, c, rule);
            free(rule);
        }
    if (st != PC_OK || (st = rt_audit(R, file, t, root, r)) != PC_OK)
        goto out;
    R->tests++;
    for (const xmlNode *c = t->children; c != NULL; c = c->next) {
        bool expect = xml_is(c, RULETESTS_NS, "expect");
        char *rule, *object, *line;
        unsigned want_line = 0;
        size_t hits = 0;

        if (!expect && !xml_is(c, RULETESTS_NS, "reject"))
            continue;
        rule = xml_attr(c, "rule");
        object = xml_attr(c, "object");
        line = xml_attr(c, "line");
        if (line != NULL)
            want_line = (unsigned)strtoul(line, NULL, 10); /* schema: digits */
        for (size_t i = 0; i < pc_results_count(r); i++)
            hits += rt_matches(pc_results_get(r, i), rule, object, want_line);
        R->checks++;
        if (expect ? hits > 0 : hits == 0) {
            struct rt_rule *rr = rule != NULL ? rt_rule(R, rule) : NULL;

            if (rr != NULL && expect)
                rr->fired++;
            else if (rr != NULL)
                rr->rejected++;
        } else {
            failures++;
            rt_fail_head(R, doc, c, id, manifest);
            if (rule != NULL)
                fprintf(R->out, "expected %s[%s]", expect ? "" : "no ", rule);
            else
                fputs("expected no finding", R->out);
            if (object != NULL) {
                fputs(" at ", R->out);
                pc_put_escaped(R->out, object);
            }
            if (want_line != 0)
                fprintf(R->out, " (line %u)", want_line);
            fputc('\n', R->out);
            rt_print_actual(R->out, r, rule);
        }
        free(rule);
        free(object);
        free(line);
    }
    if (failures > 0)
        R->failed++;
out:
    pc_results_free(r);
    free(id);
    free(manifest);
    return st;
}

static pc_status
rt_file(struct rt_run *R, const char *path, const char *schema)
{
    struct strbuf root = STRBUF_INIT(0);
    xmlDoc *doc = NULL;
    char *sr = NULL;
    pc_status st;

    if ((st = xml_load(path, schema, R->d, &doc, NULL)) != PC_OK)
        return st;
    sr = xml_attr(xmlDocGetRootElement(doc), "source-root");
    st = rt_path(path, sr != NULL ? sr : ".", &root);
    for (const xmlNode *t = xmlDocGetRootElement(doc)->children;
         t != NULL && st == PC_OK; t = t->next)
        if (xml_is(t, RULETESTS_NS, "test"))
            st = rt_test(R, path, doc, t, strbuf_str(&root));
    free(sr);
    strbuf_free(&root);
    xmlFreeDoc(doc);
    return st;
}

/* Is covered/total at least `threshold` percent? Both sides are scaled to
 * integers: "43.2" is 432/10, so the test is covered * 100 * 10 >= 432 *
 * total, with no rounding anywhere. */
static bool
rt_at_least(size_t covered, size_t total, uint64_t num, uint64_t den)
{
    if (total == 0)
        return true;
    return (uint64_t)covered * 100 * den >= num * (uint64_t)total;
}

/* A percentage from 0 to 100 with at most six decimals, as num/den. */
static bool
rt_threshold_parse(const char *s, uint64_t *num, uint64_t *den)
{
    uint64_t n = 0, d = 1;
    bool point = false, digits = false;

    for (const char *p = s; *p != '\0'; p++) {
        if (*p == '.' && !point) {
            point = true;
            continue;
        }
        if (*p < '0' || *p > '9' || d >= 1000000)
            return false;
        n = n * 10 + (uint64_t)(*p - '0');
        if (point)
            d *= 10;
        digits = true;
        if (n > 100 * d)
            return false;
    }
    if (!digits)
        return false;
    *num = n;
    *den = d;
    return true;
}

static void
rt_percent(FILE *out, const char *what, size_t covered, size_t total)
{
    fprintf(out, "%s: %zu of %zu (%.1f%%)\n", what, covered, total,
            total > 0 ? 100.0 * (double)covered / (double)total : 100.0);
}

/* The coverage figures, and whether they meet the threshold. */
static pc_status
rt_coverage(struct rt_run *R, const struct pc_rule_test_options *opt,
            bool *below)
{
    const pc_policy *p = pc_engine_policy(R->e);
    size_t exercised = 0, normative = 0, enforced = 0, tested = 0;
    struct strv by_rule = STRV_INIT, by_test = STRV_INIT, idle = STRV_INIT;
    struct strv unenforced = STRV_INIT, untested = STRV_INIT;
    pc_status st = PC_OK;

    for (size_t i = 0; i < R->nrules && st == PC_OK; i++) {
        const struct pc_rule_info *ri = R->rules[i].info;

        if (R->rules[i].fired > 0)
            exercised++;
        else
            st = strv_push(&idle, ri->id);
        for (size_t k = 0; k < ri->nclauses && st == PC_OK; k++) {
            st = strv_add_unique(&by_rule, ri->clauses[k].id);
            if (st == PC_OK && R->rules[i].fired > 0)
                st = strv_add_unique(&by_test, ri->clauses[k].id);
        }
    }
    for (size_t i = 0; i < p->nclauses && st == PC_OK; i++) {
        const struct policy_clause *c = &p->clauses[i];

        if (!c->normative)
            continue;
        normative++;
        if (strv_has(&by_rule, c->id))
            enforced++;
        else
            st = strv_push(&unenforced, c->id);
        if (strv_has(&by_test, c->id))
            tested++;
        else if (st == PC_OK && strv_has(&by_rule, c->id))
            st = strv_push(&untested, c->id);
    }
    if (st != PC_OK)
        goto out;
    fputs("coverage:\n", R->out);
    rt_percent(R->out, "  rules exercised (a test expects a finding)",
               exercised, R->nrules);
    rt_percent(R->out, "  normative clauses enforced by a rule", enforced,
               normative);
    rt_percent(R->out, "  normative clauses exercised by a test", tested,
               normative);
    {
        const struct {
            const char *what;
            const struct strv *v;
        } lists[] = {
            { "  rules no test exercises", &idle },
            { "  normative clauses no rule enforces", &unenforced },
            { "  enforced clauses no test exercises", &untested },
        };

        for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
            if (lists[i].v->n == 0)
                continue;
            fprintf(R->out, "%s:", lists[i].what);
            for (size_t k = 0; k < lists[i].v->n; k++) {
                fputc(' ', R->out);
                pc_put_escaped(R->out, lists[i].v->v[k]);
            }
            fputc('\n', R->out);
        }
    }
    *below = false;
    if (opt->threshold != NULL) {
        uint64_t num, den;

        if (!rt_threshold_parse(opt->threshold, &num, &den)) {
            st = diag_fail(R->d, PC_EINVALID, diag_loc(R->d, NULL, 0, 0),
                           "--coverage-threshold takes a percentage from 0 "
                           "to 100");
            goto out;
        }
        *below = !rt_at_least(exercised, R->nrules, num, den) ||
                 !rt_at_least(tested, normative, num, den);
        fprintf(R->out, "coverage threshold %s%%: %s\n", opt->threshold,
                *below ? "FAIL (rules exercised or normative clauses "
                         "exercised are below it)"
                       : "met");
    }
out:
    strv_free(&by_rule);
    strv_free(&by_test);
    strv_free(&idle);
    strv_free(&unenforced);
    strv_free(&untested);
    return st;
}

static pc_status
rt_files(const char *dir, pc_diags *d, struct strv *files)
{
    struct dirent *de;
    pc_status st = PC_OK;
    DIR *dp;

    if ((dp = opendir(dir)) == NULL)
        return diag_fail(d, PC_EIO, diag_loc(d, dir, 0, 0),
                         "cannot read the rule tests directory");
    while ((de = readdir(dp)) != NULL && st == PC_OK) {
        size_t n = strlen(de->d_name), k = strlen(RULETESTS_SUFFIX);
        struct strbuf path = STRBUF_INIT(0);

        if (n <= k || strcmp(de->d_name + n - k, RULETESTS_SUFFIX) != 0)
            continue;
        if (files->n == RULETESTS_MAX_FILES)
            st =
                diag_fail(d, PC_ELIMIT, diag_loc(d, dir, 0, 0),
                          "more than %d rule tests files", RULETESTS_MAX_FILES);
        else if ((st = strbuf_printf(&path, "%s/%s", dir, de->d_name)) == PC_OK)
            st = strv_push(files, strbuf_str(&path));
        strbuf_free(&path);
    }
    closedir(dp);
    if (st == PC_OK && files->n == 0)
        st = diag_fail(d, PC_EINVALID, diag_loc(d, dir, 0, 0),
                       "no *%s files: no rule is tested", RULETESTS_SUFFIX);
    strv_sort(files);
    return st;
}

bool
pc_coverage_threshold_valid(const char *s)
{
    uint64_t num, den;

    return rt_threshold_parse(s, &num, &den);
}

pc_status
pc_rule_tests_run(const pc_engine *e, const struct pc_rule_test_options *opt,
                  FILE *out, pc_diags *d, size_t *failed)
{
    struct rt_run R = { .e = e, .d = d, .out = out };
    struct strv files = STRV_INIT;
    bool below = false;
    pc_status st;

    *failed = 0;
    R.nrules = pc_engine_rule_count(e);
    if ((R.rules = calloc(R.nrules + 1, sizeof *R.rules)) == NULL)
        return PC_ENOMEM;
    for (size_t i = 0; i < R.nrules; i++)
        R.rules[i].info = pc_engine_rule(e, i);
    if ((st = rt_files(opt->dir, d, &files)) != PC_OK)
        goto out;
    for (size_t i = 0; i < files.n && st == PC_OK; i++)
        st = rt_file(&R, files.v[i], opt->schema);
    if (st != PC_OK)
        goto out;
    fprintf(out, "%zu tests, %zu expectations: %zu passed, %zu failed\n",
            R.tests, R.checks, R.tests - R.failed, R.failed);
    if (opt->coverage && (st = rt_coverage(&R, opt, &below)) != PC_OK)
        goto out;
    *failed = R.failed + (below ? 1 : 0);
out:
    strv_free(&files);
    free(R.rules);
    return st;
}
