/* xml.c - the hardened libxml2 entry point: privcheck opens and bounds
 * every file itself, refuses DOCTYPEs before libxml2 sees them, parses
 * from memory with safe options only, and turns libxml2's structured
 * errors into located diagnostics. No other file configures libxml2. */
#include "config.h"

#include "xml.h"

#include "cache.h"
#include "diag.h"
#include "facet-xml.h"
#include "oom.h"
#include "pattern.h"
#include "file.h"
#include "limit.h"
#include "prescan.h"
#include "schema-check.h"
#include "schema-msg.h"
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

/* The defaults with the bounds of limit.c in force (the size stays
 * xml_default_limits'). */
static struct xml_limits
xml_limits_now(void)
{
    struct xml_limits lim = xml_default_limits;

    lim.max_depth = (unsigned)limit_get(LIMIT_DEPTH);
    lim.max_attrs = (unsigned)limit_get(LIMIT_ATTRIBUTES);
    lim.max_markup = (unsigned)limit_get(LIMIT_MARKUP);
    return lim;
}

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

/* libxml2 reports running out of memory as an error like any other, and
 * where no handler of ours is attached (compiling a schema's regular
 * expressions) on stderr. Any such report sets this flag, and the
 * operation under way then fails with PC_ENOMEM: a document read or
 * validated short of memory could otherwise look invalid, or valid. */
static _Thread_local bool xml_oom;

static void
xml_note_oom(xmlErrorPtr e)
{
    if (e != NULL && e->code == XML_ERR_NO_MEMORY)
        xml_oom = true;
}

static void
xml_mem_failed(void)
{
    xml_oom = true;
    oom_library_failed();
}

/* libxml2's allocator, so that a failed allocation is noted even where
 * libxml2 does not report it (some turn into "could not parse" or a
 * validation error, some into nothing at all). */
static void *
xml_mem_malloc(size_t n)
{
    void *p = malloc(n);

    if (p == NULL)
        xml_mem_failed();
    return p;
}

static void *
xml_mem_realloc(void *old, size_t n)
{
    void *p = realloc(old, n);

    if (p == NULL)
        xml_mem_failed();
    return p;
}

static char *
xml_mem_strdup(const char *s)
{
    char *p = strdup(s);

    if (p == NULL)
        xml_mem_failed();
    return p;
}

/* Where no context handler is: nothing printed, memory noted. */
static void
xml_on_global_error(void *user, xmlErrorPtr e)
{
    (void)user;
    xml_note_oom(e);
}

static void
xml_silent(void *user, const char *fmt, ...)
{
    (void)user;
    (void)fmt;
}

void
xml_handlers_reset(void)
{
    xmlSetStructuredErrorFunc(NULL, xml_on_global_error);
}

/* Clear the flag before an operation; take it after. */
static bool
xml_oom_take(void)
{
    bool was = xml_oom;

    xml_oom = false;
    return was;
}

pc_status
xml_settle(pc_status st)
{
    return xml_oom_take() ? PC_ENOMEM : st;
}

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void
xml_init_once(void)
{
    /* Before the parser is set up, so that all its memory is ours. */
    xmlMemSetup(free, xml_mem_malloc, xml_mem_realloc, xml_mem_strdup);
    xmlInitParser();
    xmlSetExternalEntityLoader(xml_refuse_entity);
    /* libxml2's handlers are per thread: this one's, and the default of
     * threads to come. */
    xmlSetGenericErrorFunc(NULL, xml_silent);
    xmlThrDefSetGenericErrorFunc(NULL, xml_silent);
    xmlSetStructuredErrorFunc(NULL, xml_on_global_error);
    xmlThrDefSetStructuredErrorFunc(NULL, xml_on_global_error);
}

void
xml_init(void)
{
    pthread_once(&xml_once, xml_init_once);
}

/* ------------------------------------------------------------------ */
/* Documents made in memory (a manifest schema composed with a pack's
 * extension), read by name like files, so that every reader of a schema
 * (the validator, schema-check.c, schema-xml.c) sees the same bytes. */

struct xml_memdoc {
    char *name, *buf;
    size_t len;
};

static pthread_mutex_t memdoc_lock = PTHREAD_MUTEX_INITIALIZER;
static struct xml_memdoc memdocs[8];
static size_t nmemdocs;

pc_status
xml_memdoc_put(const char *name, const char *buf, size_t len, pc_diags *d)
{
    pc_status st = PC_OK;
    size_t i;

    pthread_mutex_lock(&memdoc_lock);
    for (i = 0; i < nmemdocs; i++)
        if (strcmp(memdocs[i].name, name) == 0)
            break;
    if (i < nmemdocs) {
        /* Composed again from the same files: the same bytes, unless a
         * file changed under us, which a cached schema would not see. */
        if (memdocs[i].len != len || memcmp(memdocs[i].buf, buf, len) != 0)
            st = diag_fail(d, PC_EINVALID, diag_loc(d, name, 0, 0),
                           "composed twice with different contents");
        goto out;
    }
    if (nmemdocs == sizeof memdocs / sizeof memdocs[0]) {
        st = diag_fail(d, PC_ELIMIT, diag_loc(d, name, 0, 0),
                       "too many composed schemas");
        goto out;
    }
    memdocs[i].name = strdup(name);
    memdocs[i].buf = malloc(len + 1);
    if (memdocs[i].name == NULL || memdocs[i].buf == NULL) {
        free(memdocs[i].name);
        free(memdocs[i].buf);
        st = PC_ENOMEM;
        goto out;
    }
    memcpy(memdocs[i].buf, buf, len);
    memdocs[i].buf[len] = '\0';
    memdocs[i].len = len;
    nmemdocs++;
out:
    pthread_mutex_unlock(&memdoc_lock);
    return st;
}

