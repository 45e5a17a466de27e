/* report-xml.c - the whole run as XML (namespace urn:privcheck:report:1,
 * schema checker/report.rng), streamed through libxml2's writer so that
 * every string from an input is escaped by the library: findings with
 * their clauses, and what a legal reader needs beside them (clause
 * coverage, the rights matrix, the data map, disclosure classes, stale
 * disclosures, the audit trail). The HTML report is this document
 * transformed by an XSLT stylesheet (report-html.c). */
#include "config.h"

#include "report.h"

#include "disclose.h"
#include "policy.h"
#include "results.h"
#include "strbuf.h"
#include "xml.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define REPORT_XML_NS "urn:privcheck:report:1"
#define REPORT_XML_VERSION "1"

static void
rx_bool(struct xml_writer *w, const char *name, bool b)
{
    xml_writer_attr(w, name, b ? "true" : "false");
}

static void
rx_long(struct xml_writer *w, const char *name, long n)
{
    char num[32];

    snprintf(num, sizeof num, "%ld", n);
    xml_writer_attr(w, name, num);
}

/* <name>text</name>, nothing when text is NULL. */
static void
rx_elem(struct xml_writer *w, const char *name, const char *text)
{
    if (text == NULL)
        return;
    xml_writer_start(w, name);
    xml_writer_text(w, text);
    xml_writer_end(w);
}

static void
rx_head(struct report *r, struct xml_writer *w)
{
    const struct report_meta *m = r->meta;
    const struct pc_run_info *run = r->opt->run;

    xml_writer_start(w, "report");
    xml_writer_attr(w, "xmlns", REPORT_XML_NS);
    xml_writer_attr(w, "version", REPORT_XML_VERSION);

    xml_writer_start(w, "tool");
    xml_writer_attr(w, "name", m->tool);
    xml_writer_attr(w, "version", m->tool_version);
    xml_writer_end_empty(w);

    /* Without run information (a library caller), no verdict or date. */
    if (run != NULL) {
        char date[32];
        bool fails = false;

        for (size_t i = 0; i < pc_results_count(r->results) && !fails; i++)
            fails = report_fails(r, pc_results_get(r->results, i));
        xml_writer_start(w, "run");
        if (report_time(run->start, date))
            xml_writer_attr(w, "date", date);
        rx_long(w, "exit-code", run->exit_code);
        xml_writer_attr(w, "fail-on",
                        run->never_fail ? "never"
                                        : pc_severity_str(run->fail_on));
        xml_writer_attr(w, "verdict", fails ? "fail" : "pass");
        xml_writer_end_empty(w);
    }

    xml_writer_start(w, "policy");
    xml_writer_attr(w, "id", m->policy_id);
    xml_writer_attr(w, "version", m->policy_version);
    xml_writer_attr(w, "title", m->policy_title);
    xml_writer_attr(w, "sha256", m->policy_sha256);
    xml_writer_end_empty(w);

    xml_writer_start(w, "rules");
    xml_writer_attr(w, "sha256", m->rules_sha256);
    xml_writer_attr_uint(w, "count", m->nrules);
    xml_writer_end_empty(w);

    xml_writer_start(w, "manifests");
    for (size_t i = 0; i < pc_results_manifest_count(r->results); i++) {
        const struct pc_manifest_info *mi = pc_results_manifest(r->results, i);

        xml_writer_start(w, "manifest");
        xml_writer_attr(w, "file", mi->file);
        xml_writer_attr(w, "application", mi->application);
        xml_writer_attr(w, "version", mi->version);
        xml_writer_attr(w, "path", mi->path);
        xml_writer_attr(w, "sha256", mi->sha256);
        xml_writer_end_empty(w);
    }
    xml_writer_end(w);

    xml_writer_start(w, "waivers");
    for (size_t i = 0; i < pc_results_input_count(r->results); i++) {
        const struct pc_manifest_info *mi = pc_results_input(r->results, i);

        xml_writer_start(w, "waivers-file");
        xml_writer_attr(w, "file", mi->file);
        xml_writer_attr(w, "path", mi->path);
        xml_writer_attr(w, "sha256", mi->sha256);
        xml_writer_end_empty(w);
    }
    xml_writer_end(w);

    if (r->baseline != NULL) {
        xml_writer_start(w, "baseline");
        xml_writer_attr(w, "file", r->baseline->file);
        xml_writer_attr(w, "sha256", r->baseline->sha256);
        xml_writer_attr_uint(w, "new", r->nnew);
        xml_writer_attr_uint(w, "unchanged", r->nunchanged);
        xml_writer_attr_uint(w, "absent", r->nabsent);
        xml_writer_end_empty(w);
    }

    xml_writer_start(w, "counts");
    xml_writer_attr_uint(w, "error", r->counts[PC_SEV_ERROR]);
    xml_writer_attr_uint(w, "warning", r->counts[PC_SEV_WARNING]);
    xml_writer_attr_uint(w, "note", r->counts[PC_SEV_NOTE]);
    xml_writer_attr_uint(w, "waived", r->nwaived);
    xml_writer_attr_uint(w, "known", r->nknown);
    xml_writer_attr_uint(w, "total", pc_results_count(r->results));
    xml_writer_end_empty(w);

    xml_writer_start(w, "findings");
}

