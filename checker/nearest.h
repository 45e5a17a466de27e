/* nearest.h - "did you mean": the closest of a set of names to a word
 * that is not one of them, when it is close enough to be a typo. Shared
 * by the schema messages and the rules' nearest() function. */
#ifndef PC_NEAREST_H
#define PC_NEAREST_H

#include <stddef.h>

/* Names longer than this are never suggested or compared. */
#define NEAREST_MAX 128

/* Edit distance of x and y, ignoring ASCII case; past `cap` the answer
 * is only "more than cap" (cap + 1). */
size_t nearest_distance(const char *x, const char *y, size_t cap);

/* The item of v[0..n) closest to word, when its distance is at most a
 * quarter of word's length (and at least 1); NULL when word is itself in
 * v, or nothing is that close. Borrowed from v. Ties: the first. */
const char *nearest_pick(const char *word, const char *const *v, size_t n);

#endif
