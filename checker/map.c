/* map.c - open-addressing hash map (FNV-1a, linear probing) from borrowed
 * strings to borrowed pointers: the O(1) id indexes of policy, rules and
 * manifests. */
#include "config.h"

#include "map.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct map_slot {
    const char *key;
    void *value;
};

struct map {
    struct map_slot *slots;
    size_t n, cap; /* cap is a power of two */
};

static uint64_t
map_hash(const char *s)
{
    uint64_t h = 1469598103934665603ull;

    for (; *s != '\0'; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

struct map *
map_new(void)
{
    struct map *m = calloc(1, sizeof *m);

    if (m == NULL)
        return NULL;
    m->cap = 16;
    m->slots = calloc(m->cap, sizeof *m->slots);
    if (m->slots == NULL) {
        free(m);
        return NULL;
    }
    return m;
}

void
map_free(struct map *m)
{
    if (m == NULL)
        return;
    free(m->slots);
    free(m);
}

static struct map_slot *
map_find(struct map_slot *slots, size_t cap, const char *key)
{
    size_t i = (size_t)map_hash(key) & (cap - 1);

    while (slots[i].key != NULL && strcmp(slots[i].key, key) != 0)
        i = (i + 1) & (cap - 1);
    return &slots[i];
}

static pc_status
map_grow(struct map *m)
{
    size_t cap = m->cap * 2;
    struct map_slot *slots = calloc(cap, sizeof *slots);

    if (slots == NULL)
        return PC_ENOMEM;
    for (size_t i = 0; i < m->cap; i++)
        if (m->slots[i].key != NULL)
            *map_find(slots, cap, m->slots[i].key) = m->slots[i];
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
    return PC_OK;
}

pc_status
map_put(struct map *m, const char *key, void *value)
{
    struct map_slot *s;

    /* Keep the load factor under 1/2 so probes stay short. */
    if ((m->n + 1) * 2 > m->cap && map_grow(m) != PC_OK)
        return PC_ENOMEM;
    s = map_find(m->slots, m->cap, key);
    if (s->key == NULL)
        m->n++;
    s->key = key;
    s->value = value;
    return PC_OK;
}

void *
map_get(const struct map *m, const char *key)
{
    if (m == NULL)
        return NULL;
    return map_find(m->slots, m->cap, key)->value;
}

size_t
map_count(const struct map *m)
{
    return m->n;
}

void
map_clear(struct map *m)
{
    memset(m->slots, 0, m->cap * sizeof *m->slots);
    m->n = 0;
}
