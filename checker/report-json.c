/* report-json.c - the whole run as one JSON document for machines (CI,
 * baselines, jq). Keys come in a fixed, deliberate order (jansson keeps
 * insertion order), every documented key is always present (null when
 * unknown), and there is no timestamp: the same inputs give the same
 * bytes. doc/json-report.md is the schema. */
#include "config.h"

#include "report.h"

#include "disclose.h"
#include "jbuild.h"
#include "jwrite.h"
#include "policy.h"
#include "results.h"

#include <stdlib.h>

/* Bump when a key changes meaning or goes away; new keys do not bump. */
#define REPORT_JSON_VERSION 1

/* The document is written as it is made: the head at begin, each
 * finding as it comes (then freed: no tree of every finding), the rest at
 * end, byte for byte what one json_dumpf of the whole would give. */
struct report_json {
    json_t *doc; /* the part being built */
    size_t nfindings;
};

static void
report_json_cleanup(struct report *r)
{
    struct report_json *s = r->state;

    if (s == NULL)
        return;
    json_decref(s->doc);
    free(s);
    r->state = NULL;
}

/* The document up to an empty findings array, in the order
 * doc/json-report.md gives. */
static pc_status
report_json_head(struct report *r, struct report_json *s)
{
    const struct report_meta *m = r->meta;
    struct jbuild p = { r->d, { NULL, 0, 0 }, "the JSON report", PC_OK };
    json_t *doc = s->doc, *o, *list;

    jbuild_int(&p, doc, "report_version", REPORT_JSON_VERSION);

    o = jbuild_put(&p, doc, "tool", json_object());
    jbuild_str(&p, o, "name", m->tool);
    jbuild_str(&p, o, "version", m->tool_version);

    o = jbuild_put(&p, doc, "policy", json_object());
    jbuild_str(&p, o, "id", m->policy_id);
    jbuild_str(&p, o, "version", m->policy_version);
    jbuild_str(&p, o, "title", m->policy_title);
    jbuild_str(&p, o, "sha256", m->policy_sha256);

    o = jbuild_put(&p, doc, "rules", json_object());
    jbuild_str(&p, o, "sha256", m->rules_sha256);

    list = jbuild_put(&p, doc, "manifests", json_array());
    for (size_t i = 0; i < pc_results_manifest_count(r->results); i++) {
        const struct pc_manifest_info *mi = pc_results_manifest(r->results, i);

        p.loc.file = mi->file;
        o = jbuild_put(&p, list, NULL, json_object());
        jbuild_str(&p, o, "file", mi->file);
        jbuild_str(&p, o, "application", mi->application);
        jbuild_str(&p, o, "version", mi->version);
        jbuild_str(&p, o, "path", mi->path);
        jbuild_str(&p, o, "sha256", mi->sha256);
    }

    /* The other files rules judged: the waivers. */
    list = jbuild_put(&p, doc, "waivers", json_array());
    for (size_t i = 0; i < pc_results_input_count(r->results); i++) {
        const struct pc_manifest_info *mi = pc_results_input(r->results, i);

        p.loc.file = mi->file;
        o = jbuild_put(&p, list, NULL, json_object());
        jbuild_str(&p, o, "file", mi->file);
        jbuild_str(&p, o, "path", mi->path);
        jbuild_str(&p, o, "sha256", mi->sha256);
    }

    /* The baseline compared with (DESIGN §6b), or null. */
    if (r->baseline == NULL) {
        jbuild_put(&p, doc, "baseline", json_null());
    } else {
        const struct pc_baseline_info *b = r->baseline;

        o = jbuild_put(&p, doc, "baseline", json_object());
        jbuild_str(&p, o, "file", b->file);
        jbuild_str(&p, o, "sha256", b->sha256);
        jbuild_str(&p, o, "policy_sha256", b->policy_sha256);
        jbuild_str(&p, o, "rules_sha256", b->rules_sha256);
        jbuild_bool(&p, o, "same_policy", b->same_policy);
        jbuild_bool(&p, o, "same_rules", b->same_rules);
        jbuild_int(&p, o, "new", r->nnew);
        jbuild_int(&p, o, "unchanged", r->nunchanged);
        jbuild_int(&p, o, "absent", r->nabsent);
    }

    return p.st;
}