static void
rx_finding(struct report *r, struct xml_writer *w, const struct pc_finding *f)
{
    xml_writer_start(w, "finding");
    xml_writer_attr(w, "id", f->rule);
    xml_writer_attr(w, "severity",
                    pc_severity_str(report_severity(f->severity)));
    xml_writer_attr(w, "fingerprint", f->fingerprint);
    xml_writer_attr(w, "file", f->file);
    if (f->line > 0)
        xml_writer_attr_uint(w, "line", f->line);
    xml_writer_attr(w, "object", f->object);
    xml_writer_attr(w, "application", f->application);
    xml_writer_attr(w, "group", f->group);
    /* The section it is filed under: its first clause's. */
    if (f->nclauses > 0)
        xml_writer_attr(w, "section", f->clauses[0].section);
    rx_bool(w, "fails", report_fails(r, f));
    rx_bool(w, "suppressed", f->suppressed);
    xml_writer_attr(w, "baseline", f->baseline);
    rx_elem(w, "title", f->title);
    rx_elem(w, "message", f->message);
    rx_elem(w, "fix", f->fix);
    for (size_t i = 0; i < f->nclauses; i++) {
        xml_writer_start(w, "clause");
        xml_writer_attr(w, "id", f->clauses[i].id);
        xml_writer_attr(w, "section", f->clauses[i].section);
        xml_writer_text(w, f->clauses[i].text);
        xml_writer_end(w);
    }
    if (r->leader != NULL) {
        size_t i = report_index(r, f);

        for (size_t j = r->leader[i]; j != REPORT_NONE; j = r->next[j]) {
            const struct pc_finding *g = pc_results_get(r->results, j);

            if (j == i)
                continue;
            xml_writer_start(w, "related");
            xml_writer_attr(w, "id", g->rule);
            xml_writer_attr(w, "fingerprint", g->fingerprint);
            if (g->line > 0)
                xml_writer_attr_uint(w, "line", g->line);
            xml_writer_end_empty(w);
        }
    }
    if (f->suppressed) {
        const struct pc_suppression *sp = &f->suppression;

        xml_writer_start(w, "suppression");
        xml_writer_attr(w, "kind", sp->kind);
        xml_writer_attr(w, "reason", sp->reason);
        xml_writer_attr(w, "approved-by", sp->approved_by);
        xml_writer_attr(w, "expires", sp->expires);
        xml_writer_attr(w, "file", sp->file);
        if (sp->line > 0)
            xml_writer_attr_uint(w, "line", sp->line);
        xml_writer_end_empty(w);
    }
    xml_writer_end(w);
}

/* ------------------------------------------------------------------ */
/* Clause coverage: per clause, the rules that enforce it, whether any
 * of them judged something in this run, and how many findings cite it. */

