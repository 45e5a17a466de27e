/* arena.c - a bump allocator for evaluation scratch: values and rendered
 * strings live until the object they were computed for is done, so the
 * hot path makes no malloc/free pair per expression. */
#include "config.h"

#include "arena.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK 8192

struct arena_chunk {
    struct arena_chunk *next;
    size_t size;
    alignas(max_align_t) unsigned char data[];
};

void *
arena_alloc(struct arena *a, size_t n)
{
    const size_t align = alignof(max_align_t);
    struct arena_chunk *c;
    size_t off;

    n = (n + align - 1) & ~(align - 1);
    if (n == 0)
        n = align;
    if (a->max != 0 && a->total + n > a->max) {
        a->over = true;
        return NULL;
    }
    if (a->head == NULL || a->used + n > a->head->size) {
        size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;

        if ((c = malloc(sizeof *c + size)) == NULL)
            return NULL;
        c->next = a->head;
        c->size = size;
        a->head = c;
        a->used = 0;
    }
    off = a->used;
    a->used += n;
    a->total += n;
    return a->head->data + off;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);

    if (p == NULL)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void
arena_reset(struct arena *a)
{
    struct arena_chunk *keep = NULL, *c = a->head;

    /* Keep one standard-size chunk for the next evaluation. */
    while (c != NULL) {
        struct arena_chunk *next = c->next;

        if (keep == NULL && c->size == ARENA_CHUNK) {
            keep = c;
            keep->next = NULL;
        } else {
            free(c);
        }
        c = next;
    }
    a->head = keep;
    a->used = 0;
    a->total = 0;
    a->over = false;
}

void
arena_adopt(struct arena *dst, struct arena *src)
{
    struct arena_chunk *last;

    if (src->head == NULL)
        return;
    if (dst->head == NULL) {
        dst->head = src->head;
        dst->used = src->used;
    } else {
        /* Behind dst's head, which stays the one being filled. */
        for (last = src->head; last->next != NULL; last = last->next)
            ;
        last->next = dst->head->next;
        dst->head->next = src->head;
    }
    dst->total += src->total;
    src->head = NULL;
    src->used = src->total = 0;
}

void
arena_free(struct arena *a)
{
    while (a->head != NULL) {
        struct arena_chunk *next = a->head->next;

        free(a->head);
        a->head = next;
    }
    a->used = a->total = 0;
}
