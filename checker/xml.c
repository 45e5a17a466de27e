/* xml.c - the hardened libxml2 entry point: privcheck opens and bounds
 * every file itself, refuses DOCTYPEs before libxml2 sees them, parses
 * from memory with safe options only, and turns libxml2's structured
 * errors into located diagnostics. No other file configures libxml2. */
#include "config.h"

#include "xml.h"

#include "diag.h"
#include "file.h"
#include "sha256.h"
#include "strbuf.h"
#include "utf8.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xmlerror.h>

const struct xml_limits xml_default_limits = {
    .max_bytes = 16u << 20,
    .max_depth = 64,
    .max_attrs = 64,
    .max_markup = 10000,
};

/* Never NOENT, DTDLOAD, DTDATTR, DTDVALID, XINCLUDE or HUGE: see
 * DESIGN §7. NONET alone does not stop file://, hence the loader below. */
#define XML_SAFE_OPTIONS                                                       \
    (XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_IGNORE_ENC |              \
     XML_PARSE_BIG_LINES | XML_PARSE_NOWARNING)

static xmlParserInputPtr
xml_refuse_entity(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
    /* Returning NULL makes libxml2 report a failed load as an error,
     * which our handler records: a refused load never passes silently. */
    (void)url;
    (void)id;
    (void)ctxt;
    return NULL;
}

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void
xml_init_once(void)
{
    xmlInitParser();
    xmlSetExternalEntityLoader(xml_refuse_entity);
}

void
xml_init(void)
{
    pthread_once(&xml_once, xml_init_once);
}

/* ------------------------------------------------------------------ */
/* Reading files ourselves. */

pc_status
xml_read_file(const char *path, const struct xml_limits *lim, pc_diags *d,
              char **bufp, size_t *lenp)
{
    char *buf = NULL;
    size_t len = 0;
    pc_status st = file_read(path, lim->max_bytes, d, &buf, &len);

    if (st == PC_OK)
        st = xml_prescan(path, buf, len, lim, d);
    if (st != PC_OK) {
        free(buf);
        return st;
    }
    *bufp = buf;
    *lenp = len;
    return PC_OK;
}

static bool
xml_starts(const char *p, const char *end, const char *lit)
{
    size_t n = strlen(lit);

    return (size_t)(end - p) >= n && memcmp(p, lit, n) == 0;
}

/* Skip to just past `lit`, counting lines; NULL if it never comes. */
static const char *
xml_skip_past(const char *p, const char *end, const char *lit, unsigned *line)
{
    size_t n = strlen(lit);

    for (; p + n <= end; p++) {
        if (memcmp(p, lit, n) == 0)
            return p + n;
        if (*p == '\n')
            (*line)++;
    }
    return NULL;
}

