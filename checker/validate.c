/* validate.c - `privcheck validate`: recognise an input by its root
 * namespace and check it against its schema (and, for a policy, its
 * integrity, by loading it). */
#include "config.h"

#include "privcheck.h"

#include "classify.h"
#include "diag.h"
#include "nearest.h"
#include "rule.h"
#include "schema-check.h"
#include "schema-ext.h"
#include "strbuf.h"
#include "xml.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NS_PREFIX "urn:privcheck:"

/* A rules file is compiled against the policy and the manifest schema, so
 * that validate finds what a load would (unknown functions, clauses the
 * policy lacks), not only what the schema sees. */
static pc_status
validate_rules(const struct pc_paths *paths, const char *path, pc_diags *d)
{
    struct schema_attrs *sa = NULL;
    struct classify_set *cs = NULL;
    struct strbuf classifiers = STRBUF_INIT(0), dir = STRBUF_INIT(0);
    char *schema = NULL;
    pc_policy *p = NULL;
    pc_status st;

    /* The classifiers name the data ids outside the policy that rules may
     * compare with: those beside the file, else the rules directory's. */
    const char *slash = strrchr(path, '/');

    if (strbuf_printf(&classifiers, "%.*s/classifiers.xml",
                      slash != NULL ? (int)(slash - path) : 1,
                      slash != NULL ? path : ".") != PC_OK)
        return PC_ENOMEM;
    /* The manifest extension too: the pack the file is in. */
    if (strbuf_printf(&dir, "%.*s", slash != NULL ? (int)(slash - path) : 1,
                      slash != NULL ? path : ".") != PC_OK) {
        strbuf_free(&classifiers);
        return PC_ENOMEM;
    }
    if (access(strbuf_str(&classifiers), R_OK) != 0) {
        strbuf_free(&classifiers);
        strbuf_free(&dir);
        if (strbuf_printf(&classifiers, "%s/classifiers.xml",
                          paths->rules_dir) != PC_OK ||
            strbuf_puts(&dir, paths->rules_dir) != PC_OK) {
            strbuf_free(&classifiers);
            return PC_ENOMEM;
        }
    }
    if ((st = pc_policy_load(paths->policy, paths->policy_schema, d, &p)) ==
            PC_OK &&
        (st = classify_load(strbuf_str(&classifiers), paths->classifiers_schema,
                            d, &cs)) == PC_OK &&
        (st = schema_ext_for_rules(paths->manifest_schema, strbuf_str(&dir), p,
                                   d, &schema)) == PC_OK &&
        (st = schema_attrs_load(schema, d, &sa)) == PC_OK)
        st = rules_check_file(path, paths->rules_schema, p, sa, cs, d);
    schema_attrs_free(sa);
    classify_free(cs);
    pc_policy_free(p);
    free(schema);
    strbuf_free(&classifiers);
    strbuf_free(&dir);
    return st;
}

static pc_status
validate_classifiers(const struct pc_paths *paths, const char *path,
                     pc_diags *d)
{
    struct classify_set *cs = NULL;
    pc_status st = classify_load(path, paths->classifiers_schema, d, &cs);

    classify_free(cs);
    return st;
}

static pc_status
validate_policy(const struct pc_paths *paths, const char *path, pc_diags *d)
{
    pc_policy *p = NULL;
    pc_status st = pc_policy_load(path, paths->policy_schema, d, &p);

    pc_policy_free(p);
    return st;
}

/* A waivers file is read as a check would read it (its dates too). */
static pc_status
validate_waivers(const struct pc_paths *paths, const char *path, pc_diags *d)
{
    pc_engine *e = NULL;
    pc_waivers *w = pc_waivers_new();
    pc_status st = w != NULL ? pc_engine_load(paths, d, &e) : PC_ENOMEM;

    if (st == PC_OK)
        st = pc_waivers_load(e, w, path, d);
    pc_waivers_free(w);
    pc_engine_free(e);
    return st;
}

static pc_status
validate_manifest(const struct pc_paths *paths, const char *path, pc_diags *d)
{
    xmlDoc *doc = NULL;
    char *schema = NULL;
    pc_policy *p = NULL;
    /* The schema a check would read it with: the pack's extension and
     * the policy's vocabularies (flow/@subject). */
    pc_status st = pc_policy_load(paths->policy, paths->policy_schema, d, &p);

    if (st == PC_OK)
        st = schema_ext_for_rules(paths->manifest_schema, paths->rules_dir, p,
                                  d, &schema);
    if (st == PC_OK)
        st = xml_load(path, schema, d, &doc, NULL);
    xmlFreeDoc(doc);
    free(schema);
    pc_policy_free(p);
    return st;
}

