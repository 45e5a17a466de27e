/* period.h - ISO 8601 periods for legal deadlines: "P1M" is one
 * month from a date, not 30 days. The policy format's deadlines and
 * extensions are such durations; a manifest's promise is a number of
 * days, so a deadline is compared through the fewest days it can span. */
#ifndef PC_PERIOD_H
#define PC_PERIOD_H

#include <stdbool.h>
#include <stddef.h>

/* A date part of an ISO 8601 duration: P[nY][nM][nW][nD], whole numbers
 * (weeks fold into days). */
struct period {
    long years, months, days;
};

/* Parse s; false when it is not such a duration (a time part, a
 * fraction, a negative or no number, a number over 100000). */
bool period_parse(const char *s, struct period *out);

/* The date d after (y, m, day): years and months first, the day of the
 * month kept and clamped to the last day of the month reached (31 January
 * plus P1M is 28 or 29 February), then the days. */
void period_add(const struct period *d, long *y, int *m, int *day);

/* The fewest and the most days the duration spans from any start date
 * (P1M: 28 and 31; P2M: 59 and 62; P1Y: 365 and 366; P30D: 30 and 30). */
long period_shortest(const struct period *d);
long period_longest(const struct period *d);

/* The duration in words, "1 month", "2 months", "1 year 6 months",
 * "30 days", into buf (truncated to size). */
void period_words(const struct period *d, char *buf, size_t size);

/* A deadline for people: "45 days" when written in days (period NULL or
 * ""), "1 month (P1M, 28 days at the shortest)" for a period of months or
 * years. */
void period_label(const char *period, long days, char *buf, size_t size);

#endif
