/* report-junit.c - JUnit XML for CI test reports (GitLab's
 * artifacts:reports:junit, Jenkins): one testsuite per manifest, one
 * testcase per rule of the catalog evaluated on it. A finding that fails
 * the run (at or above --fail-on) is a <failure> with its message,
 * file:line, the object and the policy clauses; one below that level is
 * reported in the test case's <system-out>, which passes. Written with
 * libxml2's writer (write-xml.c); tests/junit.sh validates it against
 * the Jenkins xunit plugin's junit-10.xsd. */
#include "config.h"

#include "report.h"

#include "diag.h"
#include "disclose.h"
#include "results.h"
#include "strbuf.h"
#include "xml.h"

#include <stdlib.h>
#include <string.h>

/* A file the findings are about, in report order: a manifest, or a file
 * only findings name. */
struct junit_suite {
    const char *file;
    const struct pc_manifest_info *manifest; /* NULL: not a manifest */
    size_t lo, hi; /* its findings: results are sorted by file */
};

static bool
junit_same(const char *a, const char *b)
{
    return strcmp(a != NULL ? a : "", b != NULL ? b : "") == 0;
}

/* The suites: every manifest in order, then every other file that
 * findings name, in results order. *out is the caller's. */
static pc_status
junit_suites(const pc_results *res, struct junit_suite **out, size_t *n)
{
    size_t cap = pc_results_manifest_count(res) + pc_results_input_count(res) +
                 pc_results_count(res) + 1;
    struct junit_suite *v = calloc(cap, sizeof *v);
    size_t k = 0;

    if (v == NULL)
        return PC_ENOMEM;
    for (size_t i = 0; i < pc_results_manifest_count(res); i++) {
        v[k].manifest = pc_results_manifest(res, i);
        v[k].file = v[k].manifest->file;
        k++;
    }
    for (size_t i = 0; i < pc_results_input_count(res); i++) {
        v[k].manifest = pc_results_input(res, i);
        v[k].file = v[k].manifest->file;
        k++;
    }
    for (size_t i = 0; i < pc_results_count(res); i++) {
        const char *file = pc_results_get(res, i)->file;
        bool seen = false;

        for (size_t j = 0; j < k && !seen; j++)
            seen = junit_same(v[j].file, file);
        if (!seen)
            v[k++].file = file;
    }
    for (size_t j = 0; j < k; j++) {
        size_t i = 0;

        while (i < pc_results_count(res) &&
               !junit_same(pc_results_get(res, i)->file, v[j].file))
            i++;
        v[j].lo = v[j].hi = i;
        while (v[j].hi < pc_results_count(res) &&
               junit_same(pc_results_get(res, v[j].hi)->file, v[j].file))
            v[j].hi++;
    }
    *out = v;
    *n = k;
    return PC_OK;
}

/* Append parts to b: literal text as it is, input strings (odd
 * positions) escaped as the text report escapes them, so only our own
 * newlines start a line. */
static pc_status
junit_put(struct strbuf *b, const char *const *parts, size_t n)
{
    pc_status st = PC_OK;

    for (size_t i = 0; i < n && st == PC_OK; i++)
        st = i % 2 == 0 ? strbuf_puts(b, parts[i])
                        : diag_escape(b, parts[i] != NULL ? parts[i] : "?");
    return st;
}

/* "file:15: error: [ID] message", then the object, the clauses and the
 * fix, one per line: what a developer needs under a failed test. */
static pc_status
junit_detail(struct strbuf *b, const struct pc_finding *f)
{
    char line[32] = "";
    pc_status st;

    strbuf_reset(b);
    if (f->line > 0)
        snprintf(line, sizeof line, ":%u", f->line);
    {
        const char *p[] = {
            "",    f->file,
            line,  NULL,
            ": ",  pc_severity_str(report_severity(f->severity)),
            ": [", f->rule,
            "] ",  f->message != NULL ? f->message : "",
            "\n"
        };

        p[3] = "";
        st = junit_put(b, p, sizeof p / sizeof p[0]);
    }
    if (st == PC_OK && f->object != NULL) {
        const char *p[] = { "    object: ", f->object, "\n" };

        st = junit_put(b, p, 3);
    }
    for (size_t i = 0; i < f->nclauses && st == PC_OK; i++) {
        const char *p[] = { "    policy \xc2\xa7",
                            f->clauses[i].section,
                            " [",
                            f->clauses[i].id,
                            "]: \"",
                            f->clauses[i].text,
                            "\"\n" };

        st = junit_put(b, p, sizeof p / sizeof p[0]);
    }
    if (st == PC_OK && f->fix != NULL && f->fix[0] != '\0') {
        const char *p[] = { "    fix: ", f->fix, "\n" };

        st = junit_put(b, p, 3);
    }
    if (st == PC_OK && f->fingerprint != NULL) {
        const char *p[] = { "    fingerprint: ", f->fingerprint, "\n" };

        st = junit_put(b, p, 3);
    }
    return st;
}

