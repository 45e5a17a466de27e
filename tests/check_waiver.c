/* check_waiver.c - the dates waivers expire on: which strings are dates,
 * and how many days lie between two (leap years, month ends, the epoch),
 * so that "holds through that day and not a day longer" is exact. */
#include "config.h"

#include "waiver.h"

#include <check.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
    const char *s;
    bool ok;
    long days; /* since 1970-01-01 */
} dates[] = {
    { "1970-01-01", true, 0 },
    { "1970-01-02", true, 1 },
    { "1969-12-31", true, -1 },
    { "2000-02-29", true, 11016 }, /* divisible by 400: leap */
    { "2024-02-29", true, 19782 }, /* leap */
    { "2026-06-01", true, 20605 },
    { "2026-11-28", true, 20785 }, /* 180 days later */
    { "2027-03-31", true, 20908 },
    { "9999-12-31", true, 2932896 },
    { "1900-02-29", false, 0 }, /* divisible by 100: not leap */
    { "2026-02-29", false, 0 },
    { "2026-04-31", false, 0 },
    { "2026-13-01", false, 0 },
    { "2026-00-10", false, 0 },
    { "2026-01-00", false, 0 },
    { "0000-01-01", false, 0 },
    { "2026-1-01", false, 0 },
    { "2026-01-01Z", false, 0 },
    { "2026/01/01", false, 0 },
    { " 2026-01-01", false, 0 },
    { "", false, 0 },
    { NULL, false, 0 },
};

START_TEST(test_waiver_date)
{
    long days = -12345;
    bool ok = waiver_date(dates[_i].s, &days);

    ck_assert_msg(ok == dates[_i].ok, "%s: %s",
                  dates[_i].s ? dates[_i].s : "NULL",
                  ok ? "taken for a date" : "refused");
    if (ok)
        ck_assert_int_eq(days, dates[_i].days);
    ck_assert(pc_date_valid(dates[_i].s) == dates[_i].ok);
}
END_TEST

START_TEST(test_date_today)
{
    char buf[11];

    pc_date_today(buf);
    ck_assert(pc_date_valid(buf));
}
END_TEST

int
main(void)
{
    Suite *s = suite_create("waiver");
    TCase *tc = tcase_create("dates");
    SRunner *sr;
    int failed;

    tcase_add_loop_test(tc, test_waiver_date, 0, NELEM(dates));
    tcase_add_test(tc, test_date_today);
    suite_add_tcase(s, tc);
    sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