/* Each member of doc, as the whole document would hold it. */
static pc_status
report_json_members(struct report *r, json_t *doc, bool first)
{
    return jbuild_write_members(r->out, first, 2, doc, false);
}

static pc_status
report_json_begin(struct report *r)
{
    struct report_json *s = calloc(1, sizeof *s);
    pc_status st;

    if (s == NULL)
        return PC_ENOMEM;
    r->state = s;
    if ((s->doc = json_object()) == NULL)
        st = PC_ENOMEM;
    else
        st = report_json_head(r, s);
    if (st == PC_OK && fputc('{', r->out) == EOF)
        st = PC_EIO;
    if (st == PC_OK)
        st = report_json_members(r, s->doc, true);
    if (st == PC_OK && fputs(",\n  \"findings\": [", r->out) == EOF)
        st = PC_EIO;
    if (st == PC_OK) {
        json_decref(s->doc);
        s->doc = NULL;
    }
    /* A failed begin owns nothing (report.h). */
    if (st != PC_OK)
        report_json_cleanup(r);
    return st;
}

static pc_status
report_json_finding(struct report *r, const struct pc_finding *f)
{
    struct report_json *s = r->state;
    pc_severity sev = report_severity(f->severity);
    struct jwrite w;

    if (fputs(s->nfindings++ > 0 ? ",\n    " : "\n    ", r->out) == EOF)
        return PC_EIO;
    jwrite_init(&w, r->out, 2, false, r->d, "the JSON report");
    w.loc = (struct pc_loc){ f->file, f->line, 0 };
    jwrite_object(&w, NULL);
    jwrite_str(&w, "id", f->rule);
    jwrite_str(&w, "severity", pc_severity_str(sev));
    jwrite_str(&w, "title", f->title);
    jwrite_str(&w, "message", f->message);
    jwrite_array(&w, "clauses");
    for (size_t i = 0; i < f->nclauses; i++) {
        jwrite_object(&w, NULL);
        jwrite_str(&w, "id", f->clauses[i].id);
        jwrite_str(&w, "section", f->clauses[i].section);
        jwrite_str(&w, "text", f->clauses[i].text);
        jwrite_end(&w);
    }
    jwrite_end(&w);
    jwrite_str(&w, "file", f->file);
    jwrite_line(&w, "line", f->line);
    jwrite_str(&w, "object", f->object);
    jwrite_str(&w, "application", f->application);
    jwrite_str(&w, "fix", f->fix);
    jwrite_str(&w, "fingerprint", f->fingerprint);
    /* The other findings about the same element, by fingerprint: each
     * stays its own finding (and its own waiver). */
    jwrite_array(&w, "related");
    if (r->leader != NULL) {
        size_t i = report_index(r, f);

        for (size_t j = r->leader[i]; j != REPORT_NONE; j = r->next[j])
            if (j != i)
                jwrite_str(&w, NULL,
                           pc_results_get(r->results, j)->fingerprint);
    }
    jwrite_end(&w);
    /* Suppressed: still reported, not counted (DESIGN §6a, §6b). */
    jwrite_bool(&w, "suppressed", f->suppressed);
    if (!f->suppressed) {
        jwrite_null(&w, "suppression");
    } else {
        const struct pc_suppression *sp = &f->suppression;

        jwrite_object(&w, "suppression");
        jwrite_str(&w, "kind", sp->kind);
        jwrite_str(&w, "reason", sp->reason);
        jwrite_str(&w, "approved_by", sp->approved_by);
        jwrite_str(&w, "expires", sp->expires);
        jwrite_str(&w, "file", sp->file);
        jwrite_line(&w, "line", sp->line);
        jwrite_end(&w);
    }
    jwrite_str(&w, "baseline", f->baseline);
    jwrite_end(&w);
    return jwrite_done(&w);
}