/* What one rule did on one suite's file. */
struct junit_case {
    size_t failures, quiet, suppressed;
};

static void
junit_tally(const struct report *r, const struct junit_suite *s,
            const char *rule, struct junit_case *c)
{
    memset(c, 0, sizeof *c);
    for (size_t i = s->lo; i < s->hi; i++) {
        const struct pc_finding *f = pc_results_get(r->results, i);

        if (!junit_same(f->rule, rule))
            continue;
        if (f->suppressed)
            c->suppressed++;
        else if (report_fails(r, f))
            c->failures++;
        else
            c->quiet++;
    }
}

static pc_status
junit_case(struct report *r, struct xml_writer *w, const struct junit_suite *s,
           const struct pc_rule_info *ri, struct strbuf *b)
{
    struct strbuf name = STRBUF_INIT(0), out = STRBUF_INIT(0),
                  msg = STRBUF_INIT(0);
    const pc_results *res = r->results;
    pc_status st;

    st = strbuf_printf(&name, "%s %s", ri->id,
                       ri->title != NULL ? ri->title : "");
    xml_writer_start(w, "testcase");
    xml_writer_attr(w, "name", strbuf_str(&name));
    xml_writer_attr(w, "classname",
                    s->manifest != NULL && s->manifest->application != NULL
                        ? s->manifest->application
                        : s->file);
    for (size_t i = s->lo; i < s->hi && st == PC_OK; i++) {
        const struct pc_finding *f = pc_results_get(res, i);

        if (!junit_same(f->rule, ri->id))
            continue;
        if ((st = junit_detail(b, f)) != PC_OK)
            break;
        if (f->suppressed) {
            /* Waived or known: a skipped test that says why. */
            const struct pc_suppression *sp = &f->suppression;

            strbuf_reset(&msg);
            if (sp->kind != NULL && strcmp(sp->kind, "waiver") == 0)
                st = strbuf_printf(&msg, "waived until %s, approved by %s: %s",
                                   sp->expires != NULL ? sp->expires : "?",
                                   sp->approved_by != NULL ? sp->approved_by
                                                           : "?",
                                   sp->reason != NULL ? sp->reason : "");
            else
                st = strbuf_puts(&msg, "known: in the baseline, unchanged");
            xml_writer_start(w, "skipped");
            xml_writer_attr(w, "message", strbuf_str(&msg));
            xml_writer_text(w, strbuf_str(b));
            xml_writer_end(w);
            continue;
        }
        if (!report_fails(r, f)) {
            st = strbuf_puts(&out, strbuf_str(b));
            continue;
        }
        strbuf_reset(&msg);
        if ((st = diag_escape(&msg, f->message != NULL ? f->message : "")) !=
            PC_OK)
            break;
        xml_writer_start(w, "failure");
        xml_writer_attr(w, "type",
                        pc_severity_str(report_severity(f->severity)));
        xml_writer_attr(w, "message", strbuf_str(&msg));
        xml_writer_text(w, strbuf_str(b));
        xml_writer_end(w);
    }
    if (st == PC_OK && out.len > 0) {
        xml_writer_start(w, "system-out");
        xml_writer_text(w, strbuf_str(&out));
        xml_writer_end(w);
    }
    xml_writer_end_empty(w);
    strbuf_free(&name);
    strbuf_free(&out);
    strbuf_free(&msg);
    return st;
}

/* Is the rule evaluated on the suite's file: does it range over that
 * kind of document? (A file only findings name: every rule.) */
static bool
junit_applies(const struct junit_suite *s, const struct pc_rule_info *ri)
{
    return s->manifest == NULL || s->manifest->kind == NULL ||
           ri->input == NULL || strcmp(s->manifest->kind, ri->input) == 0;
}

/* Is finding i of suite s the first of a rule the catalog does not list
 * (results made by hand, or by another catalog)? It gets a case of its
 * own: no finding goes unreported. */
static bool
junit_uncatalogued(const struct report *r, const struct junit_suite *s,
                   size_t i, struct pc_rule_info *out)
{
    const struct pc_finding *f = pc_results_get(r->results, i);

    for (size_t k = 0; k < r->meta->nrules; k++)
        if (junit_same(r->meta->rules[k]->id, f->rule))
            return false;
    for (size_t j = s->lo; j < i; j++)
        if (junit_same(pc_results_get(r->results, j)->rule, f->rule))
            return false;
    memset(out, 0, sizeof *out);
    out->id = f->rule != NULL ? f->rule : "?";
    out->title = f->title;
    return true;
}

/* Every case of suite s: the catalog's rules for its kind of file, then
 * the uncatalogued ones. Counts into *tests, *failures, *skipped; writes
 * them when w is not NULL. */
static pc_status
junit_cases(struct report *r, struct xml_writer *w, const struct junit_suite *s,
            struct strbuf *b, size_t *tests, size_t *failures, size_t *skipped)
{
    const struct report_meta *m = r->meta;
    pc_status st = PC_OK;
    size_t n = m->nrules + (s->hi - s->lo);

