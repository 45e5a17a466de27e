/* validate.c - `privcheck validate`: recognise an input by its root
 * namespace and check it against its schema (and, for a policy, its
 * integrity, by loading it). */
#include "config.h"

#include "privcheck.h"

#include "diag.h"
#include "xml.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define NS_PREFIX "urn:privcheck:"

pc_status
pc_validate_file(const struct pc_paths *paths, const char *path, pc_diags *d)
{
    static const struct {
        const char *ns, *what;
        size_t schema; /* offset of the schema member in pc_paths */
    } kinds[] = {
        { NS_PREFIX "policy:1", "policy",
          offsetof(struct pc_paths, policy_schema) },
        { NS_PREFIX "rules:1", "rules",
          offsetof(struct pc_paths, rules_schema) },
        { NS_PREFIX "classifiers:1", "classifiers",
          offsetof(struct pc_paths, classifiers_schema) },
        { NS_PREFIX "manifest:1", "manifest",
          offsetof(struct pc_paths, manifest_schema) },
    };
    char *ns = NULL;
    pc_status st;

    if ((st = xml_root_ns(path, d, &ns)) != PC_OK)
        return st;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        const char *schema;
        xmlDoc *doc = NULL;

        if (strcmp(ns, kinds[i].ns) != 0)
            continue;
        free(ns);
        schema = *(char *const *)((const char *)paths + kinds[i].schema);
        if (schema == NULL || access(schema, R_OK) != 0)
            return diag_fail(d, PC_EIO, diag_loc(d, path, 0, 0),
                             "%s schema not available (%s)", kinds[i].what,
                             schema != NULL ? schema : "no path");
        if (i == 0) {
            pc_policy *p = NULL;

            st = pc_policy_load(path, schema, d, &p);
            pc_policy_free(p);
            return st;
        }
        st = xml_load(path, schema, d, &doc, NULL);
        xmlFreeDoc(doc);
        return st;
    }
    st = diag_fail(d, PC_EINVALID, diag_loc(d, path, 0, 0),
                   "not a privcheck file: root namespace is \"%s\"; expected "
                   "%spolicy:1, rules:1, classifiers:1 or manifest:1",
                   ns, NS_PREFIX);
    free(ns);
    return st;
}
