/* schema-ext.c - a pack's manifest extension: a RELAX NG fragment that
 * declares, per manifest element, attributes in the pack's own namespace.
 * It is composed into the manifest schema at load, so one schema
 * validates (libxml2), explains (schema-check.c) and tells the rule
 * compiler what exists (schema-xml.c); foreign content no pack declares
 * stays invalid. */
#include "config.h"

#include "schema-ext.h"

#include "diag.h"
#include "manifest.h"
#include "nearest.h"
#include "policy.h"
#include "strbuf.h"
#include "strv.h"
#include "xml.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>

#include <libxml/tree.h>

#define RNG_NS "http://relaxng.org/ns/structure/1.0"
#define RNG_A_NS "http://relaxng.org/ns/compatibility/annotations/1.0"
#define PC_SCHEMA_NS "urn:privcheck:schema:1"

/* Namespaces an extension may not take: the formats' own. */
static const char *const reserved_ns[] = {
    RNG_NS,
    RNG_A_NS,
    "http://www.w3.org/XML/1998/namespace",
    "http://www.w3.org/2000/xmlns/",
};

struct ext {
    pc_diags *d;
    xmlDoc *base, *frag;
    const char *base_path, *ext_path;
    struct strv elements; /* the base schema's element names */
    struct strv ns;       /* pairs: URI, prefix, as the fragment binds them */
    size_t errors;
};

static struct pc_loc
ext_loc(struct ext *x, const xmlNode *n)
{
    return xml_loc(x->d, x->frag, n);
}

/* Record a problem of the fragment and go on, so that every one is said;
 * PC_ENOMEM stays a hard failure. */
static pc_status PC_PRINTF(3, 4)
    ext_error(struct ext *x, const xmlNode *n, const char *fmt, ...)
{
    va_list ap;
    pc_status st;

    va_start(ap, fmt);
    st = diag_vadd(x->d, PC_SEV_ERROR, ext_loc(x, n), fmt, ap);
    va_end(ap);
    x->errors++;
    return st;
}

static const char *
ext_prop(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a != NULL; a = a->next)
        if (a->ns == NULL && xmlStrcmp(a->name, BAD_CAST name) == 0 &&
            a->children != NULL)
            return (const char *)a->children->content;
    return NULL;
}

static bool
ext_rng(const xmlNode *n, const char *name)
{
    return xml_is(n, RNG_NS, name);
}

static pc_status
ext_collect_elements(struct ext *x, const xmlNode *n)
{
    pc_status st = PC_OK;

    for (; n != NULL && st == PC_OK; n = n->next) {
        const char *name;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (ext_rng(n, "element") && (name = ext_prop(n, "name")) != NULL)
            st = strv_add_unique(&x->elements, name);
        if (st == PC_OK)
            st = ext_collect_elements(x, n->children);
    }
    return st;
}

/* The <element name="kind"> pattern of the base schema. */
static xmlNode *
ext_find_element(xmlNode *n, const char *kind)
{
    for (; n != NULL; n = n->next) {
        xmlNode *hit;
        const char *name;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (ext_rng(n, "element") && (name = ext_prop(n, "name")) != NULL &&
            strcmp(name, kind) == 0)
            return n;
        if ((hit = ext_find_element(n->children, kind)) != NULL)
            return hit;
    }
    return NULL;
}

static bool
ext_reserved(const char *uri)
{
    /* privcheck's formats are urn:privcheck:NAME:1; the packs shipped
     * with it take urn:privcheck:pack:... */
    if (strcmp(uri, MANIFEST_NS) == 0 ||
        (strncmp(uri, "urn:privcheck:", 14) == 0 &&
         strncmp(uri, "urn:privcheck:pack:", 19) != 0))
        return true;
    for (size_t i = 0; i < sizeof reserved_ns / sizeof reserved_ns[0]; i++)
        if (strcmp(uri, reserved_ns[i]) == 0)
            return true;
    return false;
}

/* An extension attribute: name="prefix:local", the prefix bound to a
 * namespace of the pack's own, the same one wherever it is used. */