pc_status
xml_prescan(const char *path, const char *buf, size_t len,
            const struct xml_limits *lim, pc_diags *d)
{
    const unsigned char *u = (const unsigned char *)buf;
    const char *p = buf, *end = buf + len;
    unsigned line = 1, depth = 0, markup = 0;

    if (len >= 2 &&
        ((u[0] == 0xfe && u[1] == 0xff) || (u[0] == 0xff && u[1] == 0xfe)))
        return diag_fail(d, PC_ESYNTAX, diag_loc(d, path, 1, 1),
                         "UTF-16 input is not accepted; save it as UTF-8");
    if (len >= 2 && u[0] == 0x1f && u[1] == 0x8b)
        return diag_fail(d, PC_ESYNTAX, diag_loc(d, path, 1, 1),
                         "compressed (gzip) input is not accepted");
    if (len >= 6 && memcmp(buf,
                           "\xfd"
                           "7zXZ",
                           5) == 0)
        return diag_fail(d, PC_ESYNTAX, diag_loc(d, path, 1, 1),
                         "compressed (xz) input is not accepted");
    if (len >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf)
        p += 3;

    /* Encoding first, on its own: the scanner below may skip bytes. */
    for (size_t i = 0, ln = 1; i < len;) {
        size_t n = utf8_len(u + i, len - i);

        if (u[i] == '\0')
            return diag_fail(d, PC_ESYNTAX, diag_loc(d, path, (unsigned)ln, 0),
                             "NUL byte in input");
        if (n == 0)
            return diag_fail(d, PC_ESYNTAX, diag_loc(d, path, (unsigned)ln, 0),
                             "invalid UTF-8 (byte 0x%02x at offset %zu)", u[i],
                             i);
        if (u[i] == '\n')
            ln++;
        i += n;
    }

    while (p < end) {
        const char *lt = memchr(p, '<', (size_t)(end - p));

        if (lt == NULL)
            break;
        for (; p < lt; p++)
            if (*p == '\n')
                line++;
        if (xml_starts(p, end, "<!--") || xml_starts(p, end, "<?")) {
            unsigned at = line;

            if (++markup > lim->max_markup)
                return diag_fail(d, PC_ELIMIT, diag_loc(d, path, line, 0),
                                 "more than %u comments and processing "
                                 "instructions",
                                 lim->max_markup);
            p = xml_skip_past(p, end, p[1] == '!' ? "-->" : "?>", &line);
            if (p == NULL)
                return diag_fail(d, PC_ESYNTAX, diag_loc(d, path, at, 0),
                                 "unterminated comment or processing "
                                 "instruction");
        } else if (xml_starts(p, end, "<![CDATA[")) {
            unsigned at = line;

            p = xml_skip_past(p, end, "]]>", &line);
            if (p == NULL)
                return diag_fail(d, PC_ESYNTAX, diag_loc(d, path, at, 0),
                                 "unterminated CDATA section");
        } else if (xml_starts(p, end, "<!")) {
            /* DOCTYPE, ENTITY and friends: the doors to external and
             * exponential entities. No privcheck input needs them. */
            return diag_fail(d, PC_EINVALID, diag_loc(d, path, line, 0),
                             "DOCTYPE and entity declarations are not "
                             "allowed (refused before parsing)");
        } else {
            bool closing = p + 1 < end && p[1] == '/';
            unsigned attrs = 0;
            char quote = 0;

            for (p++; p < end; p++) {
                if (*p == '\n')
                    line++;
                if (quote) {
                    if (*p == quote)
                        quote = 0;
                } else if (*p == '"' || *p == '\'') {
                    quote = *p;
                } else if (*p == '=') {
                    if (++attrs > lim->max_attrs)
                        return diag_fail(d, PC_ELIMIT,
                                         diag_loc(d, path, line, 0),
                                         "more than %u attributes on one "
                                         "element",
                                         lim->max_attrs);
                } else if (*p == '>') {
                    break;
                }
            }
            if (p >= end)
                break; /* truncated tag: libxml2 will say where */
            if (closing) {
                if (depth > 0)
                    depth--;
            } else if (p[-1] != '/') {
                if (++depth > lim->max_depth)
                    return diag_fail(d, PC_ELIMIT, diag_loc(d, path, line, 0),
                                     "elements nested deeper than %u",
                                     lim->max_depth);
            }
            p++;
        }
    }
    return PC_OK;
}

/* ------------------------------------------------------------------ */
/* libxml2 errors as diagnostics. */

struct xml_errctx {
    pc_diags *d;
    const char *path;
    unsigned errors;
    unsigned invalid; /* of which schema validation errors */
};

static void
xml_on_error(void *user, xmlErrorPtr e)
{
    struct xml_errctx *ec = user;
    char *msg;
    size_t n;
    pc_severity sev;

    if (e == NULL || e->level == XML_ERR_NONE)
        return;
    sev = e->level == XML_ERR_WARNING ? PC_SEV_WARNING : PC_SEV_ERROR;
    if (sev == PC_SEV_ERROR)
        ec->errors++;
    if (sev == PC_SEV_ERROR && e->domain == XML_FROM_RELAXNGV)
        ec->invalid++;
    msg = strdup(e->message != NULL ? e->message : "XML error");
    if (msg == NULL)
        return;
    n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    diag_add(ec->d, sev,
             diag_loc(ec->d, ec->path, e->line > 0 ? (unsigned)e->line : 0,
                      e->int2 > 0 ? (unsigned)e->int2 : 0),
             "%s", msg);
    free(msg);
}

/* ------------------------------------------------------------------ */
/* Schemas: compiled once per process. */

struct xml_schema_entry {
    char *path;
    xmlRelaxNGPtr schema;
};

static pthread_mutex_t schema_lock = PTHREAD_MUTEX_INITIALIZER;
static struct xml_schema_entry schemas[16];
static size_t nschemas;

