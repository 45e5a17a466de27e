/* arena.h - scratch memory for one evaluation, freed all at once. */
#ifndef PC_ARENA_H
#define PC_ARENA_H

#include "privcheck.h"

#include <stdbool.h>
#include <stddef.h>

struct arena_chunk;

struct arena {
    struct arena_chunk *head;
    size_t used;       /* in head */
    size_t total, max; /* bytes handed out since reset; cap (0 = none) */
    bool over;         /* an allocation was refused for the cap */
};
#define ARENA_INIT(max)                                                        \
    {                                                                          \
        NULL, 0, 0, (max), false                                               \
    }

/* n bytes, aligned for any object; NULL when out of memory or over max. */
void *arena_alloc(struct arena *a, size_t n);
/* A copy of s[0..n) with a NUL, or NULL. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Why the last NULL: PC_ELIMIT for the cap, PC_ENOMEM for the system. */
#define ARENA_FAILED(a) ((a)->over ? PC_ELIMIT : PC_ENOMEM)
/* Forget everything allocated, keeping one chunk for reuse. */
void arena_reset(struct arena *a);
/* Take every chunk of src, which is left empty: what was allocated from
 * it stays where it is, now dst's to free. */
void arena_adopt(struct arena *dst, struct arena *src);
void arena_free(struct arena *a);

#endif
