/* nearest.c - the closest name to a likely typo, by edit distance. One
 * definition of "close enough", so the schema's messages and the rules'
 * nearest() suggest the same way. */
#include "config.h"

#include "nearest.h"

#include <string.h>

static int
nearest_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

size_t
nearest_distance(const char *x, const char *y, size_t cap)
{
    size_t nx = strlen(x), ny = strlen(y), row[NEAREST_MAX + 1];

    if (nx > NEAREST_MAX || ny > NEAREST_MAX)
        return cap + 1;
    if ((nx > ny ? nx - ny : ny - nx) > cap)
        return cap + 1;
    for (size_t j = 0; j <= ny; j++)
        row[j] = j;
    for (size_t i = 1; i <= nx; i++) {
        size_t diag = row[0];

        row[0] = i;
        for (size_t j = 1; j <= ny; j++) {
            size_t up = row[j];

            row[j] = diag + (nearest_lower((unsigned char)x[i - 1]) !=
                             nearest_lower((unsigned char)y[j - 1]));
            if (row[j - 1] + 1 < row[j])
                row[j] = row[j - 1] + 1;
            if (up + 1 < row[j])
                row[j] = up + 1;
            diag = up;
        }
    }
    return row[ny];
}

const char *
nearest_pick(const char *word, const char *const *v, size_t n)
{
    size_t len = strlen(word);
    size_t cap = len / 4 > 0 ? len / 4 : 1, bestd = cap + 1;
    const char *best = NULL;

    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i], word) == 0)
            return NULL;
    for (size_t i = 0; i < n && bestd > 0; i++) {
        size_t d = nearest_distance(word, v[i], cap);

        if (d < bestd) {
            bestd = d;
            best = v[i];
        }
    }
    return best;
}