pc_status
xml_schema(const char *path, pc_diags *d, xmlRelaxNGPtr *out)
{
    struct xml_errctx ec = { d, path, 0, 0 };
    xmlRelaxNGParserCtxtPtr pctx = NULL;
    xmlRelaxNGPtr schema = NULL;
    char *buf = NULL;
    size_t len;
    pc_status st;

    xml_init();
    pthread_mutex_lock(&schema_lock);
    for (size_t i = 0; i < nschemas; i++)
        if (strcmp(schemas[i].path, path) == 0) {
            *out = schemas[i].schema;
            pthread_mutex_unlock(&schema_lock);
            return PC_OK;
        }
    st = xml_read_file(path, &xml_default_limits, d, &buf, &len);
    if (st != PC_OK)
        goto out;
    pctx = xmlRelaxNGNewMemParserCtxt(buf, (int)len);
    if (pctx == NULL) {
        st = PC_ENOMEM;
        goto out;
    }
    xmlRelaxNGSetParserStructuredErrors(pctx, xml_on_error, &ec);
    schema = xmlRelaxNGParse(pctx);
    if (schema == NULL || ec.errors > 0) {
        st = diag_fail(d, PC_EINVALID, diag_loc(d, path, 0, 0),
                       "schema does not compile");
        goto out;
    }
    if (nschemas == sizeof schemas / sizeof schemas[0]) {
        st = diag_fail(d, PC_ELIMIT, diag_loc(d, path, 0, 0),
                       "too many schemas");
        goto out;
    }
    schemas[nschemas].path = strdup(path);
    if (schemas[nschemas].path == NULL) {
        st = PC_ENOMEM;
        goto out;
    }
    schemas[nschemas++].schema = schema;
    *out = schema;
    schema = NULL;
out:
    pthread_mutex_unlock(&schema_lock);
    if (schema != NULL)
        xmlRelaxNGFree(schema);
    xmlRelaxNGFreeParserCtxt(pctx);
    free(buf);
    return st;
}

void
xml_cleanup(void)
{
    pthread_mutex_lock(&schema_lock);
    for (size_t i = 0; i < nschemas; i++) {
        free(schemas[i].path);
        xmlRelaxNGFree(schemas[i].schema);
    }
    nschemas = 0;
    pthread_mutex_unlock(&schema_lock);
}

pc_status
xml_validate(xmlDoc *doc, const char *schema_path, pc_diags *d)
{
    struct xml_errctx ec = { d, (const char *)doc->URL, 0, 0 };
    xmlRelaxNGValidCtxtPtr vctx;
    xmlRelaxNGPtr schema;
    pc_status st;
    int rc;

    if ((st = xml_schema(schema_path, d, &schema)) != PC_OK)
        return st;
    vctx = xmlRelaxNGNewValidCtxt(schema);
    if (vctx == NULL)
        return PC_ENOMEM;
    xmlRelaxNGSetValidStructuredErrors(vctx, xml_on_error, &ec);
    rc = xmlRelaxNGValidateDoc(vctx, doc);
    xmlRelaxNGFreeValidCtxt(vctx);
    if (rc != 0 || ec.errors > 0) {
        if (ec.errors == 0)
            diag_add(d, PC_SEV_ERROR, diag_loc(d, (const char *)doc->URL, 0, 0),
                     "does not match its schema");
        return PC_EINVALID;
    }
    return PC_OK;
}

pc_status
xml_load(const char *path, const char *schema, pc_diags *d, xmlDoc **out,
         char sha256[65])
{
    struct xml_errctx ec = { d, path, 0, 0 };
    xmlParserCtxtPtr ctxt = NULL;
    xmlDoc *doc = NULL;
    char *buf = NULL;
    size_t len;
    pc_status st;

    xml_init();
    st = xml_read_file(path, &xml_default_limits, d, &buf, &len);
    if (st != PC_OK)
        return st;
    if (sha256 != NULL)
        sha256_hex(buf, len, sha256);
    ctxt = xmlNewParserCtxt();
    if (ctxt == NULL) {
        st = PC_ENOMEM;
        goto out;
    }
    xmlSetStructuredErrorFunc(&ec, xml_on_error);
    doc =
        xmlCtxtReadMemory(ctxt, buf, (int)len, path, "UTF-8", XML_SAFE_OPTIONS);
    xmlSetStructuredErrorFunc(NULL, NULL);
    if (doc == NULL || ec.errors > 0 || !ctxt->wellFormed) {
        if (ec.errors == 0)
            diag_add(d, PC_SEV_ERROR, diag_loc(d, path, 0, 0),
                     "not well-formed XML");
        st = PC_ESYNTAX;
        goto out;
    }
    if (schema != NULL && (st = xml_validate(doc, schema, d)) != PC_OK)
        goto out;
    *out = doc;
    doc = NULL;
out:
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    free(buf);
    return st;
}

