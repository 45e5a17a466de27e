/* strbuf.h - bounded growable strings. */
#ifndef PC_STRBUF_H
#define PC_STRBUF_H

#include "privcheck.h"

#include <stdarg.h>

struct strbuf {
    char *ptr;            /* NUL-terminated once anything was added */
    size_t len, cap, max; /* past max: PC_ELIMIT */
};
#define STRBUF_INIT(max)                                                       \
    {                                                                          \
        NULL, 0, 0, (max)                                                      \
    }

pc_status strbuf_add(struct strbuf *b, const char *s, size_t n);
pc_status strbuf_puts(struct strbuf *b, const char *s);
pc_status strbuf_putc(struct strbuf *b, char c);
pc_status strbuf_printf(struct strbuf *b, const char *fmt, ...) PC_PRINTF(2, 3);
/* The contents, "" when empty; borrowed until the next change. */
const char *strbuf_str(const struct strbuf *b);
/* Take the contents (caller frees; "" is returned as an allocated "");
 * b is reset. NULL when out of memory. */
char *strbuf_detach(struct strbuf *b);
void strbuf_reset(struct strbuf *b);
void strbuf_free(struct strbuf *b);

#endif
