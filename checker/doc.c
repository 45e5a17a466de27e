/* doc.c - the document interface (doc.h) and its Markdown backend. The
 * Markdown is GitHub-flavoured: what would otherwise become markup in the
 * text is backslash-escaped, a '|' in a table cell too, and a line break
 * never ends a row. */
#include "config.h"

#include "doc.h"

#include "diag.h"
#include "strbuf.h"
#include "strv.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define DOC_MAX_TEXT (1u << 24)

pc_status
doc_clean(struct strbuf *b, const char *s)
{
    const char *end = s + strlen(s);
    pc_status st = PC_OK;

    while (s < end && st == PC_OK) {
        bool unsafe;
        size_t n = diag_scan(s, (size_t)(end - s), &unsafe);

        if (*s == '\n' || *s == '\r' || *s == '\t')
            st = strbuf_putc(b, ' ');
        else if (unsafe)
            for (size_t i = 0; i < n && st == PC_OK; i++)
                st = strbuf_printf(b, "\\x%02x", (unsigned char)s[i]);
        else
            st = strbuf_add(b, s, n);
        s += n;
    }
    return st;
}

bool
doc_format_known(const char *format)
{
    return strcmp(format, "markdown") == 0 || strcmp(format, "html") == 0;
}

pc_status
doc_open(const char *format, FILE *out, const char *title, struct doc **doc)
{
    *doc = NULL;
    if (strcmp(format, "markdown") == 0)
        return doc_markdown_open(out, doc);
    if (strcmp(format, "html") == 0)
        return doc_html_open(out, title, doc);
    return PC_EINVALID;
}

pc_status
doc_end(struct doc *d)
{
    return d->ops->end(d);
}

void
doc_abort(struct doc *d)
{
    if (d != NULL)
        d->ops->abort(d);
}

void
doc_h(struct doc *d, int level, const char *anchor, const char *text)
{
    d->ops->block(d, DOC_H, level, anchor);
    doc_text(d, text);
    d->ops->block(d, DOC_END, 0, NULL);
}

void
doc_p(struct doc *d)
{
    d->ops->block(d, DOC_P, 0, NULL);
}

void
doc_quote(struct doc *d)
{
    d->ops->block(d, DOC_QUOTE, 0, NULL);
}

void
doc_ul(struct doc *d)
{
    d->ops->block(d, DOC_UL, 0, NULL);
}

void
doc_li(struct doc *d)
{
    d->ops->block(d, DOC_LI, 0, NULL);
}

void
doc_list_end(struct doc *d)
{
    d->ops->block(d, DOC_END, 0, NULL);
}

void
doc_table(struct doc *d, size_t ncols, const char *const *heads)
{
    d->ops->table(d, ncols, heads);
}

void
doc_row(struct doc *d)
{
    d->ops->row(d);
}

void
doc_cell(struct doc *d)
{
    d->ops->cell(d);
}

void
doc_table_end(struct doc *d)
{
    d->ops->block(d, DOC_END, 0, NULL);
}

static void
doc_inline(struct doc *d, int kind, const char *s)
{
    if (s != NULL && *s != '\0')
        d->ops->inline_(d, kind, s);
}

void
doc_text(struct doc *d, const char *s)
{
    doc_inline(d, DOC_TEXT, s);
}

void
doc_textf(struct doc *d, const char *fmt, ...)
{
    va_list ap;
    char *s = NULL;
    int n;

    va_start(ap, fmt);
    n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0) {
        d->st = d->st != PC_OK ? d->st : PC_ENOMEM;
        return;
    }
    doc_text(d, s);
    free(s);
}

void
doc_code(struct doc *d, const char *s)
{
    doc_inline(d, DOC_CODE, s);
}

void
doc_strong(struct doc *d, const char *s)
{
    doc_inline(d, DOC_STRONG, s);
}

void
doc_em(struct doc *d, const char *s)
{
    doc_inline(d, DOC_EM, s);
}

void
doc_ins(struct doc *d, const char *s)
{
    doc_inline(d, DOC_INS, s);
}