/* Whether rule judged something in this run, in *out. */
static pc_status
rx_exercised(struct report *r, const char *rule, bool *out)
{
    bool noted;
    pc_status st = disclose_noted(r->results, "rule", rule, &noted);

    if (st == PC_OK && noted)
        *out = true;
    return st;
}

static pc_status
rx_coverage(struct report *r, struct xml_writer *w)
{
    const pc_policy *p = r->meta->policy;
    pc_status st;

    xml_writer_start(w, "sections");
    for (size_t i = 0; p != NULL && i < p->nsections; i++) {
        xml_writer_start(w, "section");
        xml_writer_attr(w, "number", p->sections[i].number);
        xml_writer_attr(w, "title", p->sections[i].title);
        xml_writer_end_empty(w);
    }
    xml_writer_end(w);

    xml_writer_start(w, "coverage");
    for (size_t c = 0; p != NULL && c < p->nclauses; c++) {
        const struct policy_clause *pc = &p->clauses[c];
        bool exercised = false;
        size_t nfind = 0;

        for (size_t i = 0; i < pc_results_count(r->results); i++) {
            const struct pc_finding *f = pc_results_get(r->results, i);

            for (size_t k = 0; k < f->nclauses; k++)
                if (strcmp(f->clauses[k].id, pc->id) == 0) {
                    nfind++;
                    break;
                }
        }
        xml_writer_start(w, "clause");
        xml_writer_attr(w, "id", pc->id);
        xml_writer_attr(w, "section", pc->section);
        rx_bool(w, "normative", pc->normative);
        for (size_t i = 0; i < r->meta->nrules; i++) {
            const struct pc_rule_info *ri = r->meta->rules[i];

            for (size_t k = 0; k < ri->nclauses; k++)
                if (strcmp(ri->clauses[k].id, pc->id) == 0 &&
                    (st = rx_exercised(r, ri->id, &exercised)) != PC_OK)
                    return st;
        }
        rx_bool(w, "exercised", exercised);
        xml_writer_attr_uint(w, "findings", nfind);
        rx_elem(w, "text", pc->text);
        for (size_t i = 0; i < r->meta->nrules; i++) {
            const struct pc_rule_info *ri = r->meta->rules[i];

            for (size_t k = 0; k < ri->nclauses; k++)
                if (strcmp(ri->clauses[k].id, pc->id) == 0) {
                    bool judged = false;

                    if ((st = rx_exercised(r, ri->id, &judged)) != PC_OK)
                        return st;
                    xml_writer_start(w, "rule");
                    xml_writer_attr(w, "id", ri->id);
                    xml_writer_attr(w, "title", ri->title);
                    rx_bool(w, "exercised", judged);
                    xml_writer_end_empty(w);
                    break;
                }
        }
        xml_writer_end(w);
    }
    xml_writer_end(w);
    return PC_OK;
}

/* ------------------------------------------------------------------ */
/* Rights by jurisdiction. */

/* The handler of right `id` in g, or NULL. */
static const struct disclose_handler *
rx_handler(const struct disclose_rights *g, const char *id)
{
    for (size_t i = 0; i < g->nhandlers; i++)
        if (g->handlers[i].right != NULL &&
            strcmp(g->handlers[i].right, id) == 0)
            return &g->handlers[i];
    return NULL;
}

static bool
rx_days(const char *s, long *out)
{
    char *end;

    if (s == NULL || *s == '\0')
        return false;
    errno = 0;
    *out = strtol(s, &end, 10);
    return errno == 0 && *end == '\0';
}

/* One cell: handled within the deadline, late, missing, or not required
 * (and then handled or not). */
