/* map.c - open-addressing hash map (linear probing) from borrowed strings
 * to borrowed pointers: the O(1) id indexes of policy, rules, manifests
 * and the classification cache. Keys come from pull requests, so the
 * hash is SipHash-1-3 under a key drawn at random once per process: no
 * one can choose ids that all land in one probe chain (hash flooding).
 * Each slot keeps its key's hash, so growing rehashes nothing and a probe
 * compares strings only when the hashes agree. */
#include "config.h"

#include "map.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

struct map_slot {
    const char *key;
    void *value;
    uint64_t hash;
};

struct map {
    struct map_slot *slots;
    size_t n, cap; /* cap is a power of two */
};

/* ------------------------------------------------------------------ */
/* SipHash-1-3 (Aumasson and Bernstein): one compression round per
 * 8-byte word, three finalisation rounds. */

static uint64_t map_key[2];
static pthread_once_t map_key_once = PTHREAD_ONCE_INIT;
static atomic_size_t map_probe_count;

static void
map_key_init(void)
{
    uint64_t k[2];

    if (getrandom(k, sizeof k, 0) != (ssize_t)sizeof k) {
        /* No entropy source (a sandbox without getrandom): the address
         * of a stack variable and the clock are weak but not fixed,
         * which still keeps a precomputed attack off. */
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        k[0] = (uint64_t)(uintptr_t)&ts ^ (uint64_t)ts.tv_nsec;
        k[1] = ((uint64_t)ts.tv_sec << 32) ^ (uint64_t)getpid();
    }
    map_key[0] = k[0];
    map_key[1] = k[1];
}

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                               \
    do {                                                                       \
        v0 += v1;                                                              \
        v1 = ROTL(v1, 13);                                                     \
        v1 ^= v0;                                                              \
        v0 = ROTL(v0, 32);                                                     \
        v2 += v3;                                                              \
        v3 = ROTL(v3, 16);                                                     \
        v3 ^= v2;                                                              \
        v0 += v3;                                                              \
        v3 = ROTL(v3, 21);                                                     \
        v3 ^= v0;                                                              \
        v2 += v1;                                                              \
        v1 = ROTL(v1, 17);                                                     \
        v1 ^= v2;                                                              \
        v2 = ROTL(v2, 32);                                                     \
    } while (0)

static uint64_t
map_siphash(const unsigned char *s, size_t len)
{
    uint64_t v0 = 0x736f6d6570736575ull ^ map_key[0];
    uint64_t v1 = 0x646f72616e646f6dull ^ map_key[1];
    uint64_t v2 = 0x6c7967656e657261ull ^ map_key[0];
    uint64_t v3 = 0x7465646279746573ull ^ map_key[1];
    uint64_t b = (uint64_t)len << 56, m;
    size_t i = 0;

    for (; i + 8 <= len; i += 8) {
        memcpy(&m, s + i, 8); /* little-endian hosts: the reference order */
        v3 ^= m;
        SIPROUND;
        v0 ^= m;
    }
    for (size_t k = 0; i + k < len; k++)
        b |= (uint64_t)s[i + k] << (8 * k);
    v3 ^= b;
    SIPROUND;
    v0 ^= b;
    v2 ^= 0xff;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}

uint64_t
map_hash(const char *s)
{
    pthread_once(&map_key_once, map_key_init);
    return map_siphash((const unsigned char *)s, strlen(s));
}

size_t
map_probes(void)
{
    return atomic_load_explicit(&map_probe_count, memory_order_relaxed);
}

/* ------------------------------------------------------------------ */

struct map *
map_new(void)
{
    struct map *m = calloc(1, sizeof *m);

    pthread_once(&map_key_once, map_key_init);
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
map_find(struct map_slot *slots, size_t cap, const char *key, uint64_t h)
{
    size_t i = (size_t)h & (cap - 1), probes = 0;

    while (slots[i].key != NULL &&
           (slots[i].hash != h || strcmp(slots[i].key, key) != 0)) {
        i = (i + 1) & (cap - 1);
        probes++;
    }
    if (probes > 0)
        atomic_fetch_add_explicit(&map_probe_count, probes,
                                  memory_order_relaxed);
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
            *map_find(slots, cap, m->slots[i].key, m->slots[i].hash) =
                m->slots[i];
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
    return PC_OK;
}

pc_status
map_put(struct map *m, const char *key, void *value)
{
    uint64_t h = map_siphash((const unsigned char *)key, strlen(key));
    struct map_slot *s;

    /* Keep the load factor under 1/2 so probes stay short. */
    if ((m->n + 1) * 2 > m->cap && map_grow(m) != PC_OK)
        return PC_ENOMEM;
    s = map_find(m->slots, m->cap, key, h);
    if (s->key == NULL)
        m->n++;
    s->key = key;
    s->value = value;
    s->hash = h;
    return PC_OK;
}

void *
map_get(const struct map *m, const char *key)
{
    if (m == NULL)
        return NULL;
    return map_find(m->slots, m->cap, key,
                    map_siphash((const unsigned char *)key, strlen(key)))
        ->value;
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