void
doc_del(struct doc *d, const char *s)
{
    doc_inline(d, DOC_DEL, s);
}

void
doc_codes(struct doc *d, const struct strv *ids)
{
    if (ids->n == 0) {
        doc_text(d, "—");
        return;
    }
    for (size_t i = 0; i < ids->n; i++) {
        if (i > 0)
            doc_text(d, ", ");
        doc_code(d, ids->v[i]);
    }
}

void
doc_cell_text(struct doc *d, const char *s)
{
    doc_text(d, s != NULL && *s != '\0' ? s : "—");
}

/* ------------------------------------------------------------------ */
/* Markdown. */

enum md_state { MD_NONE, MD_PARA, MD_LIST, MD_TABLE };

struct md {
    struct doc doc;
    enum md_state state;
    bool line_start; /* nothing written yet on this line of text */
    bool in_cell, row_open;
    bool heading;
    struct strbuf scratch;
};

static void
md_check(struct md *m)
{
    if (m->doc.st == PC_OK && ferror(m->doc.out))
        m->doc.st = PC_EIO;
}

static void
md_puts(struct md *m, const char *s)
{
    fputs(s, m->doc.out);
}

/* Close what is open: a paragraph or heading ends with a blank line, a
 * list item or a table row with the line. */
static void
md_close(struct md *m)
{
    switch (m->state) {
    case MD_PARA:
        md_puts(m, "\n\n");
        break;
    case MD_LIST:
        md_puts(m, "\n\n");
        break;
    case MD_TABLE:
        if (m->row_open)
            md_puts(m, " |\n");
        md_puts(m, "\n");
        break;
    case MD_NONE:
        break;
    }
    m->state = MD_NONE;
    m->row_open = m->in_cell = m->heading = false;
}

static void
md_block(struct doc *d, int kind, int level, const char *anchor)
{
    struct md *m = (struct md *)d;

    (void)anchor;
    switch (kind) {
    case DOC_H:
        md_close(m);
        for (int i = 0; i < level; i++)
            fputc('#', d->out);
        fputc(' ', d->out);
        m->state = MD_PARA;
        m->heading = true;
        /* A heading's text may begin with "1." safely. */
        m->line_start = false;
        return;
    case DOC_P:
        md_close(m);
        m->state = MD_PARA;
        m->line_start = true;
        return;
    case DOC_QUOTE:
        md_close(m);
        md_puts(m, "> ");
        m->state = MD_PARA;
        m->line_start = true;
        return;
    case DOC_UL:
        md_close(m);
        m->state = MD_LIST;
        m->row_open = false;
        return;
    case DOC_LI:
        if (m->state != MD_LIST) {
            md_close(m);
            m->state = MD_LIST;
        } else if (m->row_open) {
            fputc('\n', d->out);
        }
        md_puts(m, "- ");
        m->row_open = true;
        m->line_start = true;
        return;
    case DOC_END:
        if (m->heading) {
            md_puts(m, "\n\n");
            m->state = MD_NONE;
            m->heading = false;
        } else {
            md_close(m);
        }
        return;
    }
}

/* Escape what would become markup. At the start of a line "1." or "-"
 * would begin a list, "#" a heading; in a cell '|' ends the cell. */
static void
md_escaped(struct md *m, const char *s)
{
    FILE *out = m->doc.out;
    const char *p = s;

    if (m->line_start) {
        while (isdigit((unsigned char)*p))
            p++;
        if (p > s && (*p == '.' || *p == ')')) {
            fwrite(s, 1, (size_t)(p - s), out);
            fputc('\\', out);
            s = p;
        } else if (*s == '-' || *s == '+' || *s == '#' || *s == '>') {
            /* A list, a heading, a quote. */
            fputc('\\', out);
            fputc(*s++, out);
        }
    }
    m->line_start = false;
    for (; *s != '\0'; s++) {
        switch (*s) {
        case '\\':
        case '`':
        case '*':
        case '_':
        case '[':
        case ']':
        case '<': /* with '<' escaped, a '>' can end no tag or link */
        case '~':
            fputc('\\', out);
            fputc(*s, out);
            break;
        case '|':
            fputs(m->in_cell ? "\\|" : "|", out);
            break;
        default:
            fputc(*s, out);
        }
    }
}