static void
rx_cell(struct xml_writer *w, const char *jur, bool required, bool offered,
        bool handled, const char *days, unsigned line, long deadline,
        long extension, const char *const period[2], const char *statute,
        const char *deadline_statute)
{
    long d;
    const char *status;

    if (!handled)
        status = required ? "missing" : "not-required";
    else if (!rx_days(days, &d) || deadline <= 0)
        status = "handled";
    else
        status = d <= deadline ? "within" : "late";
    xml_writer_start(w, "cell");
    xml_writer_attr(w, "jurisdiction", jur);
    xml_writer_attr(w, "status", status);
    rx_bool(w, "required", required);
    rx_bool(w, "offered", offered);
    if (handled && days != NULL)
        xml_writer_attr(w, "days", days);
    if (handled && line > 0)
        xml_writer_attr_uint(w, "line", line);
    if (deadline > 0)
        rx_long(w, "deadline", deadline);
    if (extension > 0)
        rx_long(w, "extension", extension);
    /* A deadline in months as the law writes it; deadline= above is the
     * fewest days it spans, which the status compares. */
    if (deadline > 0 && period[0] != NULL && *period[0] != '\0')
        xml_writer_attr(w, "deadline-period", period[0]);
    if (extension > 0 && period[1] != NULL && *period[1] != '\0')
        xml_writer_attr(w, "extension-period", period[1]);
    xml_writer_attr(w, "statute", statute);
    xml_writer_attr(w, "deadline-statute", deadline_statute);
    xml_writer_end_empty(w);
}

static void
rx_rights_one(struct report *r, struct xml_writer *w,
              const struct disclose_rights *g, const struct strv *jurs)
{
    const pc_policy *p = r->meta->policy;

    xml_writer_start(w, "rights");
    xml_writer_attr(w, "file", g->file);
    xml_writer_attr(w, "application", g->application);
    for (size_t k = 0; k < jurs->n; k++) {
        const struct policy_jurisdiction *j =
            policy_jurisdiction(p, jurs->v[k]);

        xml_writer_start(w, "jurisdiction");
        xml_writer_attr(w, "id", jurs->v[k]);
        rx_bool(w, "known", j != NULL);
        if (j != NULL) {
            xml_writer_attr(w, "title", j->title);
            xml_writer_attr(w, "law", j->law);
            xml_writer_attr(w, "statute", j->statute);
            xml_writer_attr(w, "effective", j->effective);
            rx_long(w, "deadline", j->deadline_days);
            rx_long(w, "extension", j->extension_days);
            xml_writer_attr(w, "deadline-period", j->deadline_period);
            xml_writer_attr(w, "extension-period", j->extension_period);
            xml_writer_attr(w, "deadline-statute", j->deadline_statute);
        }
        xml_writer_end_empty(w);
    }
    for (size_t i = 0; i < p->nrights; i++) {
        const struct policy_right *rt = &p->rights[i];
        const struct disclose_handler *h = rx_handler(g, rt->id);

        xml_writer_start(w, "right");
        xml_writer_attr(w, "id", rt->id);
        xml_writer_attr(w, "title", rt->title);
        for (size_t k = 0; k < jurs->n; k++) {
            const struct policy_jurisdiction *j =
                policy_jurisdiction(p, jurs->v[k]);
            long deadline = 0, ext = 0, days;
            const char *statute = NULL, *dstatute = NULL;
            const char *period[2] = { NULL, NULL };
            bool required = false, offered = false;

            if (j != NULL) {
                for (size_t q = 0; q < j->requires.n && !required; q++)
                    if (strcmp(j->requires.v[q], rt->id) == 0) {
                        required = true;
                        statute = q < j->requires_statutes.n
                                      ? j->requires_statutes.v[q]
                                      : NULL;
                        deadline = j->deadline_days;
                        ext = j->extension_days;
                        period[0] = j->deadline_period;
                        period[1] = j->extension_period;
                        dstatute = j->deadline_statute;
                        /* A deadline the law sets for this right alone. */
                        if (q < j->requires_days.n &&
                            rx_days(j->requires_days.v[q], &days)) {
                            deadline = days;
                            ext = 0;
                            period[0] = q < j->requires_periods.n
                                            ? j->requires_periods.v[q]
                                            : NULL;
                            dstatute = statute;
                        }
                    }
                offered = strv_has(&j->offers, rt->id);
                if (!required) {
                    deadline = j->deadline_days;
                    ext = j->extension_days;
                    period[0] = j->deadline_period;
                    period[1] = j->extension_period;
                    dstatute = j->deadline_statute;
                }
                if (statute != NULL && *statute == '\0')
                    statute = NULL;
            }
            rx_cell(w, jurs->v[k], required, offered, h != NULL,
                    h != NULL ? h->days : NULL, h != NULL ? h->line : 0,
                    deadline, ext, period, statute, dstatute);
        }
        xml_writer_end(w);
    }
    /* The appeal is its own row. */
    xml_writer_start(w, "right");
    xml_writer_attr(w, "id", "appeal");
    xml_writer_attr(w, "title", "Appeal of a refused request");
    for (size_t k = 0; k < jurs->n; k++) {
        const struct policy_jurisdiction *j =
            policy_jurisdiction(p, jurs->v[k]);
        bool required = j != NULL && j->appeal_required;
        const char *const days_only[2] = { NULL, NULL };

        rx_cell(w, jurs->v[k], required, p->appeal_channel != NULL, g->appeal,
                g->appeal_days, g->appeal_line, required ? j->appeal_days : 0,
                required ? j->appeal_extension_days : 0, days_only,
                required ? j->appeal_statute : NULL,
                required ? j->appeal_statute : NULL);
    }
    xml_writer_end(w);
    xml_writer_end(w);
}