static pc_status
ext_attribute(struct ext *x, const xmlNode *n)
{
    const char *name = ext_prop(n, "name");
    const char *colon = name != NULL ? strchr(name, ':') : NULL;
    char prefix[64];
    xmlNs *ns;

    if (name == NULL || ext_prop(n, "ns") != NULL)
        return ext_error(x, n,
                         "an extension attribute is named with the pack's "
                         "prefix (name=\"prefix:local\"), not by ns or a "
                         "name class");
    if (colon == NULL || colon == name || colon[1] == '\0' ||
        (size_t)(colon - name) >= sizeof prefix)
        return ext_error(x, n,
                         "attribute '%s' is not in a namespace: an extension "
                         "declares attributes of its own namespace "
                         "(name=\"prefix:%s\")",
                         name, colon != NULL ? colon + 1 : name);
    memcpy(prefix, name, (size_t)(colon - name));
    prefix[colon - name] = '\0';
    ns = xmlSearchNs(x->frag, (xmlNode *)n, BAD_CAST prefix);
    if (ns == NULL || ns->href == NULL)
        return ext_error(x, n,
                         "prefix '%s' of attribute '%s' is not bound to a "
                         "namespace (xmlns:prefix=\"...\")",
                         prefix, name);
    if (ext_reserved((const char *)ns->href))
        return ext_error(x, n,
                         "attribute '%s' is in namespace %s, which belongs "
                         "to privcheck or XML: a pack names its own",
                         name, (const char *)ns->href);
    for (size_t i = 0; i + 1 < x->ns.n; i += 2) {
        bool same_uri = strcmp(x->ns.v[i], (const char *)ns->href) == 0;
        bool same_prefix = strcmp(x->ns.v[i + 1], prefix) == 0;

        if (same_uri && same_prefix)
            return PC_OK;
        if (same_uri || same_prefix)
            return ext_error(x, n,
                             "prefix '%s' and namespace %s: one prefix per "
                             "namespace in an extension, and one namespace "
                             "per prefix",
                             prefix, (const char *)ns->href);
    }
    if (strv_push(&x->ns, (const char *)ns->href) != PC_OK ||
        strv_push(&x->ns, prefix) != PC_OK)
        return PC_ENOMEM;
    return PC_OK;
}

/* What a define may hold: attributes, optional or in a choice, and inside
 * an attribute any value pattern (refs name the base schema's defines,
 * such as word or boolean). Elements are not extensions (yet). */
static pc_status
ext_pattern(struct ext *x, const xmlNode *n)
{
    pc_status st = PC_OK;

    if (n->type != XML_ELEMENT_NODE)
        return PC_OK;
    if (n->ns == NULL || xmlStrcmp(n->ns->href, BAD_CAST RNG_NS) != 0)
        return PC_OK; /* an annotation */
    if (ext_rng(n, "attribute"))
        return ext_attribute(x, n);
    if (ext_rng(n, "optional") || ext_rng(n, "choice") || ext_rng(n, "group")) {
        for (const xmlNode *c = n->children; c != NULL && st == PC_OK;
             c = c->next)
            st = ext_pattern(x, c);
        return st;
    }
    if (ext_rng(n, "element"))
        return ext_error(x, n,
                         "<element> in an extension: a pack extends "
                         "manifest elements with attributes only");
    return ext_error(x, n,
                     "<%s> in an extension: a define holds <attribute>, "
                     "<optional>, <choice> or <group>",
                     (const char *)n->name);
}

/* Every define names the manifest element it extends. */
static pc_status
ext_define(struct ext *x, xmlNode *def)
{
    const char *kind = ext_prop(def, "name");
    xmlNode *target;
    pc_status st = PC_OK;

    if (kind == NULL)
        return ext_error(x, def, "<define> without a name");
    target = ext_find_element(xmlDocGetRootElement(x->base), kind);
    if (target == NULL) {
        const char *near = nearest_pick(
            kind, (const char *const *)x->elements.v, x->elements.n);
        char hint[160] = "";

        if (near != NULL)
            snprintf(hint, sizeof hint, "; did you mean '%s'?", near);
        return ext_error(x, def,
                         "<define name=\"%s\">: the manifest has no element "
                         "'%s' to extend%s",
                         kind, kind, hint);
    }
    for (const xmlNode *c = def->children; c != NULL && st == PC_OK;
         c = c->next)
        st = ext_pattern(x, c);
    return st;
}