/* A copy of the document made under `name`: 1, or 0 when there is none,
 * or -1 when memory ran out. */
static int
xml_memdoc_get(const char *name, char **bufp, size_t *lenp)
{
    int found = 0;

    pthread_mutex_lock(&memdoc_lock);
    for (size_t i = 0; i < nmemdocs && found == 0; i++)
        if (strcmp(memdocs[i].name, name) == 0) {
            found = -1;
            if ((*bufp = malloc(memdocs[i].len + 1)) != NULL) {
                memcpy(*bufp, memdocs[i].buf, memdocs[i].len + 1);
                *lenp = memdocs[i].len;
                found = 1;
            }
        }
    pthread_mutex_unlock(&memdoc_lock);
    return found;
}

/* ------------------------------------------------------------------ */
/* Reading files ourselves. */

pc_status
xml_read_file(const char *path, const struct xml_limits *lim, pc_diags *d,
              char **bufp, size_t *lenp)
{
    char *buf = NULL;
    size_t len = 0;
    pc_status st;

    switch (xml_memdoc_get(path, bufp, lenp)) {
    case 1:
        return PC_OK; /* ours, composed from files read through here */
    case -1:
        return PC_ENOMEM;
    default:
        break;
    }
    st = file_read(path, lim->max_bytes, d, &buf, &len);

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
    struct prescan s;
    pc_status st;

    prescan_init(&s, path, lim, d, false);
    st = prescan_feed(&s, buf, len);
    if (st == PC_OK)
        st = prescan_finish(&s);
    prescan_free(&s);
    return st;
}

/* ------------------------------------------------------------------ */
/* libxml2 errors as diagnostics. */

/* What libxml2 said, kept as facts: the messages are ours (xml_explain_*),
 * said once parsing or validation is over. A schema being compiled
 * (collect false) has its libxml2 messages recorded as they come. */
#define XML_MAX_FACTS 8

struct xml_fact {
    int domain, code, line, col, int1;
    char str1[64], str2[64];
    char message[160];
    unsigned node_line; /* of the element a validity error is about */
    char node_name[64];
};

struct xml_errctx {
    pc_diags *d;
    const char *path;
    unsigned errors;
    unsigned invalid; /* of which schema validation errors */
    bool collect;
    struct xml_fact facts[XML_MAX_FACTS];
    size_t nfacts;
};

static void
xml_copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src != NULL ? src : "");
}

