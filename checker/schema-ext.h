/* schema-ext.h - composing a pack's manifest extension (rules/README.md,
 * "Manifest extensions") into the manifest schema. */
#ifndef PC_SCHEMA_EXT_H
#define PC_SCHEMA_EXT_H

#include "privcheck.h"

/* The file of a rules directory that extends the manifest format. */
#define SCHEMA_EXT_FILE "manifest-ext.rng"

/* Compose the manifest schema at `base` with what the pack adds to it:
 * the extension fragment at `ext` (NULL: none), checked to declare only
 * attributes in namespaces of its own on elements the manifest has; and
 * the policy's vocabularies (NULL: none) where the schema leaves an
 * attribute's values to the policy (pc:closed="true" beside
 * pc:names="KIND": flow/@subject takes the policy's subjects, and its
 * default). The result is compiled. On PC_OK *out is the name to pass
 * wherever a schema path goes (xml_load, xml_schema, schema_attrs_load):
 * `base` itself when nothing was added; the caller frees the name, the
 * bytes stay with xml.c until xml_cleanup. Every problem of the fragment
 * is said at its file:line. */
pc_status schema_ext_compose(const char *base, const char *ext,
                             const pc_policy *policy, pc_diags *d, char **out);

/* The same for a pack: the extension is rules_dir/manifest-ext.rng when
 * that file exists (rules_dir NULL: none). */
pc_status schema_ext_for_rules(const char *base, const char *rules_dir,
                               const pc_policy *policy, pc_diags *d,
                               char **out);

#endif
