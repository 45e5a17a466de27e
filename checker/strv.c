/* strv.c - small owned vectors of strings: the id lists that policy,
 * manifest and rules are full of. Lists are short, so membership is a
 * linear scan. */
#include "config.h"

#include "strv.h"

#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

static pc_status
strv_push_owned(struct strv *sv, char *s)
{
    if (s == NULL)
        return PC_ENOMEM;
    if (sv->n == sv->cap) {
        size_t cap = sv->cap ? sv->cap * 2 : 4;
        char **v = realloc(sv->v, cap * sizeof *v);

        if (v == NULL) {
            free(s);
            return PC_ENOMEM;
        }
        sv->v = v;
        sv->cap = cap;
    }
    sv->v[sv->n++] = s;
    return PC_OK;
}

pc_status
strv_push(struct strv *sv, const char *s)
{
    return strv_push_owned(sv, strdup(s));
}

pc_status
strv_add_unique(struct strv *sv, const char *s)
{
    return strv_has(sv, s) ? PC_OK : strv_push(sv, s);
}

pc_status
strv_split(struct strv *sv, const char *s)
{
    if (s == NULL)
        return PC_OK;
    while (*s != '\0') {
        size_t n;

        s += strspn(s, " \t\r\n");
        n = strcspn(s, " \t\r\n");
        if (n == 0)
            break;
        pc_status st = strv_push_owned(sv, strndup(s, n));
        if (st != PC_OK)
            return st;
        s += n;
    }
    return PC_OK;
}

bool
strv_has(const struct strv *sv, const char *s)
{
    for (size_t i = 0; i < sv->n; i++)
        if (strcmp(sv->v[i], s) == 0)
            return true;
    return false;
}

pc_status
strv_copy(struct strv *dst, const struct strv *src)
{
    for (size_t i = 0; i < src->n; i++) {
        pc_status st = strv_push(dst, src->v[i]);
        if (st != PC_OK)
            return st;
    }
    return PC_OK;
}

pc_status
strv_copy_unique(struct strv *dst, const struct strv *src)
{
    for (size_t i = 0; i < src->n; i++) {
        pc_status st = strv_add_unique(dst, src->v[i]);
        if (st != PC_OK)
            return st;
    }
    return PC_OK;
}

static int
strv_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void
strv_sort(struct strv *sv)
{
    if (sv->n > 1)
        qsort(sv->v, sv->n, sizeof *sv->v, strv_cmp);
}

char *
strv_join(const struct strv *sv, const char *sep)
{
    struct strbuf b = STRBUF_INIT(0);

    for (size_t i = 0; i < sv->n; i++)
        if ((i > 0 && strbuf_puts(&b, sep) != PC_OK) ||
            strbuf_puts(&b, sv->v[i]) != PC_OK) {
            strbuf_free(&b);
            return NULL;
        }
    return strbuf_detach(&b);
}

void
strv_free(struct strv *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        free(sv->v[i]);
    free(sv->v);
    sv->v = NULL;
    sv->n = sv->cap = 0;
}