static void
xml_on_error(void *user, xmlErrorPtr e)
{
    struct xml_errctx *ec = user;
    char *msg;
    size_t n;
    pc_severity sev;

    if (e == NULL || e->level == XML_ERR_NONE)
        return;
    xml_note_oom(e);
    sev = e->level == XML_ERR_WARNING ? PC_SEV_WARNING : PC_SEV_ERROR;
    if (sev == PC_SEV_ERROR)
        ec->errors++;
    if (sev == PC_SEV_ERROR && e->domain == XML_FROM_RELAXNGV)
        ec->invalid++;
    if (ec->collect) {
        struct xml_fact *f;

        if (sev != PC_SEV_ERROR || ec->nfacts == XML_MAX_FACTS)
            return;
        f = &ec->facts[ec->nfacts++];
        memset(f, 0, sizeof *f);
        f->domain = e->domain;
        f->code = e->code;
        f->line = e->line;
        f->col = e->int2;
        f->int1 = e->int1;
        xml_copy(f->str1, sizeof f->str1, e->str1);
        xml_copy(f->str2, sizeof f->str2, e->str2);
        xml_copy(f->message, sizeof f->message, e->message);
        n = strlen(f->message);
        while (n > 0 && (f->message[n - 1] == '\n' || f->message[n - 1] == ' '))
            f->message[--n] = '\0';
        if (e->node != NULL &&
            ((xmlNodePtr)e->node)->type == XML_ELEMENT_NODE) {
            long line = xmlGetLineNo(e->node);

            f->node_line = line > 0 ? (unsigned)line : 0;
            xml_copy(f->node_name, sizeof f->node_name,
                     (const char *)((xmlNodePtr)e->node)->name);
        }
        return;
    }
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

/* The line of every start tag, in document order, as the pre-scan notes
 * them. *lines is the caller's. */
static pc_status
xml_start_lines(const char *buf, size_t len, unsigned **lines, size_t *n)
{
    struct xml_limits lim;
    struct prescan s;
    unsigned *v;
    pc_diags *scratch = pc_diags_new();
    pc_status st;

    *lines = NULL;
    *n = 0;
    if (scratch == NULL)
        return PC_ENOMEM;
    lim = xml_limits_now();
    prescan_init(&s, "", &lim, scratch, true);
    st = prescan_feed(&s, buf, len);
    pc_diags_free(scratch);
    if (st == PC_ENOMEM) {
        prescan_free(&s);
        return st;
    }
    /* Whatever the bytes were refused for, the lines up to there stand. */
    v = malloc((s.tlen + 1) * sizeof *v);
    if (v == NULL) {
        prescan_free(&s);
        return PC_ENOMEM;
    }
    while (s.tlen > 0)
        v[(*n)++] = prescan_next_tag(&s);
    prescan_free(&s);
    *lines = v;
    return PC_OK;
}

/* The root element a schema starts with, for messages about files with
 * no XML in them; NULLs when there is no schema or it cannot say. */
static void
xml_expected_root(const char *schema, char **root, char **ns)
{
    pc_diags *scratch = pc_diags_new();

    *root = *ns = NULL;
    if (schema != NULL && scratch != NULL)
        schema_check_root(schema, scratch, root, ns);
    pc_diags_free(scratch);
}

/* Why buf is not well-formed XML, in one message. */
static pc_status
xml_explain_syntax(pc_diags *d, const char *path, const char *buf, size_t len,
                   const struct xml_errctx *ec, const char *schema)
{
    const char *p = buf, *end = buf + len;
    const struct xml_fact *f = ec->nfacts > 0 ? &ec->facts[0] : NULL;
    char *root = NULL, *ns = NULL;
    unsigned line = 1, last_line = 1;
    pc_status st;

    if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
        p += 3;
    for (const char *q = buf; q < end; q++)
        if (*q == '\n' && q + 1 < end)
            last_line++;
    while (p < end && strchr(" \t\r\n", *p) != NULL)
        if (*p++ == '\n')
            line++;
    if (p == end || *p != '<') {
        char start[48];
        size_t n = 0;

        xml_expected_root(schema, &root, &ns);
        while (p + n < end && n < sizeof start - 1 && p[n] != '\n' &&
               p[n] != '\r')
            n++;
        memcpy(start, p, n);
        start[n] = '\0';
        st = p == end ? schema_msg_empty(d, diag_loc(d, path, 1, 0), root, ns)
                      : schema_msg_not_xml(d, diag_loc(d, path, line, 0), start,
                                           root, ns);
        goto out;
    }
    /* Only a declaration, comments and space: no element at all. */
    for (const char *q = p; q != NULL && q < end;) {
        q = memchr(q, '<', (size_t)(end - q));
        if (q == NULL || q + 1 >= end)
            break;
        if (q[1] != '?' && q[1] != '!')
            goto has_element;
        q = xml_skip_past(q, end, q[1] == '?' ? "?>" : "-->", &line);
    }
    xml_expected_root(schema, &root, &ns);
    st = schema_msg_no_root(d, diag_loc(d, path, last_line, 0), root, ns);
    goto out;
has_element:
    if (f == NULL) {
        st = schema_msg_syntax(d, diag_loc(d, path, 0, 0),
                               "the parser gave no reason");
        goto out;
    }
    /* The end came first: report the innermost element left open. */
    for (size_t i = 0; i < ec->nfacts; i++)
        if (ec->facts[i].code == XML_ERR_TAG_NOT_FINISHED &&
            f->line >= (int)last_line && f->code != XML_ERR_TAG_NAME_MISMATCH) {
            unsigned at = (unsigned)ec->facts[i].line;

            st = schema_msg_truncated(
                d, diag_loc(d, path, at < last_line ? at : last_line, 0),
                ec->facts[i].str1,
                ec->facts[i].int1 > 0 ? (unsigned)ec->facts[i].int1 : 0);
            goto out;
        }
    {
        struct pc_loc loc =
            diag_loc(d, path, f->line > 0 ? (unsigned)f->line : 0, 0);
        char what[256];

        switch (f->code) {
        case XML_ERR_TAG_NAME_MISMATCH:
            st = schema_msg_mismatched_tag(
                d, loc, f->str1, f->int1 > 0 ? (unsigned)f->int1 : 0, f->str2);
            goto out;
        case XML_ERR_DOCUMENT_END:
            snprintf(what, sizeof what,
                     "something follows the end of the root element; a file "
                     "holds one root element, and everything inside it");
            break;
        case XML_ERR_ATTRIBUTE_NOT_STARTED:
            snprintf(what, sizeof what,
                     "an attribute value must be in quotes (name=\"value\")");
            break;
        case XML_ERR_ATTRIBUTE_NOT_FINISHED:
            snprintf(what, sizeof what,
                     "an attribute value is missing its closing quote");
            break;
        case XML_ERR_ATTRIBUTE_WITHOUT_VALUE:
            snprintf(what, sizeof what,
                     "an attribute has no value (write name=\"value\")");
            break;
        case XML_ERR_ATTRIBUTE_REDEFINED:
            snprintf(what, sizeof what, "attribute '%s' is given twice",
                     f->str1);
            break;
        case XML_ERR_LT_IN_ATTRIBUTE:
            snprintf(what, sizeof what,
                     "'<' inside an attribute value: write &lt;");
            break;
        case XML_ERR_UNDECLARED_ENTITY:
            snprintf(what, sizeof what,
                     "&%s; is not an XML entity: write &amp; for '&'", f->str1);
            break;
        case XML_ERR_GT_REQUIRED:
            snprintf(what, sizeof what,
                     "the start tag <%s> is not closed by '>'", f->str1);
            break;
        default:
            snprintf(what, sizeof what, "%s", f->message);
            /* A capital that starts a sentence, not an acronym ("XML"). */
            if (what[0] >= 'A' && what[0] <= 'Z' &&
                !(what[1] >= 'A' && what[1] <= 'Z'))
                what[0] = (char)(what[0] - 'A' + 'a');
            break;
        }
        st = schema_msg_syntax(d, loc, what);
    }
out:
    free(root);
    free(ns);
    return st == PC_ENOMEM ? st : PC_ESYNTAX;
}

/* Parse bytes into a tree; on failure, say why in our words. */
static pc_status
xml_parse(const char *path, const char *buf, size_t len, const char *schema,
          pc_diags *d, xmlDoc **out)
{
    struct xml_errctx ec = { .d = d, .path = path, .collect = true };
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    xmlDoc *doc;

    *out = NULL;
    if (ctxt == NULL)
        return PC_ENOMEM;
    xml_oom_take();
    xmlSetStructuredErrorFunc(&ec, xml_on_error);
    doc = len > 0 ? xmlCtxtReadMemory(ctxt, buf, (int)len, path, "UTF-8",
                                      XML_SAFE_OPTIONS)
                  : NULL;
    xml_handlers_reset();
    if (xml_oom_take()) {
        xmlFreeDoc(doc);
        xmlFreeParserCtxt(ctxt);
        return PC_ENOMEM;
    }
    if (doc == NULL || ec.errors > 0 || !ctxt->wellFormed) {
        xmlFreeDoc(doc);
        xmlFreeParserCtxt(ctxt);
        return xml_explain_syntax(d, path, buf, len, &ec, schema);
    }
    xmlFreeParserCtxt(ctxt);
    *out = doc;
    return PC_OK;
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
    struct xml_errctx ec = { .d = d, .path = path };
    struct xml_limits lim;
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
    lim = xml_limits_now();
    st = xml_read_file(path, &lim, d, &buf, &len);
    if (st != PC_OK)
        goto out;
    pctx = xmlRelaxNGNewMemParserCtxt(buf, (int)len);
    if (pctx == NULL) {
        st = PC_ENOMEM;
        goto out;
    }
    xmlRelaxNGSetParserStructuredErrors(pctx, xml_on_error, &ec);
    xml_oom_take();
    schema = xmlRelaxNGParse(pctx);
    if (xml_oom_take()) {
        st = PC_ENOMEM;
        goto out;
    }
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

/* The schema a manifest streams through: the schema with the pattern
 * facets facet-xml.c checks taken out, compiled once per process. The
 * environment variable PRIVCHECK_FULL_SCHEMA (non-empty, not "0") keeps
 * every facet in libxml2's hands, for comparing the two. */
struct xml_stream_entry {
    char *path;
    xmlDoc *doc; /* the stripped copy: facets borrow its strings */
    xmlRelaxNGPtr schema;
    struct facets *facets;
};

static bool
xml_full_schema(void)
{
    const char *v = getenv("PRIVCHECK_FULL_SCHEMA");

    return v != NULL && v[0] != '\0' && strcmp(v, "0") != 0;
}

/* One cache of stripped schemas: the streamed kind or the whole kind. */
struct xml_stream_cache {
    struct xml_stream_entry v[16];
    size_t n;
};

static struct xml_stream_cache streamed, wholes;

static pc_status
xml_stripped_schema(const char *path, bool whole, pc_diags *d,
                    xmlRelaxNGPtr *out, const struct facets **facets)
{
    struct xml_errctx ec = { .d = d, .path = path };
    struct xml_stream_cache *cache = whole ? &wholes : &streamed;
    struct xml_stream_entry e = { 0 };
    xmlRelaxNGParserCtxtPtr pctx = NULL;
    pc_status st;

    *facets = NULL;
    if (xml_full_schema())
        return xml_schema(path, d, out);
    xml_init();
    pthread_mutex_lock(&schema_lock);
    for (size_t i = 0; i < cache->n; i++)
        if (strcmp(cache->v[i].path, path) == 0) {
            *out = cache->v[i].schema;
            *facets = cache->v[i].facets;
            pthread_mutex_unlock(&schema_lock);
            return PC_OK;
        }
    pthread_mutex_unlock(&schema_lock);
    if ((st = xml_load(path, NULL, d, &e.doc, NULL)) != PC_OK)
        return st;
    if ((st = whole ? facet_strip_whole(e.doc, d, &e.facets)
                    : facet_strip(e.doc, d, &e.facets)) != PC_OK)
        goto out;
    if ((pctx = xmlRelaxNGNewDocParserCtxt(e.doc)) == NULL) {
        st = PC_ENOMEM;
        goto out;
    }
    xmlRelaxNGSetParserStructuredErrors(pctx, xml_on_error, &ec);
    e.schema = xmlRelaxNGParse(pctx);
    if (e.schema == NULL || ec.errors > 0) {
        st = diag_fail(d, PC_EINVALID, diag_loc(d, path, 0, 0),
                       "schema does not compile");
        goto out;
    }
    if ((e.path = strdup(path)) == NULL) {
        st = PC_ENOMEM;
        goto out;
    }
    pthread_mutex_lock(&schema_lock);
    for (size_t i = 0; i < cache->n; i++)
        if (strcmp(cache->v[i].path, path) == 0) {
            /* Another thread was first: use its copy. */
            *out = cache->v[i].schema;
            *facets = cache->v[i].facets;
            pthread_mutex_unlock(&schema_lock);
            goto out;
        }
    if (cache->n == sizeof cache->v / sizeof cache->v[0]) {
        pthread_mutex_unlock(&schema_lock);
        st = diag_fail(d, PC_ELIMIT, diag_loc(d, path, 0, 0),
                       "too many schemas");
        goto out;
    }
    cache->v[cache->n++] = e;
    *out = e.schema;
    *facets = e.facets;
    pthread_mutex_unlock(&schema_lock);
    e = (struct xml_stream_entry){ 0 };
    /* The facets' patterns, for the next run (pattern.h). */
    pattern_store_save();
out:
    xmlRelaxNGFreeParserCtxt(pctx);
    if (e.schema != NULL)
        xmlRelaxNGFree(e.schema);
    facet_free(e.facets);
    xmlFreeDoc(e.doc);
    free(e.path);
    return st;
}

pc_status
xml_stream_schema(const char *path, pc_diags *d, xmlRelaxNGPtr *out,
                  const struct facets **facets)
{
    return xml_stripped_schema(path, false, d, out, facets);
}

static void
xml_stream_cache_free(struct xml_stream_cache *cache)
{
    for (size_t i = 0; i < cache->n; i++) {
        free(cache->v[i].path);
        xmlRelaxNGFree(cache->v[i].schema);
        facet_free(cache->v[i].facets);
        xmlFreeDoc(cache->v[i].doc);
    }
    cache->n = 0;
}

void
xml_cleanup(void)
{
    pthread_mutex_lock(&schema_lock);
    xml_stream_cache_free(&streamed);
    xml_stream_cache_free(&wholes);
    for (size_t i = 0; i < nschemas; i++) {
        free(schemas[i].path);
        xmlRelaxNGFree(schemas[i].schema);
    }
    nschemas = 0;
    pthread_mutex_unlock(&schema_lock);
    pthread_mutex_lock(&memdoc_lock);
    for (size_t i = 0; i < nmemdocs; i++) {
        free(memdocs[i].name);
        free(memdocs[i].buf);
    }
    nmemdocs = 0;
    pthread_mutex_unlock(&memdoc_lock);
}

/* Do the attributes of every element of doc satisfy the pattern facets
 * taken out of its schema? 1 yes, 0 no, -1 undecided (a match limit,
 * reported), FACET_NOMEM. Elements are bounded by the depth limit the
 * parse kept. */
static int
xml_facets_doc(const struct facets *f, xmlDoc *doc, pc_diags *d)
{
    const char *path = (const char *)doc->URL;
    xmlNode *n = xmlDocGetRootElement(doc);
    int rc = 1;

    if (f == NULL || facet_count(f) == 0)
        return 1;
    while (n != NULL && rc == 1) {
        if (n->type == XML_ELEMENT_NODE)
            rc = facet_check(f, n, d,
                             diag_loc(d, path, (unsigned)xmlGetLineNo(n), 0));
        if (n->type == XML_ELEMENT_NODE && n->children != NULL) {
            n = n->children;
            continue;
        }
        while (n != NULL && n->next == NULL)
            n = n->parent != NULL && n->parent->type == XML_ELEMENT_NODE
                    ? n->parent
                    : NULL;
        if (n != NULL)
            n = n->next;
    }
    return rc;
}

/* Validate doc; when it does not match, say every reason (schema-check.c),
 * at the start-tag lines of buf when it is known. The schema is the one
 * a manifest streams through: its pattern facets are checked here with
 * pcre2, compiled once, not by libxml2, which compiles each again for
 * every value (two thirds of validating a policy) and whose regular
 * expression compiler does not survive a failed allocation. */
static pc_status
xml_validate_buf(xmlDoc *doc, const char *schema_path, const char *buf,
                 size_t len, pc_diags *d)
{
    const char *path = (const char *)doc->URL;
    struct xml_errctx ec = { .d = d, .path = path, .collect = true };
    xmlRelaxNGValidCtxtPtr vctx;
    xmlRelaxNGPtr schema;
    const struct facets *facets;
    unsigned *lines = NULL;
    size_t nlines = 0, found = 0;
    pc_status st;
    int rc;

    if ((st = xml_stripped_schema(schema_path, true, d, &schema, &facets)) !=
        PC_OK)
        return st;
    vctx = xmlRelaxNGNewValidCtxt(schema);
    if (vctx == NULL)
        return PC_ENOMEM;
    xmlRelaxNGSetValidStructuredErrors(vctx, xml_on_error, &ec);
    xml_oom_take();
    rc = xmlRelaxNGValidateDoc(vctx, doc);
    xmlRelaxNGFreeValidCtxt(vctx);
    if (xml_oom_take())
        return PC_ENOMEM;
    /* A pattern that fails (or could not decide, and said why) is
     * explained like any other mismatch, as a streamed manifest's is. */
    if (rc == 0 && ec.errors == 0) {
        int frc = xml_facets_doc(facets, doc, d);

        if (frc == 1)
            return PC_OK;
        if (frc == FACET_NOMEM)
            return PC_ENOMEM;
    }
    if (buf != NULL &&
        (st = xml_start_lines(buf, len, &lines, &nlines)) != PC_OK)
        return st;
    st = schema_check_doc(schema_path, doc, path, lines, nlines, d, &found);
    free(lines);
    if (st == PC_ENOMEM)
        return st;
    if (found == 0) {
        /* The validator knows more than the walk could say: its facts,
         * in our words, so nothing fails without a message. */
        const struct xml_fact *f = ec.nfacts > 0 ? &ec.facts[0] : NULL;

        if (f != NULL && f->node_name[0] != '\0')
            st = schema_msg_invalid(d, diag_loc(d, path, f->node_line, 0),
                                    f->node_name);
        else
            st = diag_add(d, PC_SEV_ERROR, diag_loc(d, path, 0, 0),
                          "does not match its schema") == PC_OK
                     ? PC_EINVALID
                     : PC_ENOMEM;
        if (st == PC_ENOMEM)
            return st;
    }
    return PC_EINVALID;
}

pc_status
xml_validate(xmlDoc *doc, const char *schema_path, pc_diags *d)
{
    return xml_validate_buf(doc, schema_path, NULL, 0, d);
}

/* The key under which a run of this build records that the bytes with
 * digest doc_sha matched the schema at schema_path (cache.h): the
 * schema's bytes, whether libxml2 checks the pattern facets, and the
 * limits those facets are matched under all decide that. */
static bool
xml_valid_key(const char *schema_path, const char doc_sha[65], char key[65])
{
    struct xml_limits lim = xml_limits_now();
    char schema_sha[65], limits[128];
    const char *parts[5];
    pc_diags *scratch = pc_diags_new();
    char *buf = NULL;
    size_t len;
    bool ok;

    ok = scratch != NULL &&
         xml_read_file(schema_path, &lim, scratch, &buf, &len) == PC_OK;
    pc_diags_free(scratch);
    if (!ok)
        return false;
    sha256_hex(buf, len, schema_sha);
    free(buf);
    snprintf(limits, sizeof limits, "%llu %llu %llu %llu",
             limit_get(LIMIT_REGEX_MATCH), limit_get(LIMIT_REGEX_DEPTH),
             limit_get(LIMIT_REGEX_HEAP), limit_get(LIMIT_REGEX_SUBJECT));
    parts[0] = "valid";
    parts[1] = schema_sha;
    parts[2] = doc_sha;
    parts[3] = xml_full_schema() ? "libxml2 facets" : "pcre2 facets";
    parts[4] = limits;
    return cache_key(parts, 5, key);
}

static pc_status
xml_load_as(const char *path, const char *schema, bool trusted, pc_diags *d,
            xmlDoc **out, char sha256[65])
{
    struct xml_limits lim;
    xmlDoc *doc = NULL;
    char *buf = NULL, digest[65], key[65];
    bool known = false;
    size_t len;
    pc_status st;

    xml_init();
    lim = xml_limits_now();
    st = xml_read_file(path, &lim, d, &buf, &len);
    if (st != PC_OK)
        return st;
    if (sha256 != NULL || (trusted && schema != NULL))
        sha256_hex(buf, len, digest);
    if (sha256 != NULL)
        memcpy(sha256, digest, sizeof digest);
    if (trusted && schema != NULL && xml_valid_key(schema, digest, key))
        known = true;
    if ((st = xml_parse(path, buf, len, schema, d, &doc)) != PC_OK)
        goto out;
    if (schema != NULL && !(known && cache_has(key))) {
        if ((st = xml_validate_buf(doc, schema, buf, len, d)) != PC_OK)
            goto out;
        if (known)
            cache_mark(key);
    }
    *out = doc;
    doc = NULL;
out:
    xmlFreeDoc(doc);
    free(buf);
    return st;
}

pc_status
xml_load(const char *path, const char *schema, pc_diags *d, xmlDoc **out,
         char sha256[65])
{
    return xml_load_as(path, schema, false, d, out, sha256);
}

pc_status
xml_load_data(const char *path, const char *schema, pc_diags *d, xmlDoc **out,
              char sha256[65])
{
    return xml_load_as(path, schema, true, d, out, sha256);
}

/* ------------------------------------------------------------------ */
/* Streaming. */

/* A stream that fails is explained from a tree of the whole file (every
 * schema problem, the syntax error in our words) when the file is no
 * larger than a tree load accepts; past that, by what the stream said. */
#define XML_EXPLAIN_MAX (xml_default_limits.max_bytes)

struct xml_reader {
    xmlTextReaderPtr r;
    const char *path; /* interned */
    pc_diags *d;
    /* The bytes: from fd, or (standard input, read once and kept by
     * file.c) from mem. Each block goes through the pre-scan and the
     * digest before libxml2 sees it. */
    int fd;
    char *mem;
    size_t memlen, mempos;
    size_t size;      /* fstat's, or memlen */
    size_t max_bytes; /* the ceiling, checked while reading */
    size_t nread;
    bool eof, io_failed;
    struct xml_limits lim; /* the pre-scan's, for as long as it runs */
    struct prescan scan;
    struct sha256_stream sha;
    char *sha_out; /* the caller's, written at the end */
    char *schema;  /* its path, to explain a failure */
    struct xml_errctx ec;
    bool validating;
    const struct facets *facets; /* the patterns libxml2 does not check */
    bool facet_failed;
    int failed; /* once failed: what xml_reader_next keeps returning */
    /* libxml2 keeps an element's line in 16 bits and takes it where the
     * start tag ends; the pre-scan notes where each start tag begins, a
     * block ahead of the reader, so lines are exact at any size. */
    /* By depth, of the open elements. */
    unsigned start_line[LIMIT_DEPTH_CEILING + 2];
};

static void
xml_reader_on_error(void *user, xmlErrorPtr e)
{
    xml_on_error(user, e);
}

/* libxml2's read callback: fill buf from the source, bound, digest and
 * pre-scan it. -1 stops the parse; the reason is in the diagnostics. */
static int
xml_reader_io(void *ctx, char *buf, int len)
{
    struct xml_reader *xr = ctx;
    size_t n = 0, want = len > 0 ? (size_t)len : 0;

    if (xr->io_failed)
        return -1;
    if (xr->eof)
        return 0;
    if (xr->mem != NULL) {
        n = xr->memlen - xr->mempos < want ? xr->memlen - xr->mempos : want;
        memcpy(buf, xr->mem + xr->mempos, n);
        xr->mempos += n;
    } else {
        /* A full block each time, so the pre-scan's first one holds the
         * magic numbers. */
        while (n < want) {
            ssize_t got = read(xr->fd, buf + n, want - n);

            if (got < 0 && errno == EINTR)
                continue;
            if (got < 0) {
                diag_fail(xr->d, PC_EIO, diag_loc(xr->d, xr->path, 0, 0),
                          "read error: %s", strerror(errno));
                goto fail;
            }
            if (got == 0)
                break;
            n += (size_t)got;
        }
    }
    xr->nread += n;
    if (xr->nread > xr->max_bytes) {
        diag_fail(xr->d, PC_ELIMIT, diag_loc(xr->d, xr->path, 0, 0),
                  "file exceeds the limit of %zu bytes", xr->max_bytes);
        goto fail;
    }
    sha256_stream_add(&xr->sha, buf, n);
    if (prescan_feed(&xr->scan, buf, n) != PC_OK)
        goto fail;
    if (n == 0) {
        xr->eof = true;
        if (prescan_finish(&xr->scan) != PC_OK)
            goto fail;
        if (xr->sha_out != NULL)
            sha256_stream_hex(&xr->sha, xr->sha_out);
    }
    return (int)n;
fail:
    xr->io_failed = true;
    return -1;
}

static int
xml_reader_io_close(void *ctx)
{
    (void)ctx;
    return 0;
}

pc_status
xml_reader_open(const char *path, const char *schema, size_t max_bytes,
                pc_diags *d, struct xml_reader **out, char sha256[65])
{
    struct xml_reader *xr;
    xmlRelaxNGPtr rng = NULL;
    const struct facets *facets = NULL;
    size_t errors = pc_diags_errors(d);
    pc_status st;

    xml_init();
    if (schema != NULL &&
        (st = xml_stream_schema(schema, d, &rng, &facets)) != PC_OK)
        return st;
    xr = calloc(1, sizeof *xr);
    if (xr == NULL)
        return PC_ENOMEM;
    xr->facets = facets;
    xr->fd = -1;
    xr->d = d;
    xr->path = diag_intern(d, path);
    xr->ec.d = d;
    xr->ec.path = xr->path;
    xr->ec.collect = true;
    xr->max_bytes = max_bytes != 0 ? max_bytes : PC_MAX_BYTES_DEFAULT;
    xr->sha_out = sha256;
    sha256_stream_init(&xr->sha);
    xr->lim = xml_limits_now();
    prescan_init(&xr->scan, xr->path, &xr->lim, d, true);
    if (xr->path == NULL ||
        (schema != NULL && (xr->schema = strdup(schema)) == NULL)) {
        st = PC_ENOMEM;
        goto fail;
    }
    if (strcmp(path, PC_STDIN) == 0)
        st = file_read(path, xr->max_bytes, d, &xr->mem, &xr->memlen);
    else
        st = file_open(path, xr->max_bytes, d, &xr->fd, &xr->size);
    if (st != PC_OK)
        goto fail;
    if (xr->mem != NULL)
        xr->size = xr->memlen;
    xr->r = xmlReaderForIO(xml_reader_io, xml_reader_io_close, xr, path,
                           "UTF-8", XML_SAFE_OPTIONS);
    if (xr->r == NULL) {
        /* Opening reads the first block: a refusal is already said. */
        st = xr->io_failed && xr->scan.st != PC_OK ? xr->scan.st
             : xr->io_failed                       ? PC_EIO
                                                   : PC_ENOMEM;
        if (st != PC_ENOMEM && pc_diags_errors(d) == errors)
            st = diag_fail(d, st, diag_loc(d, path, 0, 0), "cannot read");
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
    *out = xr;
    return PC_OK;
fail:
    xml_reader_close(xr);
    return st;
}

/* The stream failed and the file is too large for a tree: say what the
 * stream said, at the line of the element it was on. */
static pc_status
xml_reader_explain_stream(struct xml_reader *xr)
{
    pc_diags *d = xr->ec.d;
    const char *path = xr->ec.path;
    const struct xml_fact *f = xr->ec.nfacts > 0 ? &xr->ec.facts[0] : NULL;
    pc_status st;

    if (xr->facet_failed || (f != NULL && f->domain == XML_FROM_RELAXNGV)) {
        int depth = xmlTextReaderDepth(xr->r);
        const xmlChar *name = xmlTextReaderConstLocalName(xr->r);
        unsigned line = f != NULL ? f->node_line : 0;

        if (depth >= 0 &&
            (size_t)depth < sizeof xr->start_line / sizeof xr->start_line[0] &&
            xr->start_line[depth] > 0)
            line = xr->start_line[depth];
        st = schema_msg_invalid(d, diag_loc(d, path, line, 0),
                                f != NULL && f->node_name[0] != '\0'
                                    ? f->node_name
                                : name != NULL ? (const char *)name
                                               : "document");
        if (st == PC_EINVALID)
            return st;
    } else {
        st = schema_msg_syntax(
            d,
            diag_loc(d, path, f != NULL && f->line > 0 ? (unsigned)f->line : 0,
                     0),
            f != NULL ? f->message : "the reader stopped");
    }
    if (xr->ec.invalid == 0 && st == PC_EINVALID)
        st = PC_ESYNTAX;
    return st;
}

/* The reader failed. A refusal of the pre-scan, the ceiling or a read
 * error has been said already. Otherwise read the file again as a tree,
 * so the messages are the ones a tree load gives. Returns the negated
 * status. */
static int
xml_reader_explain(struct xml_reader *xr)
{
    pc_diags *d = xr->ec.d;
    const char *path = xr->ec.path;
    xmlDoc *doc = NULL;
    char *buf = NULL;
    size_t len = 0;
    pc_status st;

    if (xr->scan.st != PC_OK)
        return -(int)xr->scan.st;
    if (xr->io_failed)
        return -(int)(xr->nread > xr->max_bytes ? PC_ELIMIT : PC_EIO);
    if (xr->size > XML_EXPLAIN_MAX || xr->nread > XML_EXPLAIN_MAX)
        return -(int)xml_reader_explain_stream(xr);
    st = xml_read_file(path, &xml_default_limits, d, &buf, &len);
    if (st == PC_OK)
        st = xml_parse(path, buf, len, xr->schema, d, &doc);
    if (st == PC_OK && xr->schema != NULL)
        st = xml_validate_buf(doc, xr->schema, buf, len, d);
    xmlFreeDoc(doc);
    free(buf);
    if (st == PC_OK)
        st = xml_reader_explain_stream(xr); /* the file changed since? */
    return -(int)st;
}

int
xml_reader_next(struct xml_reader *xr)
{
    int rc;

    if (xr->failed != 0)
        return xr->failed;
    xml_oom_take();
    rc = xmlTextReaderRead(xr->r);
    if (xml_oom_take())
        return xr->failed = -PC_ENOMEM;
    if (rc < 0 || xr->ec.errors > 0 || xr->io_failed)
        return xr->failed = xml_reader_explain(xr);
    if (rc == 1 && xmlTextReaderNodeType(xr->r) == XML_READER_TYPE_ELEMENT) {
        int depth = xmlTextReaderDepth(xr->r);
        unsigned line = prescan_next_tag(&xr->scan);

        if (depth >= 0 &&
            (size_t)depth < sizeof xr->start_line / sizeof xr->start_line[0])
            xr->start_line[depth] = line;
        int frc = xr->facets == NULL
                      ? 1
                      : facet_check(xr->facets, xmlTextReaderCurrentNode(xr->r),
                                    xr->d, diag_loc(xr->d, xr->path, line, 0));

        if (frc == FACET_NOMEM)
            return xr->failed = -PC_ENOMEM;
        if (frc != 1) {
            xr->facet_failed = true;
            return xr->failed = xml_reader_explain(xr);
        }
    }
    if (rc == 0 && xr->validating && xmlTextReaderIsValid(xr->r) == 0)
        return xr->failed = xml_reader_explain(xr);
    if (rc == 0 && !xr->eof) {
        /* The reader is done before the input: the rest must still pass
         * the pre-scan and the digest covers every byte. */
        char tail[4096];
        int n;

        while ((n = xml_reader_io(xr, tail, (int)sizeof tail)) > 0)
            ;
        if (n < 0)
            return xr->failed = xml_reader_explain(xr);
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
    if (xr->fd >= 0)
        close(xr->fd);
    prescan_free(&xr->scan);
    free(xr->mem);
    free(xr->schema);
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
    if (copy == NULL)
        xml_oom = true;
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
            xml_oom = true;
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
xml_root(const char *path, pc_diags *d, char **name, char **ns)
{
    struct xml_reader *xr;
    const xmlChar *uri, *local;
    pc_status st;
    int rc;

    *name = *ns = NULL;
    if ((st = xml_reader_open(path, NULL, 0, d, &xr, NULL)) != PC_OK)
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
    uri = xmlTextReaderConstNamespaceUri(xr->r);
    local = xmlTextReaderConstLocalName(xr->r);
    *ns = strdup(uri != NULL ? (const char *)uri : "");
    *name = strdup(local != NULL ? (const char *)local : "");
    xml_reader_close(xr);
    if (*ns == NULL || *name == NULL) {
        free(*ns);
        free(*name);
        *name = *ns = NULL;
        return PC_ENOMEM;
    }
    return PC_OK;
}

pc_status
xml_root_ns(const char *path, pc_diags *d, char **out)
{
    char *name = NULL;
    pc_status st = xml_root(path, d, &name, out);

    free(name);
    return st;
}
