/* strv.h - small owned vectors of strings (id lists). */
#ifndef PC_STRV_H
#define PC_STRV_H

#include "privcheck.h"

struct strv {
    char **v;
    size_t n, cap;
};
#define STRV_INIT                                                              \
    {                                                                          \
        NULL, 0, 0                                                             \
    }

/* Append a copy of s. */
pc_status strv_push(struct strv *sv, const char *s);
/* Append a copy of s unless it is already there. */
pc_status strv_add_unique(struct strv *sv, const char *s);
/* Append every whitespace-separated token of s (NULL: none). */
pc_status strv_split(struct strv *sv, const char *s);
bool strv_has(const struct strv *sv, const char *s);
/* Append the items of src that dst lacks. */
pc_status strv_copy_unique(struct strv *dst, const struct strv *src);
/* Deep copy; dst must be empty. */
pc_status strv_copy(struct strv *dst, const struct strv *src);
/* Sort lexically, in place. */
void strv_sort(struct strv *sv);
/* Join with sep into a malloc'd string (NULL on ENOMEM). */
char *strv_join(const struct strv *sv, const char *sep);
void strv_free(struct strv *sv);

#endif