/* ------------------------------------------------------------------ */
/* Streaming. */

struct xml_reader {
    xmlTextReaderPtr r;
    char *buf;
    struct xml_errctx ec;
    bool validating;
    /* libxml2 keeps an element's line in 16 bits and takes it where the
     * start tag ends; we find each start tag ourselves, in step with the
     * reader, so lines are where tags begin, at any size. */
    const char *cur, *end;
    unsigned cur_line;
    unsigned start_line[64 + 2]; /* by depth, of the open elements */
};

static void
xml_reader_on_error(void *user, xmlErrorPtr e)
{
    xml_on_error(user, e);
}

pc_status
xml_reader_open(const char *path, const char *schema, pc_diags *d,
                struct xml_reader **out, char sha256[65])
{
    struct xml_reader *xr;
    xmlRelaxNGPtr rng = NULL;
    size_t len;
    pc_status st;

    xml_init();
    if (schema != NULL && (st = xml_schema(schema, d, &rng)) != PC_OK)
        return st;
    xr = calloc(1, sizeof *xr);
    if (xr == NULL)
        return PC_ENOMEM;
    xr->ec.d = d;
    xr->ec.path = diag_intern(d, path);
    st = xml_read_file(path, &xml_default_limits, d, &xr->buf, &len);
    if (st != PC_OK)
        goto fail;
    if (sha256 != NULL)
        sha256_hex(xr->buf, len, sha256);
    xr->r =
        xmlReaderForMemory(xr->buf, (int)len, path, "UTF-8", XML_SAFE_OPTIONS);
    if (xr->r == NULL) {
        st = PC_ENOMEM;
        goto fail;
    }
    /* The handler first: the schema's validation context inherits it. */
    xmlTextReaderSetStructuredErrorHandler(xr->r, xml_reader_on_error, &xr->ec);
    if (rng != NULL && xmlTextReaderRelaxNGSetSchema(xr->r, rng) != 0) {
        st = diag_fail(d, PC_EINVALID, diag_loc(d, path, 0, 0),
                       "cannot attach schema %s", schema);
        goto fail;
    }
    xr->validating = rng != NULL;
    xr->cur = xr->buf;
    xr->end = xr->buf + len;
    xr->cur_line = 1;
    *out = xr;
    return PC_OK;
fail:
    xml_reader_close(xr);
    return st;
}

/* Advance xr->cur past the next start tag; return the line it begins on.
 * The pre-scan has already refused DOCTYPEs, and '<' can appear in
 * nothing but markup, so the n-th start tag is the n-th element. */
static unsigned
xml_next_start_tag(struct xml_reader *xr)
{
    const char *p = xr->cur, *end = xr->end;
    unsigned line = xr->cur_line, at = 0;

    while (p < end) {
        const char *lt = memchr(p, '<', (size_t)(end - p));

        if (lt == NULL) {
            p = end;
            break;
        }
        for (; p < lt; p++)
            if (*p == '\n')
                line++;
        if (xml_starts(p, end, "<!--"))
            p = xml_skip_past(p, end, "-->", &line);
        else if (xml_starts(p, end, "<![CDATA["))
            p = xml_skip_past(p, end, "]]>", &line);
        else if (xml_starts(p, end, "<?"))
            p = xml_skip_past(p, end, "?>", &line);
        else if (xml_starts(p, end, "</"))
            p = xml_skip_past(p, end, ">", &line);
        else {
            at = line;
            p = xml_skip_past(p + 1, end, ">", &line);
            /* '>' may sit in an attribute value: skip_past counted lines
             * up to the first one; the tag's line is `at` either way. */
            if (p == NULL)
                p = end;
            break;
        }
        if (p == NULL) {
            p = end;
            break;
        }
    }
    xr->cur = p;
    xr->cur_line = line;
    return at;
}

