/* engine.c - the library's front door: load a policy, its classifiers and
 * rules into one immutable engine, audit manifests with it, and write
 * reports about the results. */
#include "config.h"

#include "privcheck.h"

#include "classify.h"
#include "diag.h"
#include "engine.h"
#include "eval.h"
#include "map.h"
#include "paths.h"
#include "pattern.h"
#include "policy.h"
#include "report.h"
#include "results.h"
#include "rule.h"
#include "schema-ext.h"
#include "sha256.h"
#include "strbuf.h"
#include "waiver.h"
#include "xml.h"

#include <stdlib.h>
#include <string.h>

#define CLASSIFIERS_FILE "classifiers.xml"

struct pc_engine {
    pc_policy *policy;
    struct schema_attrs *schema;
    struct classify_set *classifiers;
    struct ruleset *rules;
    char *manifest_schema, *waivers_schema;
    char *stylesheet; /* the HTML report's; NULL: none */
    char sha256[65];  /* over the classifiers and the rules files */
};

const struct ruleset *
engine_rules(const pc_engine *e)
{
    return e->rules;
}

void
pc_engine_free(pc_engine *e)
{
    if (e == NULL)
        return;
    rules_free(e->rules);
    classify_free(e->classifiers);
    schema_attrs_free(e->schema);
    pc_policy_free(e->policy);
    free(e->manifest_schema);
    free(e->waivers_schema);
    free(e->stylesheet);
    free(e);
}

pc_status
pc_engine_load(const struct pc_paths *paths, pc_diags *d, pc_engine **out)
{
    struct strbuf path = STRBUF_INIT(0), both = STRBUF_INIT(0);
    pc_engine *e = calloc(1, sizeof *e);
    pc_status st, worst = PC_OK;

    if (e == NULL)
        return PC_ENOMEM;
    xml_init();
    if (paths->stylesheet != NULL &&
        (e->stylesheet = strdup(paths->stylesheet)) == NULL) {
        st = PC_ENOMEM;
        goto out;
    }
    /* Load all three even when one fails, to report every problem. */
    worst = pc_policy_load(paths->policy, paths->policy_schema, d, &e->policy);
    /* The pack may extend the manifest format, and the policy closes the
     * vocabularies the format leaves to it: every manifest is read with
     * the composed schema. */
    if ((st = schema_ext_for_rules(paths->manifest_schema, paths->rules_dir,
                                   e->policy, d, &e->manifest_schema)) != PC_OK)
        goto out;
    if ((st = strbuf_printf(&path, "%s/%s", paths->rules_dir,
                            CLASSIFIERS_FILE)) != PC_OK)
        goto out;
    st = classify_load(strbuf_str(&path), paths->classifiers_schema, d,
                       &e->classifiers);
    if (st != PC_OK)
        worst = st;
    st = schema_attrs_load(e->manifest_schema, d, &e->schema);
    if (st != PC_OK) {
        worst = st;
        goto out;
    }
    /* Rules may range over waivers too: the waivers' elements, and what
     * waiver.c computes about each. */
    if (paths->waivers_schema != NULL &&
        ((e->waivers_schema = strdup(paths->waivers_schema)) == NULL ||
         (st = schema_attrs_load_more(e->schema, paths->waivers_schema, d)) !=
             PC_OK ||
         (st = waiver_extend_schema(e->schema)) != PC_OK)) {
        st = st != PC_OK ? st : PC_ENOMEM;
        worst = st;
        goto out;
    }
    if (worst != PC_OK) {
        st = worst;
        goto out;
    }
    if ((st = rules_load(paths->rules_dir, paths->rules_schema, e->policy,
                         e->schema, e->classifiers, d, &e->rules)) != PC_OK)
        goto out;
    /* What `sha256sum classifiers.xml *.rules.xml` prints in the rules
     * directory (doc/json-report.md): reproducible from the files. */
    if ((st =
             strbuf_printf(&both, "%s  %s\n%s", classify_sha256(e->classifiers),
                           CLASSIFIERS_FILE, e->rules->listing)) != PC_OK)
        goto out;
    sha256_hex(strbuf_str(&both), both.len, e->sha256);
    pattern_store_save();
    *out = e;
    e = NULL;
out:
    strbuf_free(&path);
    strbuf_free(&both);
    pc_engine_free(e);
    return st;
}

void
engine_eval_engine(const pc_engine *e, struct eval_engine *out)
{
    struct eval_engine ee = {
        e->policy,          e->rules, e->schema, e->classifiers,
        e->manifest_schema, NULL,     0,         PC_ITEMS_ALL
    };

    *out = ee;
}

const char *
engine_waivers_schema(const pc_engine *e)
{
    return e->waivers_schema;
}

const pc_policy *
pc_engine_policy(const pc_engine *e)
{
    return e->policy;
}

const char *
pc_engine_rules_sha256(const pc_engine *e)
{
    return e->sha256;
}