static pc_status
rx_rights(struct report *r, struct xml_writer *w)
{
    const pc_results *res = r->results;
    pc_status st = PC_OK;

    if (r->meta->policy == NULL)
        return PC_OK;
    for (size_t i = 0; i < res->nrights && st == PC_OK; i++) {
        struct strv jurs = STRV_INIT;

        if (res->rights[i].jurisdictions != NULL)
            st = strv_split(&jurs, res->rights[i].jurisdictions);
        if (st == PC_OK)
            rx_rights_one(r, w, &res->rights[i], &jurs);
        strv_free(&jurs);
    }
    return st;
}

/* ------------------------------------------------------------------ */
/* The data map: per manifest, each category with where it goes. */

struct rx_cat {
    char *id;
    bool sensitive_data;
    struct strv stores, rtypes, purposes;
};

static pc_status
rx_datamap_one(struct report *r, struct xml_writer *w, const char *file,
               const char *application)
{
    const pc_results *res = r->results;
    const pc_policy *p = r->meta->policy;
    struct rx_cat *cats = NULL;
    size_t ncats = 0;
    struct strv split = STRV_INIT;
    pc_status st = PC_OK;

    for (size_t i = 0; i < res->ndisclosures && st == PC_OK; i++) {
        const struct disclose_item *it = &res->disclosures[i];

        if (strcmp(it->aspect, DISCLOSE_DATA) != 0 ||
            strcmp(it->file, file) != 0 || it->categories == NULL)
            continue;
        strv_free(&split);
        if ((st = strv_split(&split, it->categories)) != PC_OK)
            break;
        for (size_t k = 0; k < split.n && st == PC_OK; k++) {
            struct rx_cat *c = NULL;

            for (size_t q = 0; q < ncats && c == NULL; q++)
                if (strcmp(cats[q].id, split.v[k]) == 0)
                    c = &cats[q];
            if (c == NULL) {
                struct rx_cat *v = realloc(cats, (ncats + 1) * sizeof *v);

                if (v == NULL) {
                    st = PC_ENOMEM;
                    break;
                }
                cats = v;
                c = &cats[ncats++];
                memset(c, 0, sizeof *c);
                if ((c->id = strdup(split.v[k])) == NULL) {
                    st = PC_ENOMEM;
                    break;
                }
            }
            c->sensitive_data = c->sensitive_data || it->sensitive;
            if (it->to_kind != NULL && strcmp(it->to_kind, "store") == 0 &&
                it->to != NULL)
                st = strv_add_unique(&c->stores, it->to);
            else if (it->recipient_type != NULL)
                st = strv_add_unique(&c->rtypes, it->recipient_type);
            if (st == PC_OK && it->purpose != NULL)
                st = strv_add_unique(&c->purposes, it->purpose);
        }
    }
    xml_writer_start(w, "data-map");
    xml_writer_attr(w, "file", file);
    xml_writer_attr(w, "application", application);
    for (size_t q = 0; q < ncats && st == PC_OK; q++) {
        const struct policy_category *pcat =
            p != NULL ? policy_category(p, cats[q].id) : NULL;

        xml_writer_start(w, "category");
        xml_writer_attr(w, "id", cats[q].id);
        xml_writer_attr(w, "title", pcat != NULL ? pcat->title : NULL);
        rx_bool(w, "declared", pcat != NULL);
        rx_bool(w, "sensitive",
                (pcat != NULL && pcat->sensitive) || cats[q].sensitive_data);
        for (size_t k = 0; k < cats[q].stores.n; k++) {
            xml_writer_start(w, "store");
            xml_writer_attr(w, "id", cats[q].stores.v[k]);
            xml_writer_end_empty(w);
        }
        for (size_t k = 0; k < cats[q].rtypes.n; k++) {
            xml_writer_start(w, "recipient-type");
            xml_writer_attr(w, "id", cats[q].rtypes.v[k]);
            xml_writer_end_empty(w);
        }
        for (size_t k = 0; k < cats[q].purposes.n; k++) {
            xml_writer_start(w, "purpose");
            xml_writer_attr(w, "id", cats[q].purposes.v[k]);
            xml_writer_end_empty(w);
        }
        xml_writer_end(w);
    }
    xml_writer_end(w);
    for (size_t q = 0; q < ncats; q++) {
        free(cats[q].id);
        strv_free(&cats[q].stores);
        strv_free(&cats[q].rtypes);
        strv_free(&cats[q].purposes);
    }
    free(cats);
    strv_free(&split);
    return st;
}

