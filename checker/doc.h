/* doc.h - a document for a human reader, written once and shown as
 * Markdown or as HTML: the walks that fill one (policy render, policy
 * diff) do not know which. Headings, paragraphs, quotes, lists and tables
 * of inline text, code, emphasis and insertions/deletions. Every string
 * is escaped by the backend; a backend's first failure sticks and is
 * returned by doc_end. */
#ifndef PC_DOC_H
#define PC_DOC_H

#include "privcheck.h"

struct doc;

/* Backends. */
struct doc_ops {
    void (*block)(struct doc *, int kind, int level, const char *anchor);
    void (*inline_)(struct doc *, int kind, const char *s);
    void (*table)(struct doc *, size_t ncols, const char *const *heads);
    void (*row)(struct doc *);
    void (*cell)(struct doc *);
    pc_status (*end)(struct doc *); /* write out and free */
    void (*abort)(struct doc *);    /* free without writing */
};

enum doc_block {
    DOC_H,     /* heading, `level` 1-4 */
    DOC_P,     /* paragraph */
    DOC_QUOTE, /* a quoted paragraph */
    DOC_UL,    /* start a bullet list */
    DOC_LI,    /* next item of the list */
    DOC_END,   /* end the list or table under way */
};

enum doc_inline {
    DOC_TEXT,
    DOC_CODE,
    DOC_STRONG,
    DOC_EM,
    DOC_INS, /* text a change added */
    DOC_DEL, /* text a change removed */
};

struct doc {
    const struct doc_ops *ops;
    FILE *out;
    pc_status st;
};

/* A document written to out when it ends. "markdown" or "html"; title
 * heads the HTML page. On PC_OK *doc is the caller's, to end with
 * doc_end; PC_EINVALID for another format. */
pc_status doc_open(const char *format, FILE *out, const char *title,
                   struct doc **doc);
/* Is format one doc_open takes? */
bool doc_format_known(const char *format);
/* Write the document out and free it: PC_EIO when the stream failed. */
pc_status doc_end(struct doc *d);
/* Free it without writing; NULL is a no-op. */
void doc_abort(struct doc *d);

/* Blocks. A heading's anchor (NULL: none) names it for links; inline
 * calls outside a block start a paragraph. */
void doc_h(struct doc *d, int level, const char *anchor, const char *text);
void doc_p(struct doc *d);
void doc_quote(struct doc *d);
void doc_ul(struct doc *d);
void doc_li(struct doc *d);
void doc_list_end(struct doc *d);
/* A table with these column heads; doc_row starts a row, doc_cell the
 * next cell of it. */
void doc_table(struct doc *d, size_t ncols, const char *const *heads);
void doc_row(struct doc *d);
void doc_cell(struct doc *d);
void doc_table_end(struct doc *d);

/* Inline content. NULL or "" writes nothing. */
void doc_text(struct doc *d, const char *s);
void doc_textf(struct doc *d, const char *fmt, ...) PC_PRINTF(2, 3);
void doc_code(struct doc *d, const char *s);
void doc_strong(struct doc *d, const char *s);
void doc_em(struct doc *d, const char *s);
void doc_ins(struct doc *d, const char *s);
void doc_del(struct doc *d, const char *s);
/* Ids as code, comma-separated; "—" for none. */
struct strv;
void doc_codes(struct doc *d, const struct strv *ids);
/* A cell's text, or "—" when s is NULL or empty. */
void doc_cell_text(struct doc *d, const char *s);

/* The backends, for doc.c. */
pc_status doc_markdown_open(FILE *out, struct doc **doc);
pc_status doc_html_open(FILE *out, const char *title, struct doc **doc);
/* s with what a reader must not be shown raw (controls, bidi overrides,
 * bytes that are not UTF-8) written as \xNN, appended to b; newlines
 * become spaces. */
struct strbuf;
pc_status doc_clean(struct strbuf *b, const char *s);

#endif
