/* waiver-xml.c - waivers files: reading them (from pull requests, so
 * through xml.c and their schema, like manifests, with dates checked to
 * exist) and appending one waiver (privcheck waive), the new node built
 * and escaped by libxml2, the file validated again and replaced
 * atomically. */
#include "config.h"

#include "waiver.h"

#include "diag.h"
#include "limit.h"
#include "engine.h"
#include "strbuf.h"
#include "xml.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static pc_status
waivers_read(pc_waivers *w, xmlDoc *doc, pc_diags *d, size_t *count)
{
    const xmlNode *root = xmlDocGetRootElement(doc);

    *count = 0;
    for (const xmlNode *n = root->children; n != NULL; n = n->next) {
        struct waiver *x;

        if (!xml_is(n, WAIVERS_NS, "waiver"))
            continue; /* the schema admits nothing else */
        if (++*count > limit_get(LIMIT_WAIVERS))
            return limit_fail(d, xml_loc(d, doc, n), LIMIT_WAIVERS,
                              "more than %llu waivers in one file",
                              limit_get(LIMIT_WAIVERS));
        if (w->n == w->cap) {
            size_t cap = w->cap ? w->cap * 2 : 16;
            struct waiver *v = realloc(w->v, cap * sizeof *v);

            if (v == NULL)
                return PC_ENOMEM;
            w->v = v;
            w->cap = cap;
        }
        x = &w->v[w->n++];
        memset(x, 0, sizeof *x);
        x->line = xml_loc(d, doc, n).line;
        for (size_t k = 0; k < W_NATTRS; k++)
            if ((x->a[k] = xml_attr(n, waiver_attrs[k])) == NULL &&
                xmlHasProp((xmlNode *)n, BAD_CAST waiver_attrs[k]) != NULL)
                return PC_ENOMEM;
        /* The schema checks the shape; whether the day exists is ours. */
        if (!waiver_date(x->a[W_EXPIRES], &x->expires))
            return diag_fail(d, PC_EINVALID, xml_loc(d, doc, n),
                             "expires=\"%s\" is not a date (YYYY-MM-DD)",
                             x->a[W_EXPIRES] != NULL ? x->a[W_EXPIRES] : "");
    }
    return PC_OK;
}

pc_status
pc_waivers_load(const pc_engine *e, pc_waivers *w, const char *path,
                pc_diags *d)
{
    const char *schema = engine_waivers_schema(e);
    struct waiver_file *f;
    xmlDoc *doc = NULL;
    size_t before = w->n, count;
    char sha[65];
    pc_status st;

    if (schema == NULL)
        return diag_fail(d, PC_EINVALID, diag_loc(d, path, 0, 0),
                         "no waivers schema: waivers cannot be read");
    xml_init();
    if ((st = xml_load(path, schema, d, &doc, sha)) != PC_OK)
        return st;
    f = realloc(w->files, (w->nfiles + 1) * sizeof *f);
    if (f == NULL) {
        st = PC_ENOMEM;
        goto out;
    }
    w->files = f;
    if ((st = waivers_read(w, doc, d, &count)) != PC_OK)
        goto out;
    f = &w->files[w->nfiles];
    if ((f->path = strdup(path)) == NULL) {
        st = PC_ENOMEM;
        goto out;
    }
    memcpy(f->sha256, sha, sizeof sha);
    f->first = before;
    f->n = count;
    w->nfiles++;
out:
    /* libxml2 or xml_attr short of memory reads as a missing value:
     * what was loaded cannot be trusted either way. */
    st = xml_settle(st);
    if (st != PC_OK)
        waivers_truncate(w, before);
    xmlFreeDoc(doc);
    return st;
}

/* ------------------------------------------------------------------ */
/* Appending. */

static bool
waiver_blank(const xmlNode *n)
{
    if (n == NULL || n->type != XML_TEXT_NODE)
        return false;
    for (const xmlChar *p = n->content; p != NULL && *p != '\0'; p++)
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            return false;
    return true;
}

/* Add n as the root's last child, on a line of its own, indented by two
 * spaces; the text after the last element (the newline before the
 * closing tag) stays last. */