/* ------------------------------------------------------------------ */
/* Disclosure classes and stale disclosures (DESIGN §6), one key of the
 * document, built apart from the findings. */

/* "counts" and "items" of the disclosures, written one item at a time:
 * there is one per field, each quoting its clause. */
static pc_status
report_json_items(struct report *r, struct jbuild *p)
{
    const pc_results *res = r->results;
    size_t counts[DISCLOSE_NCLASSES] = { 0 };
    json_t *c = json_object();

    if (c == NULL)
        return p->st = PC_ENOMEM;
    disclose_count(res, counts);
    for (int k = 0; k < DISCLOSE_NCLASSES; k++)
        jbuild_int(p, c, disclose_class_str(k), counts[k]);
    if (p->st == PC_OK)
        p->st = jbuild_write_member(r->out, true, 4, "counts", c, false);
    json_decref(c);
    if (p->st == PC_OK && fputs(",\n    \"items\": [", r->out) == EOF)
        p->st = PC_EIO;
    for (size_t i = 0; i < res->ndisclosures && p->st == PC_OK; i++) {
        const struct disclose_item *it = &res->disclosures[i];
        const struct policy_clause *cl = report_clause(r, it->clause);
        struct jwrite w;

        if (fputs(i > 0 ? ",\n      " : "\n      ", r->out) == EOF) {
            p->st = PC_EIO;
            break;
        }
        jwrite_init(&w, r->out, 3, false, r->d, "the JSON report");
        w.loc = (struct pc_loc){ it->file, it->line, 0 };
        jwrite_object(&w, NULL);
        jwrite_str(&w, "file", it->file);
        jwrite_int(&w, "line", it->line);
        jwrite_str(&w, "application", it->application);
        jwrite_str(&w, "object", it->object);
        jwrite_str(&w, "flow", it->flow);
        jwrite_str(&w, "field", it->field);
        jwrite_str(&w, "aspect", it->aspect);
        jwrite_str(&w, "value", it->value);
        jwrite_str(&w, "class", disclose_class_str(it->cls));
        /* The clause as {id, section, text}, or null. */
        if (cl == NULL) {
            jwrite_null(&w, "clause");
        } else {
            jwrite_object(&w, "clause");
            jwrite_str(&w, "id", cl->id);
            jwrite_str(&w, "section", cl->section);
            jwrite_str(&w, "text", cl->text);
            jwrite_end(&w);
        }
        jwrite_end(&w);
        p->st = jwrite_done(&w);
    }
    if (p->st == PC_OK &&
        fputs(res->ndisclosures > 0 ? "\n    ]" : "]", r->out) == EOF)
        p->st = PC_EIO;
    p->loc.file = NULL;
    p->loc.line = 0;
    return p->st;
}

static void
report_json_stale(struct report *r, struct jbuild *p, json_t *o,
                  const struct disclose_stale *v, size_t n)
{
    const pc_policy *pol = r->meta->policy;
    json_t *list = jbuild_put(p, o, "stale", json_array());

    for (size_t i = 0; i < n; i++) {
        json_t *so = jbuild_put(p, list, NULL, json_object());
        json_t *cl;

        jbuild_str(p, so, "kind", v[i].kind);
        jbuild_str(p, so, "id", v[i].id);
        jbuild_str(p, so, "title", v[i].title);
        cl = jbuild_put(p, so, "clauses", json_array());
        for (size_t k = 0; k < v[i].clauses->n; k++)
            jbuild_str(p, cl, NULL, v[i].clauses->v[k]);
    }
    /* The same, per clause of the policy, in policy order. */
    list = jbuild_put(p, o, "stale_by_clause", json_array());
    for (size_t c = 0; pol != NULL && c < pol->nclauses; c++) {
        const struct policy_clause *pc = &pol->clauses[c];
        json_t *co = NULL, *items = NULL;

        for (size_t i = 0; i < n; i++) {
            if (!strv_has(v[i].clauses, pc->id))
                continue;
            if (co == NULL) {
                co = jbuild_put(p, list, NULL, json_object());
                jbuild_str(p, co, "id", pc->id);
                jbuild_str(p, co, "section", pc->section);
                jbuild_str(p, co, "text", pc->text);
                items = jbuild_put(p, co, "disclosures", json_array());
            }
            json_t *io = jbuild_put(p, items, NULL, json_object());

            jbuild_str(p, io, "kind", v[i].kind);
            jbuild_str(p, io, "id", v[i].id);
        }
    }
}