/* Copy the define's patterns into the element's, first, so that they do
 * not stand between its child elements. The copies keep the datatype
 * library they had in the fragment (its nearest datatypeLibrary). */
static pc_status
ext_graft(struct ext *x, const xmlNode *def)
{
    xmlNode *target =
        ext_find_element(xmlDocGetRootElement(x->base), ext_prop(def, "name"));
    xmlNode *first = target->children;

    for (const xmlNode *c = def->children; c != NULL; c = c->next) {
        xmlNode *copy;
        const xmlNode *p;
        const char *lib = NULL;

        if (c->type != XML_ELEMENT_NODE || c->ns == NULL ||
            xmlStrcmp(c->ns->href, BAD_CAST RNG_NS) != 0)
            continue; /* annotations stay in the fragment */
        for (p = c; p != NULL && p->type == XML_ELEMENT_NODE && lib == NULL;
             p = p->parent)
            lib = ext_prop(p, "datatypeLibrary");
        if ((copy = xmlDocCopyNode((xmlNode *)c, x->base, 1)) == NULL)
            return PC_ENOMEM;
        /* None in the fragment is RELAX NG's built-in library, not the
         * one the manifest schema's root would lend the copy. */
        if (ext_prop(copy, "datatypeLibrary") == NULL &&
            xmlSetProp(copy, BAD_CAST "datatypeLibrary",
                       BAD_CAST(lib != NULL ? lib : "")) == NULL) {
            xmlFreeNode(copy);
            return PC_ENOMEM;
        }
        if (first != NULL ? xmlAddPrevSibling(first, copy) == NULL
                          : xmlAddChild(target, copy) == NULL) {
            xmlFreeNode(copy);
            return PC_ENOMEM;
        }
    }
    return PC_OK;
}

/* The pack's namespaces on the composed grammar's root, so the prefixed
 * names resolve there and schema-xml.c learns which prefix each takes. */
static pc_status
ext_declare(struct ext *x)
{
    xmlNode *root = xmlDocGetRootElement(x->base);

    for (size_t i = 0; i + 1 < x->ns.n; i += 2) {
        xmlNs *have = xmlSearchNs(x->base, root, BAD_CAST x->ns.v[i + 1]);

        if (have != NULL) {
            if (xmlStrcmp(have->href, BAD_CAST x->ns.v[i]) == 0)
                continue;
            return diag_fail(x->d, PC_EINVALID,
                             diag_loc(x->d, x->ext_path, 0, 0),
                             "prefix '%s' is the manifest schema's own: "
                             "name the pack's namespace another way",
                             x->ns.v[i + 1]);
        }
        if (xmlNewNs(root, BAD_CAST x->ns.v[i], BAD_CAST x->ns.v[i + 1]) ==
            NULL)
            return PC_ENOMEM;
    }
    return xmlReconciliateNs(x->base, root) < 0 ? PC_ENOMEM : PC_OK;
}