int
xml_reader_next(struct xml_reader *xr)
{
    int rc = xmlTextReaderRead(xr->r);

    if (rc < 0 || xr->ec.errors > 0)
        return xr->ec.invalid > 0 ? -PC_EINVALID : -PC_ESYNTAX;
    if (rc == 1 && xmlTextReaderNodeType(xr->r) == XML_READER_TYPE_ELEMENT) {
        int depth = xmlTextReaderDepth(xr->r);
        unsigned line = xml_next_start_tag(xr);

        if (depth >= 0 &&
            (size_t)depth < sizeof xr->start_line / sizeof xr->start_line[0])
            xr->start_line[depth] = line;
    }
    if (rc == 0 && xr->validating && xmlTextReaderIsValid(xr->r) == 0) {
        if (xr->ec.errors == 0)
            diag_add(xr->ec.d, PC_SEV_ERROR,
                     diag_loc(xr->ec.d, xr->ec.path, 0, 0),
                     "does not match its schema");
        return -PC_EINVALID;
    }
    return rc;
}

xmlTextReaderPtr
xml_reader_raw(struct xml_reader *xr)
{
    return xr->r;
}

unsigned
xml_reader_line(struct xml_reader *xr)
{
    int type = xmlTextReaderNodeType(xr->r);
    int depth = xmlTextReaderDepth(xr->r);
    xmlNodePtr n;
    long line;

    if ((type == XML_READER_TYPE_ELEMENT ||
         type == XML_READER_TYPE_END_ELEMENT) &&
        depth >= 0 &&
        (size_t)depth < sizeof xr->start_line / sizeof xr->start_line[0] &&
        xr->start_line[depth] > 0)
        return xr->start_line[depth];
    n = xmlTextReaderCurrentNode(xr->r);
    line = n != NULL ? xmlGetLineNo(n) : -1;
    if (line <= 0)
        line = xmlTextReaderGetParserLineNumber(xr->r);
    return line > 0 ? (unsigned)line : 0;
}

void
xml_reader_close(struct xml_reader *xr)
{
    if (xr == NULL)
        return;
    if (xr->r != NULL)
        xmlFreeTextReader(xr->r);
    free(xr->buf);
    free(xr);
}

/* ------------------------------------------------------------------ */
/* Small helpers over trees. */

struct pc_loc
xml_loc(pc_diags *d, const xmlDoc *doc, const xmlNode *n)
{
    long line = n != NULL ? xmlGetLineNo(n) : 0;

    return diag_loc(d, doc != NULL ? (const char *)doc->URL : NULL,
                    line > 0 ? (unsigned)line : 0, 0);
}

char *
xml_attr(const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(n, BAD_CAST name);
    char *copy;

    if (v == NULL)
        return NULL;
    copy = strdup((const char *)v);
    xmlFree(v);
    return copy;
}

char *
xml_text(const xmlNode *n)
{
    xmlChar *raw = xmlNodeGetContent(n);
    struct strbuf b = STRBUF_INIT(0);
    bool space = false;

    if (raw == NULL)
        return strdup("");
    for (const xmlChar *p = raw; *p != '\0'; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            space = b.len > 0;
            continue;
        }
        if ((space && strbuf_putc(&b, ' ') != PC_OK) ||
            strbuf_putc(&b, (char)*p) != PC_OK) {
            xmlFree(raw);
            strbuf_free(&b);
            return NULL;
        }
        space = false;
    }
    xmlFree(raw);
    return strbuf_detach(&b);
}

bool
xml_is(const xmlNode *n, const char *ns, const char *name)
{
    return n != NULL && n->type == XML_ELEMENT_NODE &&
           xmlStrcmp(n->name, BAD_CAST name) == 0 &&
           (ns == NULL ||
            (n->ns != NULL && xmlStrcmp(n->ns->href, BAD_CAST ns) == 0));
}

pc_status
xml_root_ns(const char *path, pc_diags *d, char **out)
{
    struct xml_reader *xr;
    pc_status st;
    int rc;

    if ((st = xml_reader_open(path, NULL, d, &xr, NULL)) != PC_OK)
        return st;
    while ((rc = xml_reader_next(xr)) == 1)
        if (xmlTextReaderNodeType(xr->r) == XML_READER_TYPE_ELEMENT)
            break;
    if (rc != 1) {
        xml_reader_close(xr);
        if (rc == 0)
            return diag_fail(d, PC_ESYNTAX, diag_loc(d, path, 0, 0),
                             "no root element");
        return -rc;
    }
    const xmlChar *ns = xmlTextReaderConstNamespaceUri(xr->r);
    *out = strdup(ns != NULL ? (const char *)ns : "");
    xml_reader_close(xr);
    return *out != NULL ? PC_OK : PC_ENOMEM;
}