    for (size_t i = 0; i < n && st == PC_OK; i++) {
        struct pc_rule_info extra;
        const struct pc_rule_info *ri;
        struct junit_case c;

        if (i < m->nrules) {
            if (!junit_applies(s, m->rules[i]))
                continue;
            ri = m->rules[i];
        } else if (junit_uncatalogued(r, s, s->lo + i - m->nrules, &extra)) {
            ri = &extra;
        } else {
            continue;
        }
        junit_tally(r, s, ri->id, &c);
        (*tests)++;
        *failures += c.failures > 0;
        *skipped += c.failures == 0 && c.quiet == 0 && c.suppressed > 0;
        if (w != NULL)
            st = junit_case(r, w, s, ri, b);
    }
    return st;
}

static void
junit_property(struct xml_writer *w, const char *name, const char *value)
{
    if (value == NULL)
        return;
    xml_writer_start(w, "property");
    xml_writer_attr(w, "name", name);
    xml_writer_attr(w, "value", value);
    xml_writer_end_empty(w);
}

/* How the policy discloses this manifest's flows (DESIGN §6): a count
 * per class, `disclosures.clear` and so on. */
static void
junit_disclosures(const struct report *r, struct xml_writer *w,
                  const struct junit_suite *s)
{
    const pc_results *res = r->results;
    size_t counts[DISCLOSE_NCLASSES];
    char name[32], value[24];

    if (disclose_count_file(res, s->file, counts) == 0)
        return;
    for (int k = 0; k < DISCLOSE_NCLASSES; k++) {
        snprintf(name, sizeof name, "disclosures.%s", disclose_class_str(k));
        snprintf(value, sizeof value, "%zu", counts[k]);
        junit_property(w, name, value);
    }
}

static pc_status
junit_suite(struct report *r, struct xml_writer *w, const struct junit_suite *s,
            struct strbuf *b)
{
    const struct report_meta *m = r->meta;
    size_t failures = 0, skipped = 0, tests = 0;
    pc_status st;

    junit_cases(r, NULL, s, b, &tests, &failures, &skipped);
    xml_writer_start(w, "testsuite");
    xml_writer_attr(w, "name", s->file != NULL ? s->file : "privcheck");
    xml_writer_attr_uint(w, "tests", tests);
    xml_writer_attr_uint(w, "failures", failures);
    xml_writer_attr_uint(w, "errors", 0);
    xml_writer_attr_uint(w, "skipped", skipped);
    xml_writer_attr(w, "file", s->file);
    xml_writer_start(w, "properties");
    if (s->manifest != NULL) {
        junit_property(w, "application", s->manifest->application);
        junit_property(w, "version", s->manifest->version);
        junit_property(w, "path", s->manifest->path);
        junit_property(w, "sha256", s->manifest->sha256);
    }
    junit_property(w, "policy", m->policy_id);
    junit_property(w, "policy.version", m->policy_version);
    junit_property(w, "policy.sha256", m->policy_sha256);
    junit_property(w, "rules.sha256", m->rules_sha256);
    junit_property(w, "tool.version", m->tool_version);
    junit_disclosures(r, w, s);
    xml_writer_end(w);
    st = junit_cases(r, w, s, b, &tests, &failures, &skipped);
    xml_writer_end(w);
    return st;
}

static pc_status
report_junit_end(struct report *r)
{
    struct junit_suite *suites = NULL;
    struct xml_writer *w = NULL;
    struct strbuf b = STRBUF_INIT(1u << 24);
    size_t nsuites = 0, failures = 0, tests = 0;
    pc_status st, wst;

    if ((st = junit_suites(r->results, &suites, &nsuites)) != PC_OK)
        return st;
    if ((st = xml_writer_open(r->out, &w)) != PC_OK) {
        free(suites);
        return st;
    }
    for (size_t k = 0; k < nsuites; k++) {
        size_t skipped = 0;

        junit_cases(r, NULL, &suites[k], &b, &tests, &failures, &skipped);
    }
    xml_writer_start(w, "testsuites");
    xml_writer_attr(w, "name",
                    r->meta->tool != NULL ? r->meta->tool : "privcheck");
    xml_writer_attr_uint(w, "tests", tests);
    xml_writer_attr_uint(w, "failures", failures);
    xml_writer_attr_uint(w, "errors", 0);
    for (size_t k = 0; k < nsuites && st == PC_OK; k++)
        st = junit_suite(r, w, &suites[k], &b);
    xml_writer_end(w);
    wst = xml_writer_close(w);
    free(suites);
    strbuf_free(&b);
    return st != PC_OK ? st : wst;
}

static pc_status
report_junit_finding(struct report *r, const struct pc_finding *f)
{
    /* Written whole at the end: a suite's counts come before its cases. */
    return PC_OK;
}

const struct report_format report_junit = {
    .name = "junit",
    .description = "JUnit XML: a test suite per manifest, a test per rule",
    .finding = report_junit_finding,
    .end = report_junit_end,
    .disclosure_items = PC_ITEMS_NONE,
};