/* Apply the fragment at ext to the base schema in x. */
static pc_status
ext_apply(struct ext *x, const char *ext)
{
    xmlNode *root;
    pc_status st;

    if ((st = xml_load(ext, NULL, x->d, &x->frag, NULL)) != PC_OK)
        return st;
    root = xmlDocGetRootElement(x->frag);
    if (!ext_rng(root, "grammar"))
        return diag_fail(x->d, PC_EINVALID, ext_loc(x, root),
                         "a manifest extension is a RELAX NG <grammar> "
                         "(namespace %s) of <define>s, one per manifest "
                         "element it extends",
                         RNG_NS);
    /* A whole schema is not an extension: said once, not per define. */
    for (xmlNode *c = root->children; c != NULL; c = c->next)
        if (ext_rng(c, "start"))
            return diag_fail(x->d, PC_EINVALID, ext_loc(x, c),
                             "a RELAX NG schema with a <start>, not a "
                             "manifest extension (only <define>s, one per "
                             "manifest element it extends)");
    if ((st = ext_collect_elements(x, xmlDocGetRootElement(x->base))) != PC_OK)
        return st;
    for (xmlNode *c = root->children; c != NULL && st == PC_OK; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || c->ns == NULL ||
            xmlStrcmp(c->ns->href, BAD_CAST RNG_NS) != 0)
            continue;
        if (ext_rng(c, "define"))
            st = ext_define(x, c);
        else
            st = ext_error(x, c,
                           "<%s> in an extension: it holds only <define>s, "
                           "one per manifest element it extends",
                           (const char *)c->name);
    }
    if (st == PC_OK && x->errors > 0)
        st = PC_EINVALID;
    if (st == PC_OK && x->ns.n == 0)
        st = diag_fail(x->d, PC_EINVALID, ext_loc(x, root),
                       "the extension declares no attribute");
    for (xmlNode *c = root->children; c != NULL && st == PC_OK; c = c->next)
        if (ext_rng(c, "define"))
            st = ext_graft(x, c);
    return st == PC_OK ? ext_declare(x) : st;
}

static const char *
ext_pc_prop(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a != NULL; a = a->next)
        if (a->ns != NULL &&
            xmlStrcmp(a->ns->href, BAD_CAST PC_SCHEMA_NS) == 0 &&
            xmlStrcmp(a->name, BAD_CAST name) == 0 && a->children != NULL)
            return (const char *)a->children->content;
    return NULL;
}

/* An attribute the base schema leaves to the policy (pc:closed="true"
 * beside pc:names="KIND"): its values become the policy's ids of that
 * kind, closed, and its default the policy's for that kind. */
static pc_status
ext_close(struct ext *x, xmlNode *attr, const pc_policy *policy, bool *did)
{
    const char *kind = ext_pc_prop(attr, "names");
    const char *dflt;
    struct strv ids = STRV_INIT;
    xmlNode *choice, *next;
    pc_status st;

    if (kind == NULL)
        return diag_fail(x->d, PC_EINVALID, diag_loc(x->d, x->base_path, 0, 0),
                         "pc:closed without pc:names on attribute %s",
                         ext_prop(attr, "name"));
    if ((st = policy_names(policy, kind, &ids)) != PC_OK || ids.n == 0)
        goto out; /* the policy says nothing: the schema's words stand */
    /* The value patterns go; annotations stay. */
    for (xmlNode *c = attr->children; c != NULL; c = next) {
        next = c->next;
        if (c->type == XML_ELEMENT_NODE && c->ns != NULL &&
            xmlStrcmp(c->ns->href, BAD_CAST RNG_NS) == 0) {
            xmlUnlinkNode(c);
            xmlFreeNode(c);
        }
    }
    choice = xmlNewChild(attr, attr->ns, BAD_CAST "choice", NULL);
    if (choice == NULL) {
        st = PC_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < ids.n; i++)
        if (xmlNewTextChild(choice, attr->ns, BAD_CAST "value",
                            BAD_CAST ids.v[i]) == NULL) {
            st = PC_ENOMEM;
            goto out;
        }
    dflt = policy_default(policy, kind);
    if (dflt != NULL) {
        xmlNs *a = xmlSearchNsByHref(x->base, attr, BAD_CAST RNG_A_NS);

        if (a == NULL || xmlSetNsProp(attr, a, BAD_CAST "defaultValue",
                                      BAD_CAST dflt) == NULL) {
            st = PC_ENOMEM;
            goto out;
        }
    }
    *did = true;
out:
    strv_free(&ids);
    return st;
}