/* A pack's manifest extension (a RELAX NG grammar): composed with the
 * manifest schema and the policy, as a load would. */
static pc_status
validate_extension(const struct pc_paths *paths, const char *path, pc_diags *d)
{
    char *schema = NULL;
    pc_policy *p = NULL;
    pc_status st = pc_policy_load(paths->policy, paths->policy_schema, d, &p);

    if (st == PC_OK)
        st = schema_ext_compose(paths->manifest_schema, path, p, d, &schema);
    free(schema);
    pc_policy_free(p);
    return st;
}

/* Rule tests: the schema; the rule ids they name are checked when they
 * run, against the catalog they run with. */
static pc_status
validate_ruletests(const struct pc_paths *paths, const char *path, pc_diags *d)
{
    xmlDoc *doc = NULL;
    pc_status st = xml_load(path, paths->ruletests_schema, d, &doc, NULL);

    xmlFreeDoc(doc);
    return st;
}

pc_status
pc_validate_file(const struct pc_paths *paths, const char *path, pc_diags *d)
{
    static const struct {
        const char *ns, *what;
        size_t schema; /* offset of the schema member in pc_paths */
        pc_status (*check)(const struct pc_paths *, const char *, pc_diags *);
    } kinds[] = {
        { NS_PREFIX "policy:1", "policy",
          offsetof(struct pc_paths, policy_schema), validate_policy },
        { NS_PREFIX "rules:1", "rules", offsetof(struct pc_paths, rules_schema),
          validate_rules },
        { NS_PREFIX "classifiers:1", "classifiers",
          offsetof(struct pc_paths, classifiers_schema), validate_classifiers },
        { NS_PREFIX "manifest:1", "manifest",
          offsetof(struct pc_paths, manifest_schema), validate_manifest },
        { NS_PREFIX "waivers:1", "waivers",
          offsetof(struct pc_paths, waivers_schema), validate_waivers },
        { NS_PREFIX "ruletests:1", "rule tests",
          offsetof(struct pc_paths, ruletests_schema), validate_ruletests },
        /* manifest-ext.rng: the manifest schema is what it extends */
        { "http://relaxng.org/ns/structure/1.0", "manifest extension",
          offsetof(struct pc_paths, manifest_schema), validate_extension },
    };
    const char *nss[sizeof kinds / sizeof kinds[0]];
    char *ns = NULL, *root = NULL;
    size_t k = SIZE_MAX;
    pc_status st;

    if ((st = xml_root(path, d, &root, &ns)) != PC_OK)
        return st;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        nss[i] = kinds[i].ns;
        if (strcmp(ns, kinds[i].ns) == 0)
            k = i;
    }
    /* A namespace one typo away, or none on the root a schema starts
     * with: the file is meant to be that kind, and its schema says
     * what is wrong, in the words a check would use. */
    if (k == SIZE_MAX) {
        const char *near = nearest_pick(ns, nss, sizeof nss / sizeof nss[0]);

        for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
            const char *schema =
                *(char *const *)((const char *)paths + kinds[i].schema);
            char *want = NULL, *want_ns = NULL;

            if (near != NULL && strcmp(near, kinds[i].ns) == 0)
                k = i;
            else if (ns[0] == '\0' && schema != NULL &&
                     access(schema, R_OK) == 0 &&
                     schema_check_root(schema, d, &want, &want_ns) == PC_OK &&
                     strcmp(want, root) == 0)
                k = i;
            free(want);
            free(want_ns);
            if (k != SIZE_MAX)
                break;
        }
    }
    free(root);
    if (k != SIZE_MAX) {
        const char *schema =
            *(char *const *)((const char *)paths + kinds[k].schema);

        free(ns);
        if (schema == NULL || access(schema, R_OK) != 0)
            return diag_fail(d, PC_EIO, diag_loc(d, path, 0, 0),
                             "%s schema not available (%s)", kinds[k].what,
                             schema != NULL ? schema : "no path");
        return kinds[k].check(paths, path, d);
    }
    st = diag_fail(d, PC_EINVALID, diag_loc(d, path, 0, 0),
                   "not a privcheck file: root namespace is \"%s\"; expected "
                   "%spolicy:1, rules:1, classifiers:1, manifest:1, waivers:1 "
                   "or ruletests:1, or a manifest extension (RELAX NG)",
                   ns, NS_PREFIX);
    free(ns);
    return st;
}
