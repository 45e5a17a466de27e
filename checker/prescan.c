/* prescan.c - the pre-scan of XML bytes as a state machine, so that a
 * manifest can stream from its file in blocks and still have every block
 * judged before libxml2 parses it: a DOCTYPE cut in two by a block's end
 * is refused when its second half arrives, before libxml2 can act on it
 * ('<!' alone is nothing it can parse). Whole-buffer callers get the same
 * answers as from one block. */
#include "config.h"

#include "prescan.h"

#include "diag.h"
#include "limit.h"
#include "utf8.h"
#include "xml.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum {
    PS_TEXT,    /* outside markup */
    PS_LT,      /* just after '<' */
    PS_BANG,    /* after "<!", matching "--" or "[CDATA[" */
    PS_COMMENT, /* inside <!-- -->, k = trailing '-' seen (at most 2) */
    PS_PI,      /* inside <? ?>, k = 1 after a '?' */
    PS_CDATA,   /* inside <![CDATA[ ]]>, k = trailing ']' seen */
    PS_TAG,     /* inside a start or end tag */
};

void
prescan_init(struct prescan *s, const char *path, const struct xml_limits *lim,
             pc_diags *d, bool want_tags)
{
    memset(s, 0, sizeof *s);
    s->lim = lim;
    s->d = d;
    s->path = path;
    s->line = 1;
    s->state = PS_TEXT;
    s->want_tags = want_tags;
}

void
prescan_free(struct prescan *s)
{
    free(s->tags);
    s->tags = NULL;
    s->tcap = s->tlen = s->thead = 0;
}

static pc_status
prescan_fail(struct prescan *s, pc_status st, unsigned line, const char *what)
{
    s->st = diag_fail(s->d, st, diag_loc(s->d, s->path, line, 0), "%s", what);
    return s->st;
}

/* A bound passed: the message names the limit and how to raise it. */
static pc_status
prescan_limit(struct prescan *s, enum limit_id id, unsigned value,
              unsigned line, const char *what)
{
    s->st = limit_fail_at(s->d, diag_loc(s->d, s->path, line, 0), id, value,
                          "%s", what);
    return s->st;
}

