/* report-sarif.c - SARIF 2.1.0 for code scanning (GitHub's upload-sarif
 * and any other SARIF consumer): one run, the rule catalog as the
 * driver's rules, one result per finding with its location relative to
 * the source root (%SRCROOT%), its fingerprint, and the other findings
 * about the same element as related locations. Built with jansson, like
 * the JSON report; tests/sarif.sh validates it against the official
 * schema. */
#include "config.h"

#include "report.h"

#include "disclose.h"
#include "jbuild.h"
#include "jwrite.h"
#include "results.h"
#include "map.h"
#include "strbuf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SARIF_SCHEMA                                                           \
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"      \
    "sarif-schema-2.1.0.json"
#define SARIF_SRCROOT "%SRCROOT%"
/* partialFingerprints key: ours, versioned as fingerprints are. */
#define SARIF_FP_KEY "privcheck/v1"

/* Written as it is made, byte for byte what one dump of the whole would
 * give: the head and the run's first members at begin, each result when
 * it comes (then freed), the run's properties at end. */
struct report_sarif {
    json_t *doc;            /* the document's own members */
    json_t *run;            /* the run's members being built */
    size_t nresults;        /* written */
    struct map *rule_index; /* rule id -> index + 1 */
    struct map *artifacts;  /* path -> index + 1 */
    struct strbuf scratch;
};

static void
report_sarif_cleanup(struct report *r)
{
    struct report_sarif *s = r->state;

    if (s == NULL)
        return;
    json_decref(s->doc);
    json_decref(s->run);
    map_free(s->rule_index);
    map_free(s->artifacts);
    strbuf_free(&s->scratch);
    free(s);
    r->state = NULL;
}

static const char *
report_sarif_level(pc_severity sev)
{
    switch (report_severity(sev)) {
    case PC_SEV_NOTE:
        return "note";
    case PC_SEV_WARNING:
        return "warning";
    default:
        return "error";
    }
}

/* A path as a URI reference: relative paths stay relative (to
 * %SRCROOT%), absolute ones become file: URIs; every byte but the
 * unreserved ones and '/' is percent-encoded (a ':' in a relative path
 * would read as a scheme). */
static pc_status
report_sarif_uri(struct strbuf *b, const char *path, bool *relative)
{
    pc_status st = PC_OK;

    strbuf_reset(b);
    *relative = path[0] != '/';
    if (!*relative)
        st = strbuf_puts(b, "file://");
    for (const unsigned char *p = (const unsigned char *)path;
         *p != '\0' && st == PC_OK; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
            (*p >= '0' && *p <= '9') || strchr("-._~/", *p) != NULL)
            st = strbuf_putc(b, (char)*p);
        else
            st = strbuf_printf(b, "%%%02X", *p);
    }
    return st;
}

/* {"uri": ..., "uriBaseId": "%SRCROOT%", "index": i} for a file, as
 * member `key` of what w has open. */
static void
report_sarif_artifact_location(struct jwrite *w, struct report_sarif *s,
                               const char *key, const char *path,
                               bool with_index)
{
    bool relative;
    pc_status st;

    if (w->st != PC_OK)
        return;
    if ((st = report_sarif_uri(&s->scratch, path, &relative)) != PC_OK) {
        w->st = st;
        return;
    }
    jwrite_object(w, key);
    jwrite_str(w, "uri", strbuf_str(&s->scratch));
    if (relative)
        jwrite_str(w, "uriBaseId", SARIF_SRCROOT);
    if (with_index) {
        uintptr_t i = (uintptr_t)map_get(s->artifacts, path);

        if (i > 0)
            jwrite_int(w, "index", i - 1);
    }
    jwrite_end(w);
}

/* A rule's name for people who read ids poorly: its title in
 * PascalCase ("Old TLS for a flow" is "OldTlsForAFlow"). */
