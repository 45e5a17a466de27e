/* schema-ext.h - composing a pack's manifest extension (rules/README.md,
 * "Manifest extensions") into the manifest schema. */
#ifndef PC_SCHEMA_EXT_H
#define PC_SCHEMA_EXT_H

#include "privcheck.h"

/* The file of a rules directory that extends the manifest format. */
#define SCHEMA_EXT_FILE "manifest-ext.rng"

/* Compose the manifest schema at `base` with the extension fragment at
 * `ext`, check that it declares only attributes in namespaces of its
 * own on elements the manifest has, and compile the result. On PC_OK *out
 * is the composed schema's name, to pass wherever a schema path goes
 * (xml_load, xml_schema, schema_attrs_load); the caller frees the name,
 * the bytes stay with xml.c until xml_cleanup. Every problem of the
 * fragment is said at its file:line. */
pc_status schema_ext_compose(const char *base, const char *ext, pc_diags *d,
                             char **out);

/* The manifest schema of a pack: `base`, or base composed with
 * rules_dir/manifest-ext.rng when that file exists. *out is the
 * caller's. */
pc_status schema_ext_for_rules(const char *base, const char *rules_dir,
                               pc_diags *d, char **out);

#endif