static pc_status
ext_close_all(struct ext *x, xmlNode *n, const pc_policy *policy, bool *did)
{
    pc_status st = PC_OK;

    for (; n != NULL && st == PC_OK; n = n->next) {
        const char *closed;

        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (ext_rng(n, "attribute") &&
            (closed = ext_pc_prop(n, "closed")) != NULL &&
            strcmp(closed, "true") == 0) {
            st = ext_close(x, n, policy, did);
            continue;
        }
        st = ext_close_all(x, n->children, policy, did);
    }
    return st;
}

pc_status
schema_ext_compose(const char *base, const char *ext, const pc_policy *policy,
                   pc_diags *d, char **out)
{
    struct ext x = { .d = d,
                     .base_path = base,
                     .ext_path = ext,
                     .elements = STRV_INIT,
                     .ns = STRV_INIT };
    struct strbuf name = STRBUF_INIT(0);
    xmlChar *bytes = NULL;
    bool closed = false;
    int len = 0;
    pc_status st;

    *out = NULL;
    if ((st = xml_load(base, NULL, d, &x.base, NULL)) != PC_OK)
        goto out;
    if (ext != NULL && (st = ext_apply(&x, ext)) != PC_OK)
        goto out;
    if (policy != NULL && (st = ext_close_all(&x, xmlDocGetRootElement(x.base),
                                              policy, &closed)) != PC_OK)
        goto out;
    if (ext == NULL && !closed) {
        st = (*out = strdup(base)) != NULL ? PC_OK : PC_ENOMEM;
        goto out;
    }
    xmlDocDumpMemory(x.base, &bytes, &len);
    if (bytes == NULL || len <= 0) {
        st = PC_ENOMEM;
        goto out;
    }
    /* The name says what went in: the policy by its digest, so that two
     * policies (policy diff) never share a composed schema. */
    if ((st = strbuf_puts(&name, base)) != PC_OK ||
        (ext != NULL &&
         (st = strbuf_printf(&name, " (with %s)", ext)) != PC_OK) ||
        (closed && (st = strbuf_printf(&name, " (for policy %s %.12s)",
                                       policy->id != NULL ? policy->id : "",
                                       policy->sha256)) != PC_OK) ||
        (st = xml_memdoc_put(strbuf_str(&name), (const char *)bytes,
                             (size_t)len, d)) != PC_OK)
        goto out;
    /* Compile it now, so that a fragment that breaks the grammar is said
     * once, at load, against the extension's name. */
    {
        xmlRelaxNGPtr compiled;

        if ((st = xml_schema(strbuf_str(&name), d, &compiled)) == PC_ENOMEM)
            goto out;
        if (st != PC_OK) {
            st = diag_fail(d, PC_EINVALID,
                           diag_loc(d, ext != NULL ? ext : base, 0, 0),
                           "the manifest schema %s does not compile%s%s", base,
                           ext != NULL ? " with this extension" : "",
                           closed ? " with the policy's vocabularies" : "");
            goto out;
        }
    }
    if ((*out = strbuf_detach(&name)) == NULL)
        st = PC_ENOMEM;
out:
    xmlFree(bytes);
    strbuf_free(&name);
    strv_free(&x.elements);
    strv_free(&x.ns);
    xmlFreeDoc(x.base);
    xmlFreeDoc(x.frag);
    return st;
}

pc_status
schema_ext_for_rules(const char *base, const char *rules_dir,
                     const pc_policy *policy, pc_diags *d, char **out)
{
    struct strbuf ext = STRBUF_INIT(0);
    struct stat sb;
    bool have = false;
    pc_status st;

    *out = NULL;
    if (rules_dir != NULL) {
        if ((st = strbuf_printf(&ext, "%s/%s", rules_dir, SCHEMA_EXT_FILE)) !=
            PC_OK)
            return st;
        /* Absent: the pack extends nothing. Anything else there is read,
         * and fails as any input does. */
        have = !(stat(strbuf_str(&ext), &sb) != 0 && errno == ENOENT);
    }
    st = schema_ext_compose(base, have ? strbuf_str(&ext) : NULL, policy, d,
                            out);
    strbuf_free(&ext);
    return st;
}