static void
md_inline(struct doc *d, int kind, const char *s)
{
    struct md *m = (struct md *)d;
    const char *t;

    if (m->state == MD_NONE) {
        m->state = MD_PARA;
        m->line_start = true;
    }
    strbuf_reset(&m->scratch);
    if (doc_clean(&m->scratch, s) != PC_OK) {
        d->st = d->st != PC_OK ? d->st : PC_ENOMEM;
        return;
    }
    t = strbuf_str(&m->scratch);
    switch (kind) {
    case DOC_CODE:
        /* Ids are slugs, dotted ids, jurisdiction codes, URIs and
         * hashes; should one hold a backtick, a longer fence keeps it
         * code. A '|' in a cell must still be escaped. */
        fputs(strchr(t, '`') != NULL ? "`` " : "`", d->out);
        for (const char *c = t; *c != '\0'; c++)
            if (*c == '|' && m->in_cell)
                fputs("\\|", d->out);
            else
                fputc(*c, d->out);
        fputs(strchr(t, '`') != NULL ? " ``" : "`", d->out);
        m->line_start = false;
        break;
    case DOC_STRONG:
        md_puts(m, "**");
        m->line_start = false;
        md_escaped(m, t);
        md_puts(m, "**");
        break;
    case DOC_EM:
        md_puts(m, "*");
        m->line_start = false;
        md_escaped(m, t);
        md_puts(m, "*");
        break;
    case DOC_INS:
        md_puts(m, "**[+");
        m->line_start = false;
        md_escaped(m, t);
        md_puts(m, "+]**");
        break;
    case DOC_DEL:
        md_puts(m, "~~[-");
        m->line_start = false;
        md_escaped(m, t);
        md_puts(m, "-]~~");
        break;
    default:
        md_escaped(m, t);
    }
}

static void
md_table(struct doc *d, size_t ncols, const char *const *heads)
{
    struct md *m = (struct md *)d;

    md_close(m);
    md_puts(m, "|");
    m->in_cell = true;
    for (size_t i = 0; i < ncols; i++) {
        fputc(' ', d->out);
        m->line_start = false;
        md_escaped(m, heads[i]);
        md_puts(m, " |");
    }
    md_puts(m, "\n|");
    for (size_t i = 0; i < ncols; i++)
        md_puts(m, "---|");
    md_puts(m, "\n");
    m->state = MD_TABLE;
    m->row_open = false;
}

static void
md_row(struct doc *d)
{
    struct md *m = (struct md *)d;

    if (m->row_open)
        md_puts(m, " |\n");
    m->row_open = true;
    m->in_cell = false;
}

static void
md_cell(struct doc *d)
{
    struct md *m = (struct md *)d;

    md_puts(m, m->in_cell ? " | " : "| ");
    m->in_cell = true;
    m->line_start = false;
}

static pc_status
md_end(struct doc *d)
{
    struct md *m = (struct md *)d;
    pc_status st;

    md_close(m);
    if (fflush(d->out) != 0)
        d->st = d->st != PC_OK ? d->st : PC_EIO;
    md_check(m);
    st = d->st;
    strbuf_free(&m->scratch);
    free(m);
    return st;
}

static void
md_abort(struct doc *d)
{
    struct md *m = (struct md *)d;

    strbuf_free(&m->scratch);
    free(m);
}

static const struct doc_ops md_ops = {
    md_block, md_inline, md_table, md_row, md_cell, md_end, md_abort,
};

pc_status
doc_markdown_open(FILE *out, struct doc **doc)
{
    struct md *m = calloc(1, sizeof *m);

    if (m == NULL)
        return PC_ENOMEM;
    m->doc.ops = &md_ops;
    m->doc.out = out;
    m->scratch.max = DOC_MAX_TEXT;
    *doc = &m->doc;
    return PC_OK;
}
