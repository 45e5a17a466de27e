/* period.c - ISO 8601 periods of years, months and days: parsing, adding
 * to a date, their shortest and longest spans in days. */
#include "period.h"

#include <stdio.h>
#include <stdlib.h>

/* Larger counts mean no real deadline; bounding them keeps every sum
 * within a long. */
#define PERIOD_MAX 100000L

bool
period_parse(const char *s, struct period *out)
{
    static const char units[] = "YMWD";
    const char *u = units;
    long v[4] = { 0, 0, 0, 0 };
    bool any = false;

    if (s == NULL || *s++ != 'P')
        return false;
    while (*s != '\0') {
        long n = 0;
        const char *start = s;

        while (*s >= '0' && *s <= '9') {
            n = n * 10 + (*s - '0');
            if (n > PERIOD_MAX)
                return false;
            s++;
        }
        if (s == start || *s == '\0')
            return false;
        while (*u != '\0' && *u != *s)
            u++;
        if (*u == '\0')
            return false; /* unknown, repeated or out-of-order unit */
        v[u - units] = n;
        u++;
        s++;
        any = true;
    }
    if (!any)
        return false;
    out->years = v[0];
    out->months = v[1];
    out->days = v[2] * 7 + v[3];
    return true;
}

static bool
period_leap(long y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
period_month_days(long y, int m)
{
    static const int len[12] = {
        31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
    };

    return m == 2 && period_leap(y) ? 29 : len[m - 1];
}

/* Days since 1 March of year 0 of the proleptic Gregorian reckoning. */
static long
period_serial(long y, int m, int d)
{
    long yy = m <= 2 ? y - 1 : y;
    long mm = m <= 2 ? m + 9 : m - 3;

    return yy * 365 + yy / 4 - yy / 100 + yy / 400 + (153 * mm + 2) / 5 + d - 1;
}

void
period_add(const struct period *d, long *y, int *m, int *day)
{
    long months = (long)(*m - 1) + d->months + d->years * 12;
    long rest = d->days;
    int last;

    *y += months / 12;
    *m = (int)(months % 12) + 1;
    last = period_month_days(*y, *m);
    if (*day > last)
        *day = last;
    /* Whole days, a month at a time so no table of years is needed. */
    while (rest > 0) {
        int left = period_month_days(*y, *m) - *day;

        if (rest <= left) {
            *day += (int)rest;
            break;
        }
        rest -= left + 1;
        *day = 1;
        if (++*m == 13) {
            *m = 1;
            ++*y;
        }
    }
}

/* The span from every day of one 400-year cycle, after which the
 * Gregorian leap-year cycle repeats, so the extremes are exact. Days added
 * after the months span the same from any date, so only the months are tried.
 */
static long
period_extreme(const struct period *full, bool longest)
{
    const struct period ym = { full->years, full->months, 0 };
    const struct period *d = &ym;
    long best = -1;

    if (d->years == 0 && d->months == 0)
        return full->days;
    for (long y = 2000; y < 2400; y++)
        for (int m = 1; m <= 12; m++)
            for (int day = 1; day <= period_month_days(y, m); day++) {
                long ey = y;
                int em = m, ed = day;
                long span;

                period_add(d, &ey, &em, &ed);
                span = period_serial(ey, em, ed) - period_serial(y, m, day);
                if (best < 0 || (longest ? span > best : span < best))
                    best = span;
            }
    return best + full->days;
}

long
period_shortest(const struct period *d)
{
    return period_extreme(d, false);
}

long
period_longest(const struct period *d)
{
    return period_extreme(d, true);
}

void
period_label(const char *period, long days, char *buf, size_t size)
{
    struct period d;
    char words[96];

    if (period == NULL || *period == '\0' || !period_parse(period, &d)) {
        snprintf(buf, size, "%ld days", days);
        return;
    }
    period_words(&d, words, sizeof words);
    if (d.years == 0 && d.months == 0)
        snprintf(buf, size, "%s (%s)", words, period);
    else
        snprintf(buf, size, "%s (%s, %ld days at the shortest)", words, period,
                 days);
}

void
period_words(const struct period *d, char *buf, size_t size)
{
    const struct {
        long n;
        const char *one, *many;
    } part[3] = { { d->years, "year", "years" },
                  { d->months, "month", "months" },
                  { d->days, "day", "days" } };
    size_t used = 0;

    if (size == 0)
        return;
    buf[0] = '\0';
    for (size_t i = 0; i < 3; i++) {
        int k;

        if (part[i].n == 0 && !(i == 2 && used == 0))
            continue;
        k = snprintf(buf + used, size - used, "%s%ld %s", used ? " " : "",
                     part[i].n, part[i].n == 1 ? part[i].one : part[i].many);
        if (k < 0 || (size_t)k >= size - used)
            return;
        used += (size_t)k;
    }
}
