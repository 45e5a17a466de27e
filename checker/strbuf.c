/* strbuf.c - bounded growable strings: every string built from input has
 * a cap, so hostile input turns into PC_ELIMIT instead of exhausting
 * memory. */
#include "config.h"

#include "strbuf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static pc_status
strbuf_grow(struct strbuf *b, size_t extra)
{
    size_t need, cap;
    char *p;

    if (extra > SIZE_MAX - b->len - 1)
        return PC_ELIMIT;
    need = b->len + extra + 1;
    if (b->max != 0 && need > b->max + 1)
        return PC_ELIMIT;
    if (need <= b->cap)
        return PC_OK;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    p = realloc(b->ptr, cap);
    if (p == NULL)
        return PC_ENOMEM;
    b->ptr = p;
    b->cap = cap;
    return PC_OK;
}

pc_status
strbuf_add(struct strbuf *b, const char *s, size_t n)
{
    pc_status st = strbuf_grow(b, n);

    if (st != PC_OK)
        return st;
    memcpy(b->ptr + b->len, s, n);
    b->len += n;
    b->ptr[b->len] = '\0';
    return PC_OK;
}

pc_status
strbuf_puts(struct strbuf *b, const char *s)
{
    return strbuf_add(b, s, strlen(s));
}

pc_status
strbuf_putc(struct strbuf *b, char c)
{
    return strbuf_add(b, &c, 1);
}

pc_status
strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    pc_status st;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return PC_EINVALID;
    if ((st = strbuf_grow(b, (size_t)n)) != PC_OK)
        return st;
    va_start(ap, fmt);
    vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return PC_OK;
}

const char *
strbuf_str(const struct strbuf *b)
{
    return b->ptr != NULL ? b->ptr : "";
}

char *
strbuf_detach(struct strbuf *b)
{
    char *p = b->ptr != NULL ? b->ptr : strdup("");

    b->ptr = NULL;
    b->len = b->cap = 0;
    return p;
}

void
strbuf_reset(struct strbuf *b)
{
    b->len = 0;
    if (b->ptr != NULL)
        b->ptr[0] = '\0';
}

void
strbuf_free(struct strbuf *b)
{
    free(b->ptr);
    b->ptr = NULL;
    b->len = b->cap = 0;
}