/* The last member of the document, "disclosures", written in place. */
static pc_status
report_json_disclosures(struct report *r)
{
    struct jbuild p = { r->d, { NULL, 0, 0 }, "the JSON report", PC_OK };
    struct disclose_stale *stale = NULL;
    size_t nstale = 0;
    json_t *rest = NULL;

    if (fputs(",\n  \"disclosures\": {", r->out) == EOF)
        return PC_EIO;
    if ((p.st = report_json_items(r, &p)) != PC_OK)
        return p.st;
    if (r->meta->policy != NULL)
        p.st = disclose_stale(r->meta->policy, r->results, &stale, &nstale);
    if (p.st == PC_OK && (rest = json_object()) == NULL)
        p.st = PC_ENOMEM;
    if (p.st == PC_OK)
        report_json_stale(r, &p, rest, stale, nstale);
    free(stale);
    if (p.st == PC_OK)
        p.st = jbuild_write_members(r->out, false, 4, rest, false);
    json_decref(rest);
    if (p.st == PC_OK && fputs("\n  }", r->out) == EOF)
        p.st = PC_EIO;
    return p.st;
}

static pc_status
report_json_end(struct report *r)
{
    struct report_json *s = r->state;
    struct jbuild p = { r->d, { NULL, 0, 0 }, "the JSON report", PC_OK };
    const size_t *n = r->counts;
    json_t *o, *absent;

    if (fputs(s->nfindings > 0 ? "\n  ]" : "]", r->out) == EOF)
        return PC_EIO;
    if ((s->doc = json_object()) == NULL)
        return PC_ENOMEM;
    /* The baseline's findings that no longer occur. */
    absent = jbuild_put(&p, s->doc, "absent", json_array());

    for (size_t i = 0; i < r->nabsent; i++) {
        const struct pc_finding *f = pc_results_absent(r->results, i);
        json_t *a = jbuild_put(&p, absent, NULL, json_object());

        p.loc.file = f->file;
        jbuild_str(&p, a, "id", f->rule);
        jbuild_str(&p, a, "severity",
                   pc_severity_str(report_severity(f->severity)));
        jbuild_str(&p, a, "title", f->title);
        jbuild_str(&p, a, "message", f->message);
        jbuild_str(&p, a, "file", f->file);
        if (f->line > 0)
            jbuild_int(&p, a, "line", f->line);
        else
            jbuild_put(&p, a, "line", json_null());
        jbuild_str(&p, a, "object", f->object);
        jbuild_str(&p, a, "application", f->application);
        jbuild_str(&p, a, "fingerprint", f->fingerprint);
    }
    p.loc.file = NULL;
    o = jbuild_put(&p, s->doc, "counts", json_object());
    jbuild_int(&p, o, "error", n[PC_SEV_ERROR]);
    jbuild_int(&p, o, "warning", n[PC_SEV_WARNING]);
    jbuild_int(&p, o, "note", n[PC_SEV_NOTE]);
    jbuild_int(&p, o, "suppressed", r->nwaived + r->nknown);
    jbuild_int(&p, o, "total", pc_results_count(r->results));
    if (p.st == PC_OK)
        p.st = report_json_members(r, s->doc, false);
    if (p.st == PC_OK)
        p.st = report_json_disclosures(r);
    if (p.st == PC_OK && fputs("\n}\n", r->out) == EOF)
        p.st = PC_EIO;
    return p.st;
}

const struct report_format report_json = {
    .name = "json",
    .description = "one JSON document: findings, counts, what was checked",
    .begin = report_json_begin,
    .finding = report_json_finding,
    .end = report_json_end,
    .cleanup = report_json_cleanup,
    .disclosure_items = PC_ITEMS_ALL,
};