static unsigned
prescan_lines(const char *p, const char *end)
{
    unsigned n = 0;

    while ((p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        n++;
        p++;
    }
    return n;
}

static pc_status
prescan_push_tag(struct prescan *s, unsigned line)
{
    if (!s->want_tags)
        return PC_OK;
    if (s->tlen == s->tcap) {
        size_t cap = s->tcap ? s->tcap * 2 : 256;
        unsigned *v = malloc(cap * sizeof *v);

        if (v == NULL)
            return s->st = PC_ENOMEM;
        for (size_t i = 0; i < s->tlen; i++)
            v[i] = s->tags[(s->thead + i) % s->tcap];
        free(s->tags);
        s->tags = v;
        s->tcap = cap;
        s->thead = 0;
    }
    s->tags[(s->thead + s->tlen++) % s->tcap] = line;
    return PC_OK;
}

unsigned
prescan_next_tag(struct prescan *s)
{
    unsigned line;

    if (s->tlen == 0)
        return 0;
    line = s->tags[s->thead];
    s->thead = (s->thead + 1) % s->tcap;
    s->tlen--;
    return line;
}

/* Bytes a UTF-8 sequence starting with b needs (0: b cannot start one). */
static size_t
prescan_seq_len(unsigned char b)
{
    if (b < 0x80)
        return 1;
    if (b >= 0xc2 && b <= 0xdf)
        return 2;
    if (b >= 0xe0 && b <= 0xef)
        return 3;
    if (b >= 0xf0 && b <= 0xf4)
        return 4;
    return 0;
}

static pc_status
prescan_bad_utf8(struct prescan *s, unsigned line, unsigned char b,
                 unsigned long long off)
{
    s->st = diag_fail(s->d, PC_ESYNTAX, diag_loc(s->d, s->path, line, 0),
                      "invalid UTF-8 (byte 0x%02x at offset %llu)", b, off);
    return s->st;
}

/* How many bytes from u on are ASCII other than NUL: a word at a time,
 * since nearly every byte of a manifest is. */
static size_t
prescan_ascii(const unsigned char *u, size_t n)
{
    const uint64_t hi = 0x8080808080808080u, lo = 0x0101010101010101u;
    size_t i = 0;

    for (; i + 8 <= n; i += 8) {
        uint64_t w;

        memcpy(&w, u + i, 8);
        if (((w & hi) | ((w - lo) & ~w & hi)) != 0)
            break;
    }
    while (i < n && u[i] != 0 && u[i] < 0x80)
        i++;
    return i;
}

/* The encoding of one block, before its structure: a sequence cut by
 * the block's end waits in s->carry for the next. */
static pc_status
prescan_utf8(struct prescan *s, const unsigned char *u, size_t len)
{
    size_t i = 0;

    if (s->ncarry > 0) {
        size_t need = prescan_seq_len(s->carry[0]);
        size_t take = need - s->ncarry < len ? need - s->ncarry : len;
        unsigned char seq[4];

        memcpy(seq, s->carry, s->ncarry);
        memcpy(seq + s->ncarry, u, take);
        if (s->ncarry + take < need) {
            memcpy(s->carry, seq, s->ncarry + take);
            s->ncarry += take;
            return PC_OK;
        }
        if (utf8_len(seq, need) != need)
            return prescan_bad_utf8(s, s->line, seq[0], s->off - s->ncarry);
        s->ncarry = 0;
        i = take;
    }
    while (i < len) {
        size_t n;

        i += prescan_ascii(u + i, len - i);
        if (i == len)
            break;
        if (u[i] == '\0')
            return s->st = diag_fail(
                       s->d, PC_ESYNTAX,
                       diag_loc(s->d, s->path,
                                s->line + prescan_lines((const char *)u,
                                                        (const char *)u + i),
                                0),
                       "NUL byte in input");
        n = utf8_len(u + i, len - i);
        if (n == 0) {
            size_t need = prescan_seq_len(u[i]);

            if (need > len - i) {
                memcpy(s->carry, u + i, len - i);
                s->ncarry = len - i;
                break;
            }
            return prescan_bad_utf8(
                s,
                s->line + prescan_lines((const char *)u, (const char *)u + i),
                u[i], s->off + i);
        }
        i += n;
    }
    return PC_OK;
}

/* Magic numbers and BOMs, on the first block. */
static pc_status
prescan_head(struct prescan *s, const unsigned char *u, size_t len)
{
    if (len >= 2 &&
        ((u[0] == 0xfe && u[1] == 0xff) || (u[0] == 0xff && u[1] == 0xfe)))
        return prescan_fail(s, PC_ESYNTAX, 1,
                            "UTF-16 input is not accepted; save it as UTF-8");
    if (len >= 2 && u[0] == 0x1f && u[1] == 0x8b)
        return prescan_fail(s, PC_ESYNTAX, 1,
                            "compressed (gzip) input is not accepted");
    if (len >= 6 && memcmp(u,
                           "\xfd"
                           "7zXZ",
                           5) == 0)
        return prescan_fail(s, PC_ESYNTAX, 1,
                            "compressed (xz) input is not accepted");
    return PC_OK;
}

static pc_status
prescan_refuse_decl(struct prescan *s)
{
    /* DOCTYPE, ENTITY and friends: the doors to external and exponential
     * entities. No privcheck input needs them. */
    return prescan_fail(s, PC_EINVALID, s->at,
                        "DOCTYPE and entity declarations are not allowed "
                        "(refused before parsing)");
}

static pc_status
prescan_count_markup(struct prescan *s)
{
    char what[96];

    if (++s->markup <= s->lim->max_markup)
        return PC_OK;
    snprintf(what, sizeof what,
             "more than %u comments and processing instructions",
             s->lim->max_markup);
    return prescan_limit(s, LIMIT_MARKUP, s->lim->max_markup, s->at, what);
}

/* One tag byte at a time, but a quoted value in one step. Returns where
 * it stopped. */
static const char *
prescan_tag(struct prescan *s, const char *p, const char *end)
{
    char what[64];

    while (p < end) {
        char c = *p;

        if (s->quote) {
            const char *q = memchr(p, s->quote, (size_t)(end - p));
            const char *stop = q != NULL ? q : end;

            s->line += prescan_lines(p, stop);
            if (q == NULL) {
                s->prev = (unsigned char)end[-1];
                return end;
            }
            s->prev = (unsigned char)s->quote;
            s->quote = 0;
            p = q + 1;
            continue;
        }
        if (c == '\n')
            s->line++;
        if (c == '"' || c == '\'') {
            s->quote = c;
        } else if (c == '=') {
            if (++s->attrs > s->lim->max_attrs) {
                snprintf(what, sizeof what,
                         "more than %u attributes on one element",
                         s->lim->max_attrs);
                prescan_limit(s, LIMIT_ATTRIBUTES, s->lim->max_attrs, s->line,
                              what);
                return end;
            }
        } else if (c == '>') {
            if (s->closing) {
                if (s->depth > 0)
                    s->depth--;
            } else if (s->prev != '/' && ++s->depth > s->lim->max_depth) {
                snprintf(what, sizeof what, "elements nested deeper than %u",
                         s->lim->max_depth);
                prescan_limit(s, LIMIT_DEPTH, s->lim->max_depth, s->line, what);
                return end;
            }
            s->state = PS_TEXT;
            return p + 1;
        }
        s->prev = (unsigned char)c;
        p++;
    }
    return p;
}

static pc_status
prescan_structure(struct prescan *s, const char *p, const char *end)
{
    static const char comment_open[] = "--", cdata_open[] = "[CDATA[";

    while (p < end && s->st == PC_OK) {
        char c;

        switch (s->state) {
        case PS_TEXT: {
            const char *lt = memchr(p, '<', (size_t)(end - p));

            s->line += prescan_lines(p, lt != NULL ? lt : end);
            if (lt == NULL)
                return PC_OK;
            s->at = s->line;
            s->state = PS_LT;
            p = lt + 1;
            break;
        }
        case PS_LT:
            c = *p;
            if (c == '!') {
                s->state = PS_BANG;
                s->k = 0;
                s->closing = false; /* here: which opener is matched */
                p++;
            } else if (c == '?') {
                if (prescan_count_markup(s) != PC_OK)
                    return s->st;
                s->state = PS_PI;
                s->k = 1; /* "<?>" ends where it starts */
                p++;
            } else {
                /* The byte after '<' is the tag's first: not consumed. */
                s->closing = c == '/';
                if (!s->closing && prescan_push_tag(s, s->at) != PC_OK)
                    return s->st;
                s->attrs = 0;
                s->quote = 0;
                s->prev = '<';
                s->state = PS_TAG;
            }
            break;
        case PS_BANG: {
            const char *want;

            c = *p;
            if (s->k == 0 && c == '[')
                s->closing = true; /* CDATA */
            else if (s->k == 0 && c != '-')
                return prescan_refuse_decl(s);
            want = s->closing ? cdata_open : comment_open;
            if (c != want[s->k])
                return prescan_refuse_decl(s);
            s->k++;
            p++;
            if (want[s->k] != '\0')
                break;
            if (!s->closing) {
                if (prescan_count_markup(s) != PC_OK)
                    return s->st;
                s->state = PS_COMMENT;
                s->k = 2; /* "<!-->" ends where it starts */
            } else {
                s->state = PS_CDATA;
                s->k = 0;
            }
            break;
        }
        case PS_COMMENT:
        case PS_PI:
        case PS_CDATA: {
            char mark = s->state == PS_COMMENT ? '-'
                        : s->state == PS_PI    ? '?'
                                               : ']';
            unsigned full = s->state == PS_PI ? 1 : 2;

            for (; p < end; p++) {
                c = *p;
                if (c == '\n')
                    s->line++;
                if (c == mark) {
                    if (s->k < full)
                        s->k++;
                } else if (c == '>' && s->k == full) {
                    s->state = PS_TEXT;
                    p++;
                    break;
                } else {
                    s->k = 0;
                }
            }
            break;
        }
        case PS_TAG:
            p = prescan_tag(s, p, end);
            break;
        }
    }
    return s->st;
}

pc_status
prescan_feed(struct prescan *s, const char *buf, size_t len)
{
    const unsigned char *u = (const unsigned char *)buf;

    if (s->st != PC_OK)
        return s->st;
    if (s->off == 0 && prescan_head(s, u, len) != PC_OK)
        return s->st;
    /* Encoding first, on its own: the structure below skips bytes. */
    if (prescan_utf8(s, u, len) != PC_OK)
        return s->st;
    prescan_structure(s, buf, buf + len);
    s->off += len;
    return s->st;
}

pc_status
prescan_finish(struct prescan *s)
{
    if (s->st != PC_OK)
        return s->st;
    if (s->ncarry > 0)
        return prescan_bad_utf8(s, s->line, s->carry[0], s->off - s->ncarry);
    switch (s->state) {
    case PS_BANG:
        return prescan_refuse_decl(s);
    case PS_COMMENT:
    case PS_PI:
        return prescan_fail(s, PC_ESYNTAX, s->at,
                            "unterminated comment or processing instruction");
    case PS_CDATA:
        return prescan_fail(s, PC_ESYNTAX, s->at, "unterminated CDATA section");
    default:
        return PC_OK; /* a truncated tag: libxml2 will say where */
    }
}
