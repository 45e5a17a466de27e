/* utf8.h - recognising well-formed UTF-8, for the pre-scan that refuses
 * invalid input and the printer that escapes what it cannot trust. */
#ifndef PC_UTF8_H
#define PC_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

/* Length of the well-formed UTF-8 sequence at s (at most `avail` bytes
 * readable), or 0 if there is none: no overlongs, surrogates or code
 * points past U+10FFFF. */
static inline size_t
utf8_len(const unsigned char *s, size_t avail)
{
    if (avail == 0)
        return 0;
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        return avail >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
    if (s[0] >= 0xe0 && s[0] <= 0xef) {
        if (avail < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80)
            return 0;
        if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f))
            return 0;
        return 3;
    }
    if (s[0] >= 0xf0 && s[0] <= 0xf4) {
        if (avail < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 ||
            (s[3] & 0xc0) != 0x80)
            return 0;
        if ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
            return 0;
        return 4;
    }
    return 0;
}

/* Is the string s well-formed UTF-8 throughout? */
static inline bool
utf8_valid(const char *s)
{
    size_t n = strlen(s);

    for (size_t i = 0, k; i < n; i += k)
        if ((k = utf8_len((const unsigned char *)s + i, n - i)) == 0)
            return false;
    return true;
}

#endif