size_t
pc_engine_rule_count(const pc_engine *e)
{
    return e->rules->nrules;
}

const struct pc_rule_info *
pc_engine_rule(const pc_engine *e, size_t i)
{
    return i < e->rules->nrules ? &e->rules->rules[i]->info : NULL;
}

const struct pc_rule_info *
pc_engine_rule_find(const pc_engine *e, const char *id)
{
    const struct rule *r = map_get(e->rules->by_id, id);

    return r != NULL ? &r->info : NULL;
}

/* What the engine adds to a classifier's answer: whether the policy
 * declares the element, and whether it calls it sensitive. */
static void
engine_classification(const pc_engine *e, const struct classify_result *cr,
                      struct pc_classification *out)
{
    const struct policy_element *el;

    memset(out, 0, sizeof *out);
    out->element = cr->element;
    out->classifier = cr->classifier;
    out->pattern = cr->pattern;
    out->sensitive = cr->sensitive;
    if (cr->element != NULL) {
        el = policy_element(e->policy, cr->element);
        out->declared =
            el != NULL || policy_category(e->policy, cr->element) != NULL;
        if (el != NULL && el->sensitive)
            out->sensitive = true;
    }
}

pc_status
pc_classify_name(const pc_engine *e, const char *name, const char *context,
                 pc_diags *d, struct pc_classification *out)
{
    struct classify_result cr;
    pc_status st;

    memset(out, 0, sizeof *out);
    st = classify_name(e->classifiers, name, context, d,
                       diag_loc(d, NULL, 0, 0), &cr);
    if (st != PC_OK)
        return st;
    engine_classification(e, &cr, out);
    return PC_OK;
}

pc_status
pc_classify_explain(const pc_engine *e, const char *name, const char *context,
                    pc_diags *d,
                    void (*step)(void *, const struct pc_classify_step *),
                    void *arg, struct pc_classification *out)
{
    struct classify_result cr;
    pc_status st;

    memset(out, 0, sizeof *out);
    st = classify_explain(e->classifiers, name, context, d,
                          diag_loc(d, NULL, 0, 0), step, arg, &cr);
    if (st != PC_OK)
        return st;
    engine_classification(e, &cr, out);
    return PC_OK;
}

pc_status
pc_audit(const pc_engine *e, const char *manifest,
         const struct pc_audit_options *opt, pc_diags *d, pc_results *r)
{
    struct eval_engine ee = { e->policy,
                              e->rules,
                              e->schema,
                              e->classifiers,
                              e->manifest_schema,
                              opt != NULL ? opt->trace : NULL,
                              opt != NULL ? opt->max_bytes : 0,
                              opt != NULL ? opt->disclosure_items
                                          : PC_ITEMS_ALL };
    pc_results *scratch = pc_results_new();
    size_t errors = pc_diags_errors(d);
    char *ident = NULL;
    pc_status st;

    if (scratch == NULL)
        return PC_ENOMEM;
    /* Findings land in r only when the whole manifest was audited: a half
     * audit must not look like a clean one, nor like a partial one. */
    st = paths_relative(opt != NULL ? opt->source_root : NULL, manifest, d,
                        &ident);
    if (st == PC_OK)
        st = eval_manifest(&ee, manifest, ident, d, scratch);
    if (st == PC_OK)
        st = pc_results_merge(r, scratch);
    /* Every failure says why, even one no deeper layer described. */
    if (st != PC_OK && pc_diags_errors(d) == errors)
        diag_add(d, PC_SEV_ERROR, diag_loc(d, manifest, 0, 0),
                 "the audit stopped: %s", pc_status_str(st));
    pc_results_free(scratch);
    free(ident);
    return st;
}

pc_status
pc_report_write(const char *format, const pc_engine *e, const pc_results *r,
                const struct pc_report_options *opt, FILE *out, pc_diags *d)
{
    const struct pc_rule_info **rules =
        calloc(e->rules->nrules + 1, sizeof *rules);
    pc_status st;
    struct report_meta meta = {
        .tool = PACKAGE_NAME,
        .tool_version = pc_version(),
        .tool_uri = PC_INFO_URI[0] != '\0' ? PC_INFO_URI : NULL,
        .policy_id = pc_policy_id(e->policy),
        .policy_version = pc_policy_version(e->policy),
        .policy_title = pc_policy_title(e->policy),
        .policy_sha256 = pc_policy_sha256(e->policy),
        .rules_sha256 = e->sha256,
        .rules = rules,
        .nrules = e->rules->nrules,
        .policy = e->policy,
        .stylesheet = e->stylesheet,
    };

    if (rules == NULL)
        return PC_ENOMEM;
    for (size_t i = 0; i < e->rules->nrules; i++)
        rules[i] = &e->rules->rules[i]->info;
    st = report_write(format, &meta, r, opt, out, d);
    free(rules);
    return st;
}
