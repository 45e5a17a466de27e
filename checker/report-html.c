/* report-html.c - the report for a legal reader: the XML report
 * (report-xml.c) transformed by an XSLT stylesheet with libxslt. The
 * stylesheet is data (checker/report-html.xsl, installed beside the
 * schemas, or --stylesheet FILE), so an organisation restyles the report
 * without recompiling. It is read like any input (xml_load: no DTD, no
 * entity, size cap) and runs with libxslt's security preferences
 * forbidding every file and network access: no document(), no
 * xsl:include or import, no exsl:document output. */
#include "config.h"

#include "report.h"

#include "diag.h"
#include "strbuf.h"
#include "xml.h"

#include <libxslt/security.h>
#include <libxslt/transform.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/xsltutils.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct report_html {
    FILE *mem; /* the XML report, in memory */
    char *buf;
    size_t len;
    struct xml_writer *w;
};

static void
report_html_cleanup(struct report *r)
{
    struct report_html *s = r->state;

    if (s == NULL)
        return;
    if (s->w != NULL)
        xml_writer_close(s->w);
    if (s->mem != NULL)
        fclose(s->mem);
    free(s->buf);
    free(s);
    r->state = NULL;
}

static pc_status
report_html_begin(struct report *r)
{
    struct report_html *s = calloc(1, sizeof *s);
    pc_status st;

    if (s == NULL)
        return PC_ENOMEM;
    if ((s->mem = open_memstream(&s->buf, &s->len)) == NULL) {
        free(s);
        return PC_ENOMEM;
    }
    r->state = s;
    if ((st = report_xml_open(r, s->mem, &s->w)) != PC_OK) {
        s->w = NULL;
        report_html_cleanup(r);
    }
    return st;
}

static pc_status
report_html_finding(struct report *r, const struct pc_finding *f)
{
    struct report_html *s = r->state;

    report_xml_finding(r, s->w, f);
    return PC_OK;
}

/* libxslt's messages, gathered for one diagnostic instead of stderr. */
static void report_html_error(void *ctx, const char *fmt, ...) PC_PRINTF(2, 3);

static void
report_html_error(void *ctx, const char *fmt, ...)
{
    struct strbuf *b = ctx;
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (b->len < 1024)
        strbuf_puts(b, msg);
}

/* Security preferences that forbid the stylesheet every file and
 * network access. NULL when out of memory. */
static xsltSecurityPrefsPtr
report_html_prefs(void)
{
    static const xsltSecurityOption opts[] = {
        XSLT_SECPREF_READ_FILE,        XSLT_SECPREF_WRITE_FILE,
        XSLT_SECPREF_CREATE_DIRECTORY, XSLT_SECPREF_READ_NETWORK,
        XSLT_SECPREF_WRITE_NETWORK,
    };
    xsltSecurityPrefsPtr prefs = xsltNewSecurityPrefs();

    if (prefs == NULL)
        return NULL;
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++)
        if (xsltSetSecurityPrefs(prefs, opts[i], xsltSecurityForbid) != 0) {
            xsltFreeSecurityPrefs(prefs);
            return NULL;
        }
    return prefs;
}

static pc_status
report_html_transform(struct report *r, const char *xml, size_t len)
{
    const char *path = r->meta->stylesheet;
    struct pc_loc at = { path, 0, 0 };
    struct strbuf errs = STRBUF_INIT(0);
    xsltSecurityPrefsPtr prefs = NULL;
    xsltStylesheetPtr style = NULL;
    xsltTransformContextPtr ctxt = NULL;
    xmlDoc *sdoc = NULL, *doc = NULL, *res = NULL;
    xmlChar *out = NULL;
    int outlen = 0;
    pc_status st;

    if (path == NULL)
        return diag_fail(r->d, PC_EINVALID, at,
                         "no stylesheet for the HTML report; give "
                         "--stylesheet FILE");
    if ((st = xml_load(path, NULL, r->d, &sdoc, NULL)) != PC_OK)
        return st;
    if ((prefs = report_html_prefs()) == NULL) {
        st = PC_ENOMEM;
        goto out;
    }
    xsltSetGenericErrorFunc(&errs, report_html_error);
    /* Imports and includes are read while parsing, under the defaults. */
    xsltSetDefaultSecurityPrefs(prefs);
    style = xsltParseStylesheetDoc(sdoc);
    if (style == NULL) {
        st =
            diag_fail(r->d, PC_EINVALID, at, "not a usable XSLT stylesheet%s%s",
                      errs.len > 0 ? ": " : "", strbuf_str(&errs));
        goto out;
    }
    sdoc = NULL; /* the stylesheet owns it now */
    /* Our own bytes: no DOCTYPE, nothing to load. */
    doc = xmlReadMemory(xml, (int)len, "report.xml", "UTF-8",
                        XML_PARSE_NONET | XML_PARSE_NOCDATA);
    if (doc == NULL) {
        st = diag_fail(r->d, PC_EINVALID, at,
                       "the XML report could not be read back");
        goto out;
    }
    if ((ctxt = xsltNewTransformContext(style, doc)) == NULL ||
        xsltSetCtxtSecurityPrefs(prefs, ctxt) != 0) {
        st = PC_ENOMEM;
        goto out;
    }
    res = xsltApplyStylesheetUser(style, doc, NULL, NULL, NULL, ctxt);
    if (res == NULL || ctxt->state == XSLT_STATE_ERROR ||
        ctxt->state == XSLT_STATE_STOPPED) {
        st = diag_fail(r->d, PC_EINVALID, at, "the stylesheet failed%s%s",
                       errs.len > 0 ? ": " : "", strbuf_str(&errs));
        goto out;
    }
    if (xsltSaveResultToString(&out, &outlen, res, style) != 0) {
        st = PC_ENOMEM;
        goto out;
    }
    if (outlen > 0 && fwrite(out, 1, (size_t)outlen, r->out) != (size_t)outlen)
        st = PC_EIO;
out:
    xsltSetDefaultSecurityPrefs(NULL);
    xsltSetGenericErrorFunc(NULL, NULL);
    xmlFree(out);
    xmlFreeDoc(res);
    if (ctxt != NULL)
        xsltFreeTransformContext(ctxt);
    xmlFreeDoc(doc);
    if (style != NULL)
        xsltFreeStylesheet(style);
    xmlFreeDoc(sdoc);
    if (prefs != NULL)
        xsltFreeSecurityPrefs(prefs);
    strbuf_free(&errs);
    return st;
}

static pc_status
report_html_end(struct report *r)
{
    struct report_html *s = r->state;
    pc_status st = report_xml_close(r, s->w);

    s->w = NULL;
    if (fclose(s->mem) != 0 && st == PC_OK)
        st = PC_ENOMEM;
    s->mem = NULL;
    if (st != PC_OK)
        return st;
    return report_html_transform(r, s->buf, s->len);
}

const struct report_format report_html = {
    .name = "html",
    .description = "one self-contained HTML page for legal review, from the "
                   "XML report and an XSLT stylesheet",
    .begin = report_html_begin,
    .finding = report_html_finding,
    .end = report_html_end,
    .cleanup = report_html_cleanup,
    .disclosure_items = PC_ITEMS_ALL,
};
