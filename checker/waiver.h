/* waiver.h - waivers: reading them, matching them to findings, and the
 * attributes the rules over them read. */
#ifndef PC_WAIVER_H
#define PC_WAIVER_H

#include "privcheck.h"

struct schema_attrs;

/* The model, shared by waiver.c (matching, judging) and waiver-xml.c
 * (reading and appending files). */
#define WAIVERS_NS "urn:privcheck:waivers:1"
#define WAIVERS_ROOT "waivers"

/* The attributes of a waiver, as the schema names them, in this order. */
extern const char *const waiver_attrs[];
enum { W_RULE, W_APP, W_OBJECT, W_FP, W_REASON, W_BY, W_EXPIRES, W_NATTRS };

struct waiver {
    char *a[W_NATTRS]; /* NULL when not written */
    unsigned line;
    long expires; /* days since 1970-01-01 */
};

struct waiver_file {
    char *path; /* as given */
    char sha256[65];
    size_t first, n; /* its waivers in pc_waivers.v */
};

struct pc_waivers {
    struct waiver *v;
    size_t n, cap;
    struct waiver_file *files;
    size_t nfiles;
};

/* Forget the waivers from index n on (a file that failed half way). */
void waivers_truncate(pc_waivers *w, size_t n);

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

#endif
