/* doc-html-xml.c - the HTML backend of doc.h: a libxml2 tree serialised
 * by libxml2's HTML writer, so every string is a text node or an
 * attribute value and escaped by construction. One self-contained page:
 * inline CSS, no script, nothing fetched; tables repeat their heads and
 * keep rows whole when printed. */
#include "config.h"

#include "doc.h"

#include "strbuf.h"

#include <libxml/HTMLtree.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

static const char html_css[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;"
    "line-height:1.45;color:#1a1a1a;max-width:72rem;margin:0 auto;"
    "padding:1rem}"
    "h1{font-size:1.6rem}h2{font-size:1.3rem;border-bottom:1px solid #ccc;"
    "margin-top:2rem}h3{font-size:1.1rem}"
    "blockquote{margin:.3rem 0 .6rem 0;padding:.2rem .8rem;"
    "border-left:4px solid #8aa;background:#f5f8f8}"
    "code{font-family:ui-monospace,Menlo,Consolas,monospace;"
    "font-size:.9em;overflow-wrap:anywhere}"
    "table{border-collapse:collapse;margin:.5rem 0 1rem 0;width:100%}"
    "th,td{border:1px solid #bbb;padding:.25rem .4rem;text-align:left;"
    "vertical-align:top}"
    "th{background:#eef2f2}"
    "ins{background:#d7f5d7;text-decoration:none}"
    "del{background:#f8d7d7}"
    ".table{overflow-x:auto}"
    "@media print{body{max-width:none;padding:0;font-size:10pt}"
    "thead{display:table-header-group}tr{break-inside:avoid}"
    "h2,h3{break-after:avoid}.table{overflow:visible}}";

struct html {
    struct doc doc;
    xmlDocPtr x;
    xmlNodePtr main, block, list, tbody, row, cur;
    struct strbuf scratch;
};

static void
html_fail(struct html *h, pc_status st)
{
    if (h->doc.st == PC_OK)
        h->doc.st = st;
}

/* s cleaned for display (doc_clean); borrowed until the next call. */
static const xmlChar *
html_clean(struct html *h, const char *s)
{
    strbuf_reset(&h->scratch);
    if (doc_clean(&h->scratch, s) != PC_OK) {
        html_fail(h, PC_ENOMEM);
        return NULL;
    }
    return BAD_CAST strbuf_str(&h->scratch);
}

static xmlNodePtr
html_child(struct html *h, xmlNodePtr parent, const char *name)
{
    xmlNodePtr n;

    if (h->doc.st != PC_OK || parent == NULL)
        return NULL;
    n = xmlNewChild(parent, NULL, BAD_CAST name, NULL);
    if (n == NULL)
        html_fail(h, PC_ENOMEM);
    return n;
}

/* Text content as a text node: never parsed as markup. */
static void
html_add_text(struct html *h, xmlNodePtr parent, const char *s)
{
    const xmlChar *t = html_clean(h, s);
    xmlNodePtr n;

    if (t == NULL || parent == NULL || h->doc.st != PC_OK)
        return;
    n = xmlNewText(t);
    if (n == NULL || xmlAddChild(parent, n) == NULL) {
        xmlFreeNode(n);
        html_fail(h, PC_ENOMEM);
    }
}

static void
html_close(struct html *h)
{
    h->block = h->cur = NULL;
    h->list = h->tbody = h->row = NULL;
}

static void
html_block(struct doc *d, int kind, int level, const char *anchor)
{
    struct html *h = (struct html *)d;
    char name[3] = { 'h', '1', '\0' };

    switch (kind) {
    case DOC_H:
        html_close(h);
        name[1] = (char)('0' + (level < 1 ? 1 : level > 6 ? 6 : level));
        h->cur = h->block = html_child(h, h->main, name);
        if (anchor != NULL && h->block != NULL) {
            const xmlChar *a = html_clean(h, anchor);

            if (a != NULL && xmlNewProp(h->block, BAD_CAST "id", a) == NULL)
                html_fail(h, PC_ENOMEM);
        }
        return;
    case DOC_P:
        html_close(h);
        h->cur = h->block = html_child(h, h->main, "p");
        return;
    case DOC_QUOTE:
        html_close(h);
        h->block = html_child(h, h->main, "blockquote");
        h->cur = html_child(h, h->block, "p");
        return;
    case DOC_UL:
        html_close(h);
        h->list = html_child(h, h->main, "ul");
        return;
    case DOC_LI:
        if (h->list == NULL) {
            html_close(h);
            h->list = html_child(h, h->main, "ul");
        }
        h->cur = html_child(h, h->list, "li");
        return;
    case DOC_END:
        html_close(h);
        return;
    }
}

static void
html_inline(struct doc *d, int kind, const char *s)
{
    static const char *const tags[] = {
        [DOC_CODE] = "code", [DOC_STRONG] = "strong", [DOC_EM] = "em",
        [DOC_INS] = "ins",   [DOC_DEL] = "del",
    };
    struct html *h = (struct html *)d;

    if (h->cur == NULL)
        h->cur = h->block = html_child(h, h->main, "p");
    if (kind == DOC_TEXT)
        html_add_text(h, h->cur, s);
    else
        html_add_text(h, html_child(h, h->cur, tags[kind]), s);
}

static void
html_table(struct doc *d, size_t ncols, const char *const *heads)
{
    struct html *h = (struct html *)d;
    xmlNodePtr wrap, table, tr;

    html_close(h);
    wrap = html_child(h, h->main, "div");
    if (wrap != NULL &&
        xmlNewProp(wrap, BAD_CAST "class", BAD_CAST "table") == NULL)
        html_fail(h, PC_ENOMEM);
    table = html_child(h, wrap, "table");
    /* A key-value table has blank headings, which Markdown needs and a
     * reader of HTML should not see as an empty bar. */
    for (size_t i = 0; i < ncols; i++)
        if (heads[i] != NULL && heads[i][0] != '\0') {
            tr = html_child(h, html_child(h, table, "thead"), "tr");
            for (size_t j = 0; j < ncols; j++)
                html_add_text(h, html_child(h, tr, "th"), heads[j]);
            break;
        }
    h->tbody = html_child(h, table, "tbody");
}

static void
html_row(struct doc *d)
{
    struct html *h = (struct html *)d;

    h->row = html_child(h, h->tbody, "tr");
    h->cur = NULL;
}

static void
html_cell(struct doc *d)
{
    struct html *h = (struct html *)d;

    h->cur = html_child(h, h->row, "td");
}

static void
html_free(struct html *h)
{
    xmlFreeDoc(h->x);
    strbuf_free(&h->scratch);
    free(h);
}

static pc_status
html_end(struct doc *d)
{
    struct html *h = (struct html *)d;
    xmlChar *buf = NULL;
    int len = 0;
    pc_status st = d->st;

    if (st == PC_OK) {
        htmlDocDumpMemoryFormat(h->x, &buf, &len, 1);
        if (buf == NULL)
            st = PC_ENOMEM;
        else if (fwrite(buf, 1, (size_t)len, d->out) != (size_t)len ||
                 fflush(d->out) != 0 || ferror(d->out))
            st = PC_EIO;
        xmlFree(buf);
    }
    html_free(h);
    return st;
}

static void
html_abort(struct doc *d)
{
    html_free((struct html *)d);
}

static const struct doc_ops html_ops = {
    html_block, html_inline, html_table, html_row,
    html_cell,  html_end,    html_abort,
};

pc_status
doc_html_open(FILE *out, const char *title, struct doc **doc)
{
    struct html *h = calloc(1, sizeof *h);
    xmlNodePtr root, head, meta;

    if (h == NULL)
        return PC_ENOMEM;
    h->doc.ops = &html_ops;
    h->doc.out = out;
    h->scratch.max = 1u << 24;
    h->x = htmlNewDocNoDtD(NULL, NULL);
    if (h->x == NULL ||
        xmlCreateIntSubset(h->x, BAD_CAST "html", NULL, NULL) == NULL ||
        (root = xmlNewDocNode(h->x, NULL, BAD_CAST "html", NULL)) == NULL) {
        html_free(h);
        return PC_ENOMEM;
    }
    xmlDocSetRootElement(h->x, root);
    if (xmlNewProp(root, BAD_CAST "lang", BAD_CAST "en") == NULL)
        html_fail(h, PC_ENOMEM);
    head = html_child(h, root, "head");
    meta = html_child(h, head, "meta");
    if (meta != NULL &&
        xmlNewProp(meta, BAD_CAST "charset", BAD_CAST "utf-8") == NULL)
        html_fail(h, PC_ENOMEM);
    meta = html_child(h, head, "meta");
    if (meta != NULL &&
        (xmlNewProp(meta, BAD_CAST "name", BAD_CAST "viewport") == NULL ||
         xmlNewProp(meta, BAD_CAST "content",
                    BAD_CAST "width=device-width, initial-scale=1") == NULL))
        html_fail(h, PC_ENOMEM);
    html_add_text(h, html_child(h, head, "title"), title);
    html_add_text(h, html_child(h, head, "style"), html_css);
    h->main = html_child(h, html_child(h, root, "body"), "main");
    if (h->doc.st != PC_OK) {
        html_free(h);
        return PC_ENOMEM;
    }
    *doc = &h->doc;
    return PC_OK;
}
