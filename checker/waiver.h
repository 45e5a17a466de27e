/* waiver.h - waivers: reading them, matching them to findings, and the
 * attributes the rules over them read. */
#ifndef PC_WAIVER_H
#define PC_WAIVER_H

#include "privcheck.h"

struct schema_attrs;

/* The element the rules range over, and what waiver.c computes for each
 * one (beside what the file says): `expired` ('true' when its expiry is
 * before today), `days-left` (from today to the expiry; absent once
 * expired) and `matched` ('true' when it matches a finding, expired or
 * not; absent when not known, as for `privcheck waive`). */
#define WAIVER_KIND "waiver"

/* Let the rules read the computed attributes (the waivers schema must be
 * in sa). */
pc_status waiver_extend_schema(struct schema_attrs *sa);

/* Days since 1970-01-01 of a date written YYYY-MM-DD; false when s is not
 * one (2027-02-30 is not). */
bool waiver_date(const char *s, long *days);

/* One waiver as `privcheck waive` proposes it, judged by the rules over
 * waivers without a run (no `matched`): their findings go to r, at
 * `file`. */
struct waiver_proposal {
    const char *rule, *application, *object, *fingerprint;
    const char *reason, *approved_by, *expires;
};
pc_status waiver_judge(const pc_engine *e, const struct waiver_proposal *w,
                       const char *today, const char *file, pc_diags *d,
                       pc_results *r);

#endif
