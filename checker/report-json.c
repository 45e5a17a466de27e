/* report-json.c - the whole run as one JSON document for machines (CI,
 * baselines, jq). Keys come in a fixed, deliberate order (jansson keeps
 * insertion order), every documented key is always present (null when
 * unknown), and there is no timestamp: the same inputs give the same
 * bytes. doc/json-report.md is the schema. */
#include "config.h"

#include "report.h"

#include "diag.h"

#include <jansson.h>
#include <stdlib.h>

/* Bump when a key changes meaning or goes away; new keys do not bump. */
#define REPORT_JSON_VERSION 1

struct report_json {
    json_t *doc;
    json_t *findings; /* borrowed from doc */
};

/* Puts into the document under construction. The first failure sticks
 * and every later put does nothing (but still releases the value it was
 * given), so a run of puts needs one check at the end, like a strbuf. */
struct report_json_put {
    struct report *r;
    struct pc_loc loc; /* whose strings these are, for a diagnostic */
    pc_status st;
};

/* obj[key] = v, or append v when key is NULL. v is stolen, even on
 * failure; NULL v (a constructor out of memory) fails with PC_ENOMEM.
 * Returns v, borrowed, or NULL once anything has failed. */
static json_t *
report_json_put(struct report_json_put *p, json_t *obj, const char *key,
                json_t *v)
{
    int rc;

    if (p->st != PC_OK) {
        json_decref(v);
        return NULL;
    }
    if (v == NULL) {
        p->st = PC_ENOMEM;
        return NULL;
    }
    rc = key != NULL ? json_object_set_new(obj, key, v)
                     : json_array_append_new(obj, v);
    if (rc != 0) {
        p->st = PC_ENOMEM;
        return NULL;
    }
    return v;
}

/* obj[key] = s, or null when s is NULL. */
static void
report_json_put_str(struct report_json_put *p, json_t *obj, const char *key,
                    const char *s)
{
    json_t *v, *probe;

    if (p->st != PC_OK)
        return;
    if (s == NULL || (v = json_string(s)) != NULL) {
        report_json_put(p, obj, key, s == NULL ? json_null() : v);
        return;
    }
    /* json_string fails on invalid UTF-8 and on memory; the unchecked
     * constructor only on memory, which tells the two apart. Inputs are
     * validated, so this is a backstop no one should see. */
    if ((probe = json_string_nocheck(s)) == NULL) {
        p->st = PC_ENOMEM;
        return;
    }
    json_decref(probe);
    p->st =
        diag_fail(p->r->d, PC_EINVALID, p->loc,
                  "the JSON report cannot hold \"%s\": not valid UTF-8", key);
}

static void
report_json_put_int(struct report_json_put *p, json_t *obj, const char *key,
                    size_t n)
{
    report_json_put(p, obj, key, json_integer((json_int_t)n));
}

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
    struct report_json_put p = { r, { NULL, 0, 0 }, PC_OK };
    json_t *doc = s->doc, *o, *list;

    report_json_put_int(&p, doc, "report_version", REPORT_JSON_VERSION);

    o = report_json_put(&p, doc, "tool", json_object());
    report_json_put_str(&p, o, "name", m->tool);
    report_json_put_str(&p, o, "version", m->tool_version);

    o = report_json_put(&p, doc, "policy", json_object());
    report_json_put_str(&p, o, "id", m->policy_id);
    report_json_put_str(&p, o, "version", m->policy_version);
    report_json_put_str(&p, o, "title", m->policy_title);
    report_json_put_str(&p, o, "sha256", m->policy_sha256);

    o = report_json_put(&p, doc, "rules", json_object());
    report_json_put_str(&p, o, "sha256", m->rules_sha256);

    list = report_json_put(&p, doc, "manifests", json_array());
    for (size_t i = 0; i < pc_results_manifest_count(r->results); i++) {
        const struct pc_manifest_info *mi = pc_results_manifest(r->results, i);

        p.loc.file = mi->file;
        o = report_json_put(&p, list, NULL, json_object());
        report_json_put_str(&p, o, "file", mi->file);
        report_json_put_str(&p, o, "application", mi->application);
        report_json_put_str(&p, o, "version", mi->version);
        report_json_put_str(&p, o, "path", mi->path);
        report_json_put_str(&p, o, "sha256", mi->sha256);
    }

    s->findings = report_json_put(&p, doc, "findings", json_array());
    return p.st;
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
    /* A failed begin owns nothing (report.h). */
    if (st != PC_OK)
        report_json_cleanup(r);
    return st;
}