static pc_status
waiver_insert(xmlNode *root, xmlNode *n)
{
    xmlNode *indent = xmlNewText(BAD_CAST "\n  ");

    if (indent == NULL)
        return PC_ENOMEM;
    /* libxml2 merges adjacent text nodes: the element goes in first, the
     * indent before it. */
    if (waiver_blank(root->last)) {
        if (xmlAddPrevSibling(root->last, n) == NULL ||
            xmlAddPrevSibling(n, indent) == NULL)
            return PC_ENOMEM;
        return PC_OK;
    }
    if (xmlAddChild(root, indent) == NULL || xmlAddChild(root, n) == NULL)
        return PC_ENOMEM;
    return xmlAddChild(root, xmlNewText(BAD_CAST "\n")) != NULL ? PC_OK
                                                                : PC_ENOMEM;
}

static xmlDoc *
waiver_new_doc(void)
{
    xmlDoc *doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNode *root =
        doc != NULL ? xmlNewNode(NULL, BAD_CAST WAIVERS_ROOT) : NULL;
    xmlNs *ns = root != NULL ? xmlNewNs(root, BAD_CAST WAIVERS_NS, NULL) : NULL;

    if (ns == NULL) {
        xmlFreeNode(root);
        xmlFreeDoc(doc);
        return NULL;
    }
    xmlSetNs(root, ns);
    xmlDocSetRootElement(doc, root);
    if (xmlAddChild(root, xmlNewText(BAD_CAST "\n")) == NULL) {
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

pc_status
pc_waiver_append(const pc_engine *e, const char *path,
                 const struct pc_waiver_spec *p, pc_diags *d)
{
    const char *schema = engine_waivers_schema(e);
    const char *vals[W_NATTRS] = {
        [W_RULE] = p->rule,       [W_APP] = p->application,
        [W_OBJECT] = p->object,   [W_FP] = p->fingerprint,
        [W_REASON] = p->reason,   [W_BY] = p->approved_by,
        [W_EXPIRES] = p->expires,
    };
    /* The order a person would write them in. */
    static const int order[] = { W_FP,     W_RULE, W_APP,    W_OBJECT,
                                 W_REASON, W_BY,   W_EXPIRES };
    pc_waivers *check = NULL;
    xmlDoc *doc = NULL;
    xmlNode *root, *n;
    xmlChar *mem = NULL;
    int size = 0;
    pc_atomic *a = NULL;
    FILE *out;
    struct stat sb;
    pc_status st;

    if (schema == NULL)
        return diag_fail(d, PC_EINVALID, diag_loc(d, path, 0, 0),
                         "no waivers schema: waivers cannot be written");
    xml_init();
    /* A file that is there must be a good waivers file: read it as a
     * check would, dates and all, before touching it. */
    if (stat(path, &sb) == 0) {
        if ((check = pc_waivers_new()) == NULL)
            return PC_ENOMEM;
        st = pc_waivers_load(e, check, path, d);
        pc_waivers_free(check);
        if (st != PC_OK ||
            (st = xml_load(path, schema, d, &doc, NULL)) != PC_OK)
            return st;
    } else if ((doc = waiver_new_doc()) == NULL) {
        return PC_ENOMEM;
    }
    root = xmlDocGetRootElement(doc);
    if ((n = xmlNewNode(root->ns, BAD_CAST "waiver")) == NULL) {
        st = PC_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (vals[order[i]] != NULL &&
            xmlNewProp(n, BAD_CAST waiver_attrs[order[i]],
                       BAD_CAST vals[order[i]]) == NULL) {
            xmlFreeNode(n);
            st = PC_ENOMEM;
            goto out;
        }
    if ((st = waiver_insert(root, n)) != PC_OK) {
        if (n->parent == NULL)
            xmlFreeNode(n);
        goto out;
    }
    /* What is written is what a check will accept. */
    if ((st = xml_validate(doc, schema, d)) != PC_OK) {
        diag_add(d, PC_SEV_ERROR, diag_loc(d, path, 0, 0),
                 "the new waiver is not valid; the file is unchanged");
        goto out;
    }
    xmlDocDumpMemoryEnc(doc, &mem, &size, "UTF-8");
    if (mem == NULL || size < 0) {
        st = PC_ENOMEM;
        goto out;
    }
    if ((st = pc_atomic_open(path, d, &a, &out)) != PC_OK)
        goto out;
    if (fwrite(mem, 1, (size_t)size, out) != (size_t)size) {
        pc_atomic_abort(a);
        st = diag_fail(d, PC_EIO, diag_loc(d, path, 0, 0), "cannot write it");
        goto out;
    }
    st = pc_atomic_commit(a, d);
out:
    xmlFree(mem);
    xmlFreeDoc(doc);
    return st;
}