/* ------------------------------------------------------------------ */
/* Disclosure classes and stale disclosures. */

static pc_status
rx_disclosures(struct report *r, struct xml_writer *w)
{
    const pc_results *res = r->results;
    const pc_policy *p = r->meta->policy;
    size_t counts[DISCLOSE_NCLASSES];
    struct disclose_stale *stale = NULL;
    size_t nstale = 0;
    pc_status st;

    disclose_count(res, counts);
    xml_writer_start(w, "disclosures");
    for (int k = 0; k < DISCLOSE_NCLASSES; k++)
        xml_writer_attr_uint(w, disclose_class_str(k), counts[k]);
    for (size_t i = 0; i < res->ndisclosures; i++) {
        const struct disclose_item *it = &res->disclosures[i];
        const struct policy_clause *c = report_clause(r, it->clause);

        xml_writer_start(w, "item");
        xml_writer_attr(w, "file", it->file);
        xml_writer_attr_uint(w, "line", it->line);
        xml_writer_attr(w, "application", it->application);
        xml_writer_attr(w, "object", it->object);
        xml_writer_attr(w, "flow", it->flow);
        xml_writer_attr(w, "field", it->field);
        xml_writer_attr(w, "aspect", it->aspect);
        xml_writer_attr(w, "value", it->value);
        xml_writer_attr(w, "class", disclose_class_str(it->cls));
        if (c != NULL) {
            xml_writer_start(w, "clause");
            xml_writer_attr(w, "id", c->id);
            xml_writer_attr(w, "section", c->section);
            xml_writer_text(w, c->text);
            xml_writer_end(w);
        }
        xml_writer_end(w);
    }
    xml_writer_end(w);

    if (p == NULL)
        return PC_OK;
    if ((st = disclose_stale(p, res, &stale, &nstale)) != PC_OK)
        return st;
    /* Per clause, in policy order: what it discloses that nothing did. */
    xml_writer_start(w, "stale");
    xml_writer_attr_uint(w, "count", nstale);
    for (size_t c = 0; c < p->nclauses; c++) {
        const struct policy_clause *pc = &p->clauses[c];
        bool open = false;

        for (size_t i = 0; i < nstale; i++) {
            if (!strv_has(stale[i].clauses, pc->id))
                continue;
            if (!open) {
                xml_writer_start(w, "clause");
                xml_writer_attr(w, "id", pc->id);
                xml_writer_attr(w, "section", pc->section);
                rx_elem(w, "text", pc->text);
                open = true;
            }
            xml_writer_start(w, "disclosure");
            xml_writer_attr(w, "kind", stale[i].kind);
            xml_writer_attr(w, "id", stale[i].id);
            xml_writer_attr(w, "title", stale[i].title);
            xml_writer_end_empty(w);
        }
        if (open)
            xml_writer_end(w);
    }
    xml_writer_end(w);
    free(stale);
    return PC_OK;
}

