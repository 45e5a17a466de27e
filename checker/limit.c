/* limit.c - one table of the bounds on input, so that the man page, the
 * --limit option and every "too large" message speak of the same names,
 * defaults and ceilings. Values are set once, before any input is read. */
#include "config.h"

#include "limit.h"

#include "diag.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Ceilings bound what a setting can cost: each is what privcheck has been
 * measured to survive in memory and time on hostile input, and the arrays
 * sized by a limit are sized by its ceiling. */
static const struct pc_limit_info limits[LIMIT_COUNT] = {
    [LIMIT_DEPTH] = { "depth", "elements", "element nesting in any XML input",
                      64, LIMIT_DEPTH_CEILING },
    [LIMIT_ATTRIBUTES] = { "attributes", "attributes",
                           "attributes on one element", 64, 1024 },
    [LIMIT_MARKUP] = { "markup", "items",
                       "comments and processing instructions in one file",
                       10000, 1000000 },
    [LIMIT_ATTRIBUTE_LENGTH] = { "attribute-length", "bytes",
                                 "one attribute value in a manifest", 64u << 10,
                                 1u << 20 },
    /* Manifests stream: elements cost time, not memory. Fifty million
     * is ten million flows; past a billion a manifest is hostile. */
    [LIMIT_ELEMENTS] = { "elements", "elements", "elements in one manifest",
                         50000000, 1000000000 },
    [LIMIT_DECLARATIONS] = { "declarations", "elements",
                             "declarations (elements outside flows, each "
                             "id among them) in one manifest",
                             200000, 2000000 },
    [LIMIT_FIELDS] = { "fields", "fields", "fields in one flow", 10000,
                       100000 },
    [LIMIT_REGEX_MATCH] = { "regex-match", "steps",
                            "backtracking steps of one pattern match "
                            "(pcre2 match limit)",
                            1000000, 100000000 },
    [LIMIT_REGEX_DEPTH] = { "regex-depth", "levels",
                            "backtracking depth of one pattern match "
                            "(pcre2 depth limit)",
                            50000, 1000000 },
    [LIMIT_REGEX_HEAP] = { "regex-heap", "KiB",
                           "heap one pattern match may use (pcre2 heap "
                           "limit)",
                           10u << 10, 256u << 10 },
    [LIMIT_REGEX_SUBJECT] = { "regex-subject", "bytes",
                              "text a pattern is tried on", 64u << 10,
                              1u << 20 },
    [LIMIT_WAIVERS] = { "waivers", "waivers", "waivers in one file", 10000,
                        100000 },
    [LIMIT_BASELINE_FINDINGS] = { "baseline-findings", "findings",
                                  "findings in a --baseline report", 500000,
                                  5000000 },
    [LIMIT_BASELINE_BYTES] = { "baseline-bytes", "bytes",
                               "size of a --baseline report", 64u << 20,
                               256u << 20 },
};

static unsigned long long values[LIMIT_COUNT];
static bool values_set[LIMIT_COUNT];

unsigned long long
limit_get(enum limit_id id)
{
    return values_set[id] ? values[id] : limits[id].def;
}

const char *
limit_name(enum limit_id id)
{
    return limits[id].name;
}

const struct pc_limit_info *
pc_limit_info(size_t i, unsigned long long *value)
{
    if (i >= LIMIT_COUNT)
        return NULL;
    if (value != NULL)
        *value = limit_get((enum limit_id)i);
    return &limits[i];
}

bool
pc_limit_set(const char *assignment, char *why, size_t whysize)
{
    const char *eq = strchr(assignment, '=');
    unsigned long long v;
    char *end;

    for (size_t i = 0; eq != NULL && i < LIMIT_COUNT; i++) {
        const struct pc_limit_info *l = &limits[i];

        if (strlen(l->name) != (size_t)(eq - assignment) ||
            strncmp(l->name, assignment, (size_t)(eq - assignment)) != 0)
            continue;
        errno = 0;
        /* strtoull accepts "-1" as a huge number: digits only. */
        if (eq[1] < '0' || eq[1] > '9' ||
            ((v = strtoull(eq + 1, &end, 10)), errno != 0) || *end != '\0' ||
            v == 0) {
            snprintf(why, whysize, "--limit %s takes a number from 1 to %llu",
                     l->name, l->ceiling);
            return false;
        }
        if (v > l->ceiling) {
            snprintf(why, whysize, "--limit %s cannot pass its ceiling of %llu",
                     l->name, l->ceiling);
            return false;
        }
        values[i] = v;
        values_set[i] = true;
        return true;
    }
    {
        int n = snprintf(why, whysize, "--limit takes NAME=VALUE, NAME one of");

        for (size_t i = 0; i < LIMIT_COUNT && n > 0 && (size_t)n < whysize; i++)
            n += snprintf(why + n, whysize - (size_t)n, "%s %s",
                          i > 0 ? "," : "", limits[i].name);
    }
    return false;
}

static pc_status limit_vfail(pc_diags *d, struct pc_loc loc, enum limit_id id,
                             unsigned long long v, const char *fmt, va_list ap)
    PC_PRINTF(5, 0);

pc_status
limit_fail(pc_diags *d, struct pc_loc loc, enum limit_id id, const char *fmt,
           ...)
{
    va_list ap;
    pc_status st;

    va_start(ap, fmt);
    st = limit_vfail(d, loc, id, limit_get(id), fmt, ap);
    va_end(ap);
    return st;
}

pc_status
limit_fail_at(pc_diags *d, struct pc_loc loc, enum limit_id id,
              unsigned long long value, const char *fmt, ...)
{
    va_list ap;
    pc_status st;

    va_start(ap, fmt);
    st = limit_vfail(d, loc, id, value, fmt, ap);
    va_end(ap);
    return st;
}

static pc_status
limit_vfail(pc_diags *d, struct pc_loc loc, enum limit_id id,
            unsigned long long v, const char *fmt, va_list ap)
{
    const struct pc_limit_info *l = &limits[id];
    char msg[512];

    vsnprintf(msg, sizeof msg, fmt, ap);
    if (v >= l->ceiling)
        return diag_fail(d, PC_ELIMIT, loc,
                         "%s (limit %s, at its ceiling of %llu)", msg, l->name,
                         l->ceiling);
    return diag_fail(d, PC_ELIMIT, loc,
                     "%s (limit %s=%llu; --limit %s=N raises it, up to %llu)",
                     msg, l->name, v, l->name, l->ceiling);
}
