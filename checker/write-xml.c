/* write-xml.c - writing XML reports (JUnit) through libxml2's
 * xmlTextWriter, so escaping is the library's, not ours. What XML 1.0
 * cannot carry at all, even as a character reference (control
 * characters), and what a reader must not be shown raw (C1 controls, bidi
 * overrides, bytes that are not UTF-8) is written as \xNN first. */
#include "config.h"

#include "xml.h"

#include "diag.h"
#include "strbuf.h"

#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>

struct xml_writer {
    xmlTextWriterPtr w;
    xmlOutputBufferPtr buf; /* owned by w */
    struct strbuf scratch;
    pc_status st; /* the first failure sticks */
};

/* libxml2 would print a failed write to stderr ("I/O error : flush
 * error"); the library never prints, and the failure is seen anyway from
 * the writer's return codes and the stream. */
static void
xml_writer_quiet(void *ctx, xmlErrorPtr err)
{
    (void)ctx;
    (void)err;
}

static int
xml_writer_write(void *ctx, const char *buf, int len)
{
    FILE *out = ctx;

    return fwrite(buf, 1, (size_t)len, out) == (size_t)len ? len : -1;
}

pc_status
xml_writer_open(FILE *out, struct xml_writer **wp)
{
    struct xml_writer *w = calloc(1, sizeof *w);

    *wp = NULL;
    if (w == NULL)
        return PC_ENOMEM;
    /* Per thread in libxml2; xml.c sets and clears it the same way. */
    xmlSetStructuredErrorFunc(NULL, xml_writer_quiet);
    w->scratch.max = 1u << 24;
    w->buf = xmlOutputBufferCreateIO(xml_writer_write, NULL, out, NULL);
    if (w->buf == NULL || (w->w = xmlNewTextWriter(w->buf)) == NULL) {
        if (w->buf != NULL)
            xmlOutputBufferClose(w->buf);
        free(w);
        xml_handlers_reset();
        return PC_ENOMEM;
    }
    if (xmlTextWriterSetIndent(w->w, 1) < 0 ||
        xmlTextWriterSetIndentString(w->w, BAD_CAST "  ") < 0 ||
        xmlTextWriterStartDocument(w->w, "1.0", "UTF-8", NULL) < 0)
        w->st = PC_EIO;
    *wp = w;
    return PC_OK;
}

/* s with what XML cannot carry or a reader must not see made visible;
 * newlines are kept. Borrowed until the next call. */
static const char *
xml_writer_clean(struct xml_writer *w, const char *s)
{
    const char *end = s + strlen(s);

    strbuf_reset(&w->scratch);
    while (s < end && w->st == PC_OK) {
        bool unsafe;
        size_t n = diag_scan(s, (size_t)(end - s), &unsafe);
        pc_status st = PC_OK;

        if (unsafe && *s != '\n')
            for (size_t i = 0; i < n && st == PC_OK; i++)
                st = strbuf_printf(&w->scratch, "\\x%02x", (unsigned char)s[i]);
        else
            st = strbuf_add(&w->scratch, s, n);
        if (st != PC_OK)
            w->st = st;
        s += n;
    }
    return strbuf_str(&w->scratch);
}

static void
xml_writer_check(struct xml_writer *w, int rc)
{
    if (rc < 0 && w->st == PC_OK)
        w->st = PC_EIO;
}

void
xml_writer_start(struct xml_writer *w, const char *name)
{
    if (w->st == PC_OK)
        xml_writer_check(w, xmlTextWriterStartElement(w->w, BAD_CAST name));
}

void
xml_writer_attr(struct xml_writer *w, const char *name, const char *value)
{
    const char *v;

    if (w->st != PC_OK || value == NULL)
        return;
    v = xml_writer_clean(w, value);
    if (w->st == PC_OK)
        xml_writer_check(
            w, xmlTextWriterWriteAttribute(w->w, BAD_CAST name, BAD_CAST v));
}

void
xml_writer_attr_uint(struct xml_writer *w, const char *name, size_t n)
{
    char num[32];

    snprintf(num, sizeof num, "%zu", n);
    xml_writer_attr(w, name, num);
}

void
xml_writer_text(struct xml_writer *w, const char *text)
{
    const char *v;

    if (w->st != PC_OK || text == NULL)
        return;
    v = xml_writer_clean(w, text);
    if (w->st == PC_OK)
        xml_writer_check(w, xmlTextWriterWriteString(w->w, BAD_CAST v));
}

void
xml_writer_end(struct xml_writer *w)
{
    if (w->st == PC_OK)
        xml_writer_check(w, xmlTextWriterFullEndElement(w->w));
}

void
xml_writer_end_empty(struct xml_writer *w)
{
    if (w->st == PC_OK)
        xml_writer_check(w, xmlTextWriterEndElement(w->w));
}

pc_status
xml_writer_close(struct xml_writer *w)
{
    pc_status st;

    if (w == NULL)
        return PC_OK;
    if (w->st == PC_OK)
        xml_writer_check(w, xmlTextWriterEndDocument(w->w));
    if (w->st == PC_OK)
        xml_writer_check(w, xmlTextWriterFlush(w->w));
    st = w->st;
    xmlFreeTextWriter(w->w); /* closes buf */
    xml_handlers_reset();
    strbuf_free(&w->scratch);
    free(w);
    return st;
}
