/* map.h - string-keyed hash map with borrowed keys and values. */
#ifndef PC_MAP_H
#define PC_MAP_H

#include "privcheck.h"

#include <stdint.h>

struct map;

/* An empty map; NULL when out of memory. map_free(NULL) is a no-op. The
 * map borrows keys and values: they must outlive it. */
struct map *map_new(void);
void map_free(struct map *m);
/* Insert or replace. */
pc_status map_put(struct map *m, const char *key, void *value);
/* The value for key, or NULL. */
void *map_get(const struct map *m, const char *key);
size_t map_count(const struct map *m);
/* Forget every entry, keeping the table's memory. */
void map_clear(struct map *m);

/* The keyed hash the maps use (SipHash-1-3, a random key per process). */
uint64_t map_hash(const char *s);
/* Probe steps past the first slot, over every map of the process since
 * it started: lets a test bound the work hostile keys cause. */
size_t map_probes(void);

#endif
