/* prescan.h - the pre-scan of every XML input, fed in pieces: refuses
 * DOCTYPEs, BOMs other than UTF-8, compression, NUL bytes, invalid UTF-8
 * and trees deeper or wider than the limits before libxml2 sees the bytes,
 * and notes the line each start tag begins on. xml_prescan runs it over a
 * whole buffer; the streaming reader over each block it hands libxml2. */
#ifndef PC_PRESCAN_H
#define PC_PRESCAN_H

#include "privcheck.h"

#include <stdbool.h>
#include <stddef.h>

struct xml_limits;

struct prescan {
    const struct xml_limits *lim;
    pc_diags *d;
    const char *path;
    unsigned long long off; /* bytes fed so far */
    unsigned line;          /* of the next byte */
    unsigned depth, markup, attrs;
    int state;
    unsigned k;             /* progress through a terminator ("-->", ...) */
    unsigned at;            /* line of the '<' of the construct being read */
    char quote;             /* inside a tag: the open quote, or 0 */
    bool closing;           /* the tag is an end tag */
    unsigned char prev;     /* inside a tag: the byte before this one */
    unsigned char carry[4]; /* a UTF-8 sequence cut by a block's end */
    size_t ncarry;
    /* Start-tag lines not yet taken (prescan_next_tag), in order: the
     * reader runs at most a block behind, so this stays small. NULL
     * until the first one when tags are wanted. */
    bool want_tags;
    unsigned *tags;
    size_t thead, tlen, tcap;
    pc_status st; /* once failed, every later feed returns it */
};

/* Start a scan of `path` (for messages; interned by d) under lim. With
 * want_tags the line of every start tag is kept for prescan_next_tag. */
void prescan_init(struct prescan *s, const char *path,
                  const struct xml_limits *lim, pc_diags *d, bool want_tags);

/* Scan the next len bytes. The first block must hold at least six bytes
 * unless it is the whole input (BOMs and magic numbers are judged on it).
 * Returns PC_OK, or the failure (already recorded in d, with a line). */
pc_status prescan_feed(struct prescan *s, const char *buf, size_t len);

/* The input has ended: what was left open (a comment, a UTF-8 sequence)
 * is an error. */
pc_status prescan_finish(struct prescan *s);

/* The line of the oldest start tag not yet taken; 0 when none is left. */
unsigned prescan_next_tag(struct prescan *s);

/* Frees the kept lines (s itself is the caller's). */
void prescan_free(struct prescan *s);

#endif