static pc_status
report_sarif_rule_name(struct strbuf *b, const char *title)
{
    bool start = true;
    pc_status st = PC_OK;

    strbuf_reset(b);
    for (const char *p = title; *p != '\0' && st == PC_OK; p++) {
        char c = *p;
        bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                     (c >= '0' && c <= '9');

        if (!alnum) {
            start = true;
            continue;
        }
        if (start && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        else if (!start && c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        start = false;
        st = strbuf_putc(b, c);
    }
    return st;
}

/* One reportingDescriptor. */
static void
report_sarif_rule(struct jbuild *p, struct report_sarif *s, json_t *list,
                  const struct pc_rule_info *ri)
{
    struct strbuf text = STRBUF_INIT(0), md = STRBUF_INIT(0);
    json_t *o, *m, *props, *a;
    pc_status st = PC_OK;

    o = jbuild_put(p, list, NULL, json_object());
    jbuild_str(p, o, "id", ri->id);
    if (p->st == PC_OK &&
        (st = report_sarif_rule_name(
             &s->scratch, ri->title != NULL ? ri->title : ri->id)) != PC_OK)
        p->st = st;
    jbuild_str(p, o, "name", strbuf_str(&s->scratch));
    m = jbuild_put(p, o, "shortDescription", json_object());
    jbuild_str(p, m, "text", ri->title != NULL ? ri->title : ri->id);
    /* The clauses it enforces, quoted: what the finding is measured by. */
    for (size_t i = 0; i < ri->nclauses && st == PC_OK; i++)
        st = strbuf_printf(&text, "%s\xc2\xa7%s: \"%s\"", i > 0 ? " " : "",
                           ri->clauses[i].section, ri->clauses[i].text);
    if (st == PC_OK && ri->nclauses == 0)
        st = strbuf_puts(&text, "No policy clause: the rule protects the "
                                "checking itself.");
    m = jbuild_put(p, o, "fullDescription", json_object());
    jbuild_str(p, m, "text", strbuf_str(&text));
    /* help: the fix, and in Markdown the fix with the clauses quoted. */
    if (st == PC_OK)
        st = strbuf_puts(&md, "**How to fix:** ");
    if (st == PC_OK)
        st = report_md(&md, ri->fix != NULL ? ri->fix : "");
    for (size_t i = 0; i < ri->nclauses && st == PC_OK; i++) {
        st = strbuf_printf(&md, "\n\n> Policy \xc2\xa7%s (`%s`): ",
                           ri->clauses[i].section, ri->clauses[i].id);
        if (st == PC_OK)
            st = report_md(&md, ri->clauses[i].text);
    }
    if (st != PC_OK && p->st == PC_OK)
        p->st = st;
    m = jbuild_put(p, o, "help", json_object());
    jbuild_str(p, m, "text", ri->fix != NULL ? ri->fix : "");
    jbuild_str(p, m, "markdown", strbuf_str(&md));
    m = jbuild_put(p, o, "defaultConfiguration", json_object());
    jbuild_str(p, m, "level", report_sarif_level(ri->severity));
    props = jbuild_put(p, o, "properties", json_object());
    a = jbuild_put(p, props, "sections", json_array());
    for (size_t i = 0; i < ri->nclauses; i++) {
        bool seen = false;

        for (size_t k = 0; k < i; k++)
            seen |= strcmp(ri->clauses[k].section, ri->clauses[i].section) == 0;
        if (!seen)
            jbuild_str(p, a, NULL, ri->clauses[i].section);
    }
    a = jbuild_put(p, props, "clauses", json_array());
    for (size_t i = 0; i < ri->nclauses; i++)
        jbuild_str(p, a, NULL, ri->clauses[i].id);
    a = jbuild_put(p, props, "tags", json_array());
    jbuild_str(p, a, NULL, "privacy");
    jbuild_str(p, a, NULL, "compliance");
    if (ri->subjects != NULL)
        jbuild_str(p, props, "subjects", ri->subjects);
    strbuf_free(&text);
    strbuf_free(&md);
}

/* An artifact for each file the findings are in, with its hash when it
 * is a manifest the run read: the run's member "artifacts". */
static pc_status
report_sarif_artifacts(struct report *r, struct report_sarif *s)
{
    const pc_results *res = r->results;
    size_t nm = pc_results_manifest_count(res), n = 0;
    struct jwrite w;

    if (fputs(",\n      \"artifacts\": ", r->out) == EOF)
        return PC_EIO;
    jwrite_init(&w, r->out, 3, true, r->d, "the SARIF report");
    jwrite_array(&w, NULL);
    /* The manifests, then the other inputs (waivers files). */
    for (size_t i = 0; i < nm + pc_results_input_count(res) && w.st == PC_OK;
         i++) {
        const struct pc_manifest_info *mi = i < nm
                                                ? pc_results_manifest(res, i)
                                                : pc_results_input(res, i - nm);
        const char *path = mi->path != NULL ? mi->path : mi->file;

        if (path == NULL || map_get(s->artifacts, path) != NULL)
            continue;
        if ((w.st = map_put(s->artifacts, path, (void *)(uintptr_t)++n)) !=
            PC_OK)
            break;
        jwrite_object(&w, NULL);
        report_sarif_artifact_location(&w, s, "location", path, false);
        if (mi->sha256 != NULL) {
            jwrite_object(&w, "hashes");
            jwrite_str(&w, "sha-256", mi->sha256);
            jwrite_end(&w);
        }
        jwrite_end(&w);
    }
    if (w.st == PC_OK)
        jwrite_end(&w);
    return jwrite_done(&w);
}

/* How the policy discloses the flows (DESIGN §6): the counts per class;
 * the items themselves are the JSON report's. */
static void
report_sarif_disclosures(struct jbuild *p, struct report *r, json_t *props)
{
    const pc_results *res = r->results;
    size_t counts[DISCLOSE_NCLASSES];
    json_t *o = jbuild_put(p, props, "disclosures", json_object());

    disclose_count(res, counts);
    for (int k = 0; k < DISCLOSE_NCLASSES; k++)
        jbuild_int(p, o, disclose_class_str(k), counts[k]);
}

static void
report_sarif_properties(struct jbuild *p, struct report *r,
                        struct report_sarif *s)
{
    const struct report_meta *m = r->meta;
    json_t *props = jbuild_put(p, s->run, "properties", json_object());
    json_t *o, *list;

    o = jbuild_put(p, props, "policy", json_object());
    jbuild_str_opt(p, o, "id", m->policy_id);
    jbuild_str_opt(p, o, "version", m->policy_version);
    jbuild_str_opt(p, o, "title", m->policy_title);
    jbuild_str_opt(p, o, "sha256", m->policy_sha256);
    o = jbuild_put(p, props, "rules", json_object());
    jbuild_str_opt(p, o, "sha256", m->rules_sha256);
    list = jbuild_put(p, props, "manifests", json_array());
    for (size_t i = 0; i < pc_results_manifest_count(r->results); i++) {
        const struct pc_manifest_info *mi = pc_results_manifest(r->results, i);

        p->loc.file = mi->file;
        o = jbuild_put(p, list, NULL, json_object());
        jbuild_str_opt(p, o, "file", mi->file);
        jbuild_str_opt(p, o, "application", mi->application);
        jbuild_str_opt(p, o, "version", mi->version);
        jbuild_str_opt(p, o, "path", mi->path);
        jbuild_str_opt(p, o, "sha256", mi->sha256);
    }
    list = jbuild_put(p, props, "waivers", json_array());
    for (size_t i = 0; i < pc_results_input_count(r->results); i++) {
        const struct pc_manifest_info *mi = pc_results_input(r->results, i);

        o = jbuild_put(p, list, NULL, json_object());
        jbuild_str_opt(p, o, "file", mi->file);
        jbuild_str_opt(p, o, "path", mi->path);
        jbuild_str_opt(p, o, "sha256", mi->sha256);
    }
    p->loc.file = NULL;
    report_sarif_disclosures(p, r, props);
}

static void
report_sarif_invocation(struct jbuild *p, struct report *r,
                        struct report_sarif *s)
{
    const struct pc_run_info *run = r->opt->run;
    json_t *list = jbuild_put(p, s->run, "invocations", json_array());
    json_t *inv = jbuild_put(p, list, NULL, json_object());
    char t[32];

    /* The report exists, so the run read and audited everything: exit
     * status 0 or 1. */
    jbuild_bool(p, inv, "executionSuccessful", true);
    if (run == NULL)
        return;
    jbuild_put(p, inv, "exitCode", json_integer(run->exit_code));
    if (run->start != (time_t)-1 && report_time(run->start, t))
        jbuild_str(p, inv, "startTimeUtc", t);
    if (run->end != (time_t)-1 && report_time(run->end, t))
        jbuild_str(p, inv, "endTimeUtc", t);
}

static pc_status
report_sarif_head(struct report *r, struct report_sarif *s)
{
    const struct report_meta *m = r->meta;
    struct jbuild p = { r->d, { NULL, 0, 0 }, "the SARIF report", PC_OK };
    json_t *tool, *driver, *rules;

    jbuild_str(&p, s->doc, "$schema", SARIF_SCHEMA);
    jbuild_str(&p, s->doc, "version", "2.1.0");
    if ((s->run = json_object()) == NULL)
        return PC_ENOMEM;
    tool = jbuild_put(&p, s->run, "tool", json_object());
    driver = jbuild_put(&p, tool, "driver", json_object());
    jbuild_str(&p, driver, "name", m->tool != NULL ? m->tool : "privcheck");
    jbuild_str_opt(&p, driver, "version", m->tool_version);
    jbuild_str_opt(&p, driver, "semanticVersion", m->tool_version);
    jbuild_str_opt(&p, driver, "informationUri", m->tool_uri);
    rules = jbuild_put(&p, driver, "rules", json_array());
    for (size_t i = 0; i < m->nrules && p.st == PC_OK; i++) {
        report_sarif_rule(&p, s, rules, m->rules[i]);
        if (p.st == PC_OK)
            p.st = map_put(s->rule_index, m->rules[i]->id,
                           (void *)(uintptr_t)(i + 1));
    }
    report_sarif_invocation(&p, r, s);
    return p.st;
}

/* Start one result where the results array is: a writer at its depth.
 * ASCII: SARIF is rendered by web interfaces, and a raw bidi override in
 * a message would reorder what a reviewer reads. */
static pc_status
report_sarif_result_start(struct report *r, struct report_sarif *s,
                          struct jwrite *w, const struct pc_finding *f)
{
    if (fputs(s->nresults++ > 0 ? ",\n        " : "\n        ", r->out) == EOF)
        return PC_EIO;
    jwrite_init(w, r->out, 4, true, r->d, "the SARIF report");
    w->loc = (struct pc_loc){ f->file, f->line, 0 };
    return PC_OK;
}

static pc_status
report_sarif_begin(struct report *r)
{
    struct report_sarif *s = calloc(1, sizeof *s);
    pc_status st;

    if (s == NULL)
        return PC_ENOMEM;
    r->state = s;
    s->scratch.max = 1u << 24;
    if ((s->doc = json_object()) == NULL ||
        (s->rule_index = map_new()) == NULL ||
        (s->artifacts = map_new()) == NULL)
        st = PC_ENOMEM;
    else
        st = report_sarif_head(r, s);
    if (st == PC_OK && fputc('{', r->out) == EOF)
        st = PC_EIO;
    if (st == PC_OK)
        st = jbuild_write_members(r->out, true, 2, s->doc, true);
    if (st == PC_OK && fputs(",\n  \"runs\": [\n    {", r->out) == EOF)
        st = PC_EIO;
    if (st == PC_OK)
        st = jbuild_write_members(r->out, true, 6, s->run, true);
    if (st == PC_OK)
        st = report_sarif_artifacts(r, s);
    if (st == PC_OK && fputs(",\n      \"results\": [", r->out) == EOF)
        st = PC_EIO;
    if (st == PC_OK) {
        json_decref(s->run);
        s->run = NULL;
    }
    if (st != PC_OK)
        report_sarif_cleanup(r);
    return st;
}

/* {"physicalLocation": {"artifactLocation": ..., "region": ...}}, left
 * open for what the caller adds. */
static void
report_sarif_location(struct jwrite *w, struct report_sarif *s, const char *key,
                      const struct pc_finding *f)
{
    const char *path = f->path != NULL ? f->path : f->file;

    jwrite_object(w, key);
    if (path == NULL)
        return;
    jwrite_object(w, "physicalLocation");
    report_sarif_artifact_location(w, s, "artifactLocation", path, true);
    if (f->line > 0) {
        jwrite_object(w, "region");
        jwrite_int(w, "startLine", f->line);
        jwrite_end(w);
    }
    jwrite_end(w);
}

/* "also RULE: message" of a related finding. */
static void
report_sarif_related(struct jwrite *w, struct report_sarif *s, size_t id,
                     const struct pc_finding *g)
{
    struct strbuf text = STRBUF_INIT(1u << 20);
    pc_status st;

    report_sarif_location(w, s, NULL, g);
    jwrite_int(w, "id", id);
    st = strbuf_printf(&text, "also %s: %s", g->rule != NULL ? g->rule : "?",
                       g->message != NULL ? g->message : "");
    if (st != PC_OK && w->st == PC_OK)
        w->st = st;
    jwrite_object(w, "message");
    jwrite_str(w, "text", strbuf_str(&text));
    jwrite_end(w);
    jwrite_end(w);
    strbuf_free(&text);
}

/* A waived finding: suppressed outside the tool's own analysis, by an
 * approved exception (code scanning hides it). */
static void
report_sarif_suppression(struct jwrite *w, struct report *r,
                         struct report_sarif *s,
                         const struct pc_suppression *sp)
{
    jwrite_array(w, "suppressions");
    jwrite_object(w, NULL);
    jwrite_str(w, "kind", "external");
    jwrite_str(w, "status", "accepted");
    jwrite_str_opt(w, "justification", sp->reason);
    if (sp->file != NULL) {
        struct pc_finding at = { .file = sp->file, .line = sp->line };

        /* Named as the waivers file is, relative to the root. */
        for (size_t k = 0; k < pc_results_input_count(r->results); k++)
            if (strcmp(pc_results_input(r->results, k)->file, sp->file) == 0)
                at.path = pc_results_input(r->results, k)->path;
        report_sarif_location(w, s, "location", &at);
        jwrite_end(w);
    }
    jwrite_object(w, "properties");
    jwrite_str_opt(w, "approvedBy", sp->approved_by);
    jwrite_str_opt(w, "expires", sp->expires);
    jwrite_end(w);
    jwrite_end(w);
    jwrite_end(w);
}

static pc_status
report_sarif_finding(struct report *r, const struct pc_finding *f)
{
    struct report_sarif *s = r->state;
    uintptr_t index = (uintptr_t)map_get(s->rule_index, f->rule);
    size_t i = report_index(r, f);
    struct jwrite w;
    pc_status st;

    if ((st = report_sarif_result_start(r, s, &w, f)) != PC_OK)
        return st;
    jwrite_object(&w, NULL);
    jwrite_str(&w, "ruleId", f->rule != NULL ? f->rule : "?");
    if (index > 0)
        jwrite_int(&w, "ruleIndex", index - 1);
    jwrite_str(&w, "level", report_sarif_level(f->severity));
    jwrite_object(&w, "message");
    jwrite_str(&w, "text", f->message != NULL ? f->message : f->title);
    jwrite_end(&w);
    jwrite_array(&w, "locations");
    report_sarif_location(&w, s, NULL, f);
    if (f->object != NULL) {
        jwrite_array(&w, "logicalLocations");
        jwrite_object(&w, NULL);
        jwrite_str(&w, "fullyQualifiedName", f->object);
        jwrite_str(&w, "kind", "object");
        jwrite_end(&w);
        jwrite_end(&w);
    }
    jwrite_end(&w);
    jwrite_end(&w);
    if (f->fingerprint != NULL) {
        jwrite_object(&w, "partialFingerprints");
        jwrite_str(&w, SARIF_FP_KEY, f->fingerprint);
        jwrite_end(&w);
    }
    /* The other findings about the same element: each is its own result
     * too, and here a related location that says which. */
    if (r->leader != NULL && (r->leader[i] != i || r->next[i] != REPORT_NONE)) {
        size_t id = 0;

        jwrite_array(&w, "relatedLocations");
        for (size_t j = r->leader[i]; j != REPORT_NONE; j = r->next[j])
            if (j != i)
                report_sarif_related(&w, s, ++id,
                                     pc_results_get(r->results, j));
        jwrite_end(&w);
    }
    if (f->suppressed && f->suppression.kind != NULL &&
        strcmp(f->suppression.kind, "waiver") == 0)
        report_sarif_suppression(&w, r, s, &f->suppression);
    if (f->baseline != NULL)
        jwrite_str(&w, "baselineState",
                   strcmp(f->baseline, "unchanged") == 0 ? "unchanged" : "new");
    jwrite_object(&w, "properties");
    jwrite_str_opt(&w, "object", f->object);
    jwrite_str_opt(&w, "application", f->application);
    jwrite_end(&w);
    jwrite_end(&w);
    return jwrite_done(&w);
}

/* The baseline's results that no longer occur: SARIF's "absent" state,
 * each a result that now passes (kind pass, level none). */
static pc_status
report_sarif_absent(struct report *r, struct report_sarif *s)
{
    pc_status st = PC_OK;

    for (size_t i = 0; i < r->nabsent && st == PC_OK; i++) {
        const struct pc_finding *f = pc_results_absent(r->results, i);
        uintptr_t index = (uintptr_t)map_get(s->rule_index, f->rule);
        struct jwrite w;

        if ((st = report_sarif_result_start(r, s, &w, f)) != PC_OK)
            break;
        w.loc.line = 0;
        jwrite_object(&w, NULL);
        jwrite_str(&w, "ruleId", f->rule != NULL ? f->rule : "?");
        if (index > 0)
            jwrite_int(&w, "ruleIndex", index - 1);
        jwrite_str(&w, "kind", "pass");
        jwrite_str(&w, "level", "none");
        jwrite_object(&w, "message");
        jwrite_str(&w, "text", f->message != NULL ? f->message : "");
        jwrite_end(&w);
        jwrite_array(&w, "locations");
        report_sarif_location(&w, s, NULL, f);
        jwrite_end(&w);
        jwrite_end(&w);
        jwrite_object(&w, "partialFingerprints");
        jwrite_str(&w, SARIF_FP_KEY, f->fingerprint);
        jwrite_end(&w);
        jwrite_str(&w, "baselineState", "absent");
        jwrite_end(&w);
        st = jwrite_done(&w);
    }
    return st;
}

static pc_status
report_sarif_end(struct report *r)
{
    struct report_sarif *s = r->state;
    struct jbuild p = { r->d, { NULL, 0, 0 }, "the SARIF report", PC_OK };

    p.st = report_sarif_absent(r, s);
    if (p.st == PC_OK &&
        fputs(s->nresults > 0 ? "\n      ]" : "]", r->out) == EOF)
        p.st = PC_EIO;
    if (p.st == PC_OK && (s->run = json_object()) == NULL)
        p.st = PC_ENOMEM;
    if (p.st == PC_OK)
        report_sarif_properties(&p, r, s);
    if (p.st == PC_OK)
        p.st = jbuild_write_members(r->out, false, 6, s->run, true);
    if (p.st == PC_OK && fputs("\n    }\n  ]\n}\n", r->out) == EOF)
        p.st = PC_EIO;
    return p.st;
}

const struct report_format report_sarif = {
    .name = "sarif",
    .description = "SARIF 2.1.0, for code scanning (GitHub upload-sarif)",
    .begin = report_sarif_begin,
    .finding = report_sarif_finding,
    .end = report_sarif_end,
    .cleanup = report_sarif_cleanup,
    .disclosure_items = PC_ITEMS_NONE,
};
