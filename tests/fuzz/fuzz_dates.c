/* fuzz_dates.c - libFuzzer target for the date and duration parsers: the
 * bytes are one string (up to the first NUL, as C sees it), read as a
 * waiver or --today date (waiver_date, pc_date_valid) and as an ISO 8601
 * duration (eval_duration, which retention rules apply to manifest
 * attributes). Checks that a date that parses is exactly YYYY-MM-DD and
 * is the day its day count says (gmtime of it prints the same string),
 * and that a duration that parses starts with P (or is "indefinite") and
 * is a number of seconds no less than zero. */
#include "privcheck.h"

#include "eval.h"
#include "waiver.h"

#include "fuzz.h"

#include <math.h>
#include <time.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fuzz_string(data, size);
    long days = 0;
    double secs = -1;
    bool ok = waiver_date(s, &days);

    FUZZ_ASSERT(ok == pc_date_valid(s));
    if (ok) {
        time_t t = (time_t)days * 86400;
        struct tm tm;
        char back[32];

        FUZZ_ASSERT(strlen(s) == 10 && s[4] == '-' && s[7] == '-');
        FUZZ_ASSERT(gmtime_r(&t, &tm) != NULL);
        /* Not strftime: %Y does not pad years before 1000. */
        snprintf(back, sizeof back, "%04d-%02d-%02d", tm.tm_year + 1900,
                 tm.tm_mon + 1, tm.tm_mday);
        FUZZ_ASSERT(strcmp(back, s) == 0);
    }
    if (eval_duration(s, &secs)) {
        FUZZ_ASSERT(s[0] == 'P' || strcmp(s, "indefinite") == 0);
        FUZZ_ASSERT(!isnan(secs) && secs >= 0);
    }
    free(s);
    return 0;
}