static pc_status
report_json_finding(struct report *r, const struct pc_finding *f)
{
    struct report_json *s = r->state;
    struct report_json_put p = { r, { f->file, f->line, 0 }, PC_OK };
    pc_severity sev = report_severity(f->severity);
    json_t *o, *clauses, *c, *related;

    o = report_json_put(&p, s->findings, NULL, json_object());
    report_json_put_str(&p, o, "id", f->rule);
    report_json_put_str(&p, o, "severity", pc_severity_str(sev));
    report_json_put_str(&p, o, "title", f->title);
    report_json_put_str(&p, o, "message", f->message);
    clauses = report_json_put(&p, o, "clauses", json_array());
    for (size_t i = 0; i < f->nclauses; i++) {
        c = report_json_put(&p, clauses, NULL, json_object());
        report_json_put_str(&p, c, "id", f->clauses[i].id);
        report_json_put_str(&p, c, "section", f->clauses[i].section);
        report_json_put_str(&p, c, "text", f->clauses[i].text);
    }
    report_json_put_str(&p, o, "file", f->file);
    if (f->line > 0)
        report_json_put_int(&p, o, "line", f->line);
    else
        report_json_put(&p, o, "line", json_null());
    report_json_put_str(&p, o, "object", f->object);
    report_json_put_str(&p, o, "application", f->application);
    report_json_put_str(&p, o, "fix", f->fix);
    report_json_put_str(&p, o, "fingerprint", f->fingerprint);
    /* The other findings about the same element, by fingerprint: each
     * stays its own finding (and its own waiver). */
    related = report_json_put(&p, o, "related", json_array());
    if (r->leader != NULL) {
        size_t i = report_index(r, f);

        for (size_t j = r->leader[i]; j != REPORT_NONE; j = r->next[j])
            if (j != i)
                report_json_put_str(&p, related, NULL,
                                    pc_results_get(r->results, j)->fingerprint);
    }
    return p.st;
}

static pc_status
report_json_end(struct report *r)
{
    struct report_json *s = r->state;
    struct report_json_put p = { r, { NULL, 0, 0 }, PC_OK };
    const size_t *n = r->counts;
    json_t *o;

    o = report_json_put(&p, s->doc, "counts", json_object());
    report_json_put_int(&p, o, "error", n[PC_SEV_ERROR]);
    report_json_put_int(&p, o, "warning", n[PC_SEV_WARNING]);
    report_json_put_int(&p, o, "note", n[PC_SEV_NOTE]);
    report_json_put_int(&p, o, "total",
                        n[PC_SEV_ERROR] + n[PC_SEV_WARNING] + n[PC_SEV_NOTE]);
    if (p.st != PC_OK)
        return p.st;
    /* Insertion order is the documented order: no JSON_SORT_KEYS.
     * (PRESERVE_ORDER is the default since jansson 2.8; it says so.) */
    if (json_dumpf(s->doc, r->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER))
        /* -1 either way: the stream tells a failed write from a failed
         * allocation (the dumper keeps a table against cycles). */
        return ferror(r->out) ? PC_EIO : PC_ENOMEM;
    return fputc('\n', r->out) == EOF ? PC_EIO : PC_OK;
}

const struct report_format report_json = {
    .name = "json",
    .description = "one JSON document: findings, counts, what was checked",
    .begin = report_json_begin,
    .finding = report_json_finding,
    .end = report_json_end,
    .cleanup = report_json_cleanup,
};