static pc_status
rx_tail(struct report *r, struct xml_writer *w)
{
    pc_status st;

    xml_writer_end(w); /* findings */
    xml_writer_start(w, "absent");
    for (size_t i = 0; i < r->nabsent; i++) {
        const struct pc_finding *f = pc_results_absent(r->results, i);

        xml_writer_start(w, "finding-ref");
        xml_writer_attr(w, "id", f->rule);
        xml_writer_attr(w, "fingerprint", f->fingerprint);
        xml_writer_attr(w, "file", f->file);
        if (f->line > 0)
            xml_writer_attr_uint(w, "line", f->line);
        xml_writer_attr(w, "object", f->object);
        xml_writer_end_empty(w);
    }
    xml_writer_end(w);
    if ((st = rx_coverage(r, w)) != PC_OK || (st = rx_rights(r, w)) != PC_OK)
        return st;
    for (size_t i = 0; i < pc_results_manifest_count(r->results); i++) {
        const struct pc_manifest_info *mi = pc_results_manifest(r->results, i);

        if ((st = rx_datamap_one(r, w, mi->file, mi->application)) != PC_OK)
            return st;
    }
    if ((st = rx_disclosures(r, w)) != PC_OK)
        return st;
    xml_writer_end(w); /* report */
    return PC_OK;
}

/* ------------------------------------------------------------------ */
/* The stream, for this format and for the HTML report. */

pc_status
report_xml_open(struct report *r, FILE *out, struct xml_writer **wp)
{
    pc_status st = xml_writer_open(out, wp);

    if (st == PC_OK)
        rx_head(r, *wp);
    return st;
}

void
report_xml_finding(struct report *r, struct xml_writer *w,
                   const struct pc_finding *f)
{
    rx_finding(r, w, f);
}

pc_status
report_xml_close(struct report *r, struct xml_writer *w)
{
    pc_status st = rx_tail(r, w);
    pc_status cst = xml_writer_close(w);

    return st != PC_OK ? st : cst;
}

static pc_status
report_xml_begin(struct report *r)
{
    struct xml_writer *w;
    pc_status st = report_xml_open(r, r->out, &w);

    if (st == PC_OK)
        r->state = w;
    return st;
}

static pc_status
report_xml_each(struct report *r, const struct pc_finding *f)
{
    report_xml_finding(r, r->state, f);
    return PC_OK;
}

static pc_status
report_xml_end(struct report *r)
{
    struct xml_writer *w = r->state;

    r->state = NULL;
    return report_xml_close(r, w);
}

static void
report_xml_cleanup(struct report *r)
{
    xml_writer_close(r->state);
    r->state = NULL;
}

const struct report_format report_xml = {
    .name = "xml",
    .description = "the whole run as XML (checker/report.rng): findings, "
                   "coverage, rights, data map, disclosures",
    .begin = report_xml_begin,
    .finding = report_xml_each,
    .end = report_xml_end,
    .cleanup = report_xml_cleanup,
    .disclosure_items = PC_ITEMS_ALL,
};
