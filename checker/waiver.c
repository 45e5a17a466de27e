/* waiver.c - waivers (DESIGN §6a): approved exceptions for one finding
 * each, until an expiry (waiver-xml.c reads and writes the files). A
 * waiver matches by fingerprint, or by rule and object (and application,
 * when it names one); one that has not expired suppresses what it
 * matches. What makes a waiver itself wrong (expired, matching nothing,
 * too long) is for the rules to say: they range over the waivers, which
 * this file hands to the evaluator with what it computed about each. */
#include "config.h"

#include "waiver.h"

#include "diag.h"
#include "engine.h"
#include "eval.h"
#include "manifest.h"
#include "map.h"
#include "paths.h"
#include "results.h"
#include "rule.h"
#include "strbuf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define WAIVERS_NS "urn:privcheck:waivers:1"
const char *const waiver_attrs[] = {
    "rule",   "application", "object",  "fingerprint",
    "reason", "approved-by", "expires",
};

void
waivers_truncate(pc_waivers *w, size_t n)
{
    while (w->n > n) {
        w->n--;
        for (size_t k = 0; k < W_NATTRS; k++)
            free(w->v[w->n].a[k]);
    }
}

pc_status
waiver_extend_schema(struct schema_attrs *sa)
{
    static const char *const computed[] = { "expired", "days-left", "matched" };
    pc_status st = PC_OK;

    for (size_t i = 0; i < sizeof computed / sizeof computed[0] && !st; i++)
        st = schema_attrs_add_computed(sa, WAIVER_KIND, computed[i]);
    return st;
}

/* ------------------------------------------------------------------ */
/* Dates. */

/* Days from 1970-01-01 to y-m-d, leap years as the Gregorian rules say
 * (Howard Hinnant's days_from_civil). */
static long
waiver_days_from_civil(long y, unsigned m, unsigned d)
{
    long era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long)doe - 719468;
}

static bool
waiver_leap(long y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool
waiver_date(const char *s, long *days)
{
    static const unsigned mdays[] = { 31, 28, 31, 30, 31, 30,
                                      31, 31, 30, 31, 30, 31 };
    long y = 0;
    unsigned m, d;

    if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    for (int i = 0; i < 4; i++)
        y = y * 10 + (s[i] - '0');
    m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
    d = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
    if (y < 1 || m < 1 || m > 12 || d < 1 ||
        d > mdays[m - 1] + (m == 2 && waiver_leap(y)))
        return false;
    *days = waiver_days_from_civil(y, m, d);
    return true;
}

bool
pc_date_valid(const char *s)
{
    long days;

    return waiver_date(s, &days);
}

void
pc_date_today(char buf[11])
{
    time_t now = time(NULL);
    struct tm tm;

    if (gmtime_r(&now, &tm) == NULL || strftime(buf, 11, "%Y-%m-%d", &tm) != 10)
        snprintf(buf, 11, "1970-01-01");
}

/* ------------------------------------------------------------------ */
/* The set. */

pc_waivers *
pc_waivers_new(void)
{
    return calloc(1, sizeof(struct pc_waivers));
}

void
pc_waivers_free(pc_waivers *w)
{
    if (w == NULL)
        return;
    for (size_t i = 0; i < w->n; i++)
        for (size_t k = 0; k < W_NATTRS; k++)
            free(w->v[i].a[k]);
    for (size_t i = 0; i < w->nfiles; i++)
        free(w->files[i].path);
    free(w->v);
    free(w->files);
    free(w);
}

size_t
pc_waivers_count(const pc_waivers *w)
{
    return w->n;
}

/* ------------------------------------------------------------------ */
/* Matching. */

static bool
waiver_matches(const struct waiver *x, const struct pc_finding *f)
{
    const char *want[W_NATTRS] = { [W_RULE] = f->rule,
                                   [W_APP] = f->application,
                                   [W_OBJECT] = f->object,
                                   [W_FP] = f->fingerprint };

    /* Every attribute the waiver names must agree. */
    for (size_t k = W_RULE; k <= W_FP; k++)
        if (x->a[k] != NULL && (want[k] == NULL || strcmp(x->a[k], want[k])))
            return false;
    return true;
}

/* The candidates for a finding come from two indexes: by fingerprint, and
 * by rule and object; `next` chains the waivers of one key. */
struct waiver_index {
    struct map *by_fp, *by_ro;
    struct strv keys; /* own the rule+object keys */
    size_t *next;
};

static void
waiver_index_free(struct waiver_index *ix)
{
    map_free(ix->by_fp);
    map_free(ix->by_ro);
    strv_free(&ix->keys);
    free(ix->next);
}

static pc_status
waiver_ro_key(struct strbuf *b, const char *rule, const char *object)
{
    strbuf_reset(b);
    return strbuf_printf(b, "%s%c%s", rule, '\n', object);
}

static pc_status
waiver_index(const pc_waivers *w, struct waiver_index *ix)
{
    struct strbuf b = STRBUF_INIT(0);
    pc_status st = PC_OK;

    memset(ix, 0, sizeof *ix);
    if ((ix->by_fp = map_new()) == NULL || (ix->by_ro = map_new()) == NULL ||
        (ix->next = calloc(w->n + 1, sizeof *ix->next)) == NULL)
        return PC_ENOMEM;
    /* Chained from the last, so that each chain runs in file order. */
    for (size_t i = w->n; i-- > 0 && st == PC_OK;) {
        const struct waiver *x = &w->v[i];
        struct map *m = x->a[W_FP] != NULL ? ix->by_fp : ix->by_ro;
        const char *key = x->a[W_FP];

        if (key == NULL) {
            if ((st = waiver_ro_key(&b, x->a[W_RULE], x->a[W_OBJECT])) !=
                    PC_OK ||
                (st = strv_push(&ix->keys, strbuf_str(&b))) != PC_OK)
                break;
            key = ix->keys.v[ix->keys.n - 1];
        }
        ix->next[i] = (size_t)(uintptr_t)map_get(m, key); /* index + 1 */
        st = map_put(m, key, (void *)(uintptr_t)(i + 1));
    }
    strbuf_free(&b);
    return st;
}

/* ------------------------------------------------------------------ */
/* Judging the waivers with the rules. */

/* The node of one waiver: what the file says and what was computed. */
static pc_status
waiver_node(const struct waiver *x, long today, int matched,
            struct manifest_attr *attrs, char days[24], struct manifest_node *n)
{
    size_t k = 0;

    for (size_t i = 0; i < W_NATTRS; i++)
        if (x->a[i] != NULL) {
            attrs[k].name = waiver_attrs[i];
            attrs[k++].value = x->a[i];
        }
    attrs[k].name = "expired";
    attrs[k++].value = x->expires < today ? "true" : "false";
    if (x->expires >= today) {
        snprintf(days, 24, "%ld", x->expires - today);
        attrs[k].name = "days-left";
        attrs[k++].value = days;
    }
    if (matched >= 0) {
        attrs[k].name = "matched";
        attrs[k++].value = matched ? "true" : "false";
    }
    n->kind = WAIVER_KIND;
    n->line = x->line;
    n->depth = 1;
    n->attrs = attrs;
    n->nattrs = k;
    return PC_OK;
}

#define WAIVER_NODE_ATTRS (W_NATTRS + 3)

/* Run the rules over waivers x[0..n) of `file`; matched[i] is -1 when not
 * known. Findings go to r. */
static pc_status
waiver_evaluate(const pc_engine *e, const struct waiver *x, size_t n,
                const int *matched, long today, const char *file,
                const char *ident, const struct pc_trace *trace, pc_diags *d,
                pc_results *r)
{
    struct manifest_node *nodes = calloc(n + 1, sizeof *nodes);
    struct manifest_attr *attrs =
        calloc(n * WAIVER_NODE_ATTRS + 1, sizeof *attrs);
    char(*days)[24] = calloc(n + 1, sizeof *days);
    struct eval_engine ee;
    pc_status st = PC_OK;

    if (nodes == NULL || attrs == NULL || days == NULL) {
        st = PC_ENOMEM;
        goto out;
    }
    engine_eval_engine(e, &ee);
    ee.trace = trace;
    nodes[0].kind = WAIVERS_ROOT;
    nodes[0].line = 1;
    for (size_t i = 0; i < n && st == PC_OK; i++)
        st = waiver_node(&x[i], today, matched[i],
                         &attrs[i * WAIVER_NODE_ATTRS], days[i], &nodes[i + 1]);
    if (st == PC_OK)
        st = eval_nodes(&ee, file, ident, nodes, n + 1, d, r);
out:
    free(nodes);
    free(attrs);
    free(days);
    return st;
}

pc_status
pc_waivers_apply(const pc_engine *e, const pc_waivers *w, const char *today,
                 const struct pc_audit_options *opt, pc_results *r, pc_diags *d)
{
    struct waiver_index ix;
    struct strbuf key = STRBUF_INIT(0);
    int *matched = NULL;
    size_t nfindings = pc_results_count(r), errors = pc_diags_errors(d);
    pc_results *scratch = NULL;
    long now;
    pc_status st;

    if (!waiver_date(today, &now))
        return diag_fail(d, PC_EINVALID, diag_loc(d, NULL, 0, 0),
                         "'%s' is not a date (YYYY-MM-DD)",
                         today != NULL ? today : "");
    if ((st = waiver_index(w, &ix)) != PC_OK)
        goto out;
    if ((matched = calloc(w->n + 1, sizeof *matched)) == NULL) {
        st = PC_ENOMEM;
        goto out;
    }
    /* Each finding of the run, against the waivers that could name it:
     * the first that holds today suppresses it; every one that matches
     * is matched, expired or not. */
    for (size_t i = 0; i < nfindings && st == PC_OK; i++) {
        const struct pc_finding *f = pc_results_get(r, i);
        size_t heads[2] = { 0, 0 };

        if (f->fingerprint != NULL)
            heads[0] = (size_t)(uintptr_t)map_get(ix.by_fp, f->fingerprint);
        if (f->rule != NULL && f->object != NULL) {
            if ((st = waiver_ro_key(&key, f->rule, f->object)) != PC_OK)
                break;
            heads[1] = (size_t)(uintptr_t)map_get(ix.by_ro, strbuf_str(&key));
        }
        for (size_t h = 0; h < 2 && st == PC_OK; h++)
            for (size_t j = heads[h]; j != 0 && st == PC_OK;
                 j = ix.next[j - 1]) {
                const struct waiver *x = &w->v[j - 1];
                size_t fi;

                if (!waiver_matches(x, f))
                    continue;
                matched[j - 1] = 1;
                if (x->expires < now)
                    continue;
                for (fi = 0; fi < w->nfiles; fi++)
                    if (j - 1 >= w->files[fi].first &&
                        j - 1 < w->files[fi].first + w->files[fi].n)
                        break;
                struct pc_suppression s = {
                    .kind = "waiver",
                    .reason = x->a[W_REASON],
                    .approved_by = x->a[W_BY],
                    .expires = x->a[W_EXPIRES],
                    .file = fi < w->nfiles ? w->files[fi].path : NULL,
                    .line = x->line,
                };
                st = results_suppress(r, i, &s);
            }
    }
    /* Then the rules judge the waivers, file by file. Their findings are
     * kept only if every file was judged. */
    if (st == PC_OK && (scratch = pc_results_new()) == NULL)
        st = PC_ENOMEM;
    for (size_t fi = 0; fi < w->nfiles && st == PC_OK; fi++) {
        const struct waiver_file *wf = &w->files[fi];
        struct pc_manifest_info info = { .file = wf->path,
                                         .sha256 = wf->sha256,
                                         .kind = WAIVERS_ROOT };
        /* A file with no waiver has no slice of w->v (which may then be
         * NULL, and NULL + 0 is undefined). */
        const struct waiver *x = wf->n > 0 ? &w->v[wf->first] : NULL;
        const int *m = wf->n > 0 ? &matched[wf->first] : NULL;
        char *ident = NULL;

        st = paths_relative(opt != NULL ? opt->source_root : NULL, wf->path, d,
                            &ident);
        if (st == PC_OK)
            st = waiver_evaluate(e, x, wf->n, m, now, wf->path, ident,
                                 opt != NULL ? opt->trace : NULL, d, scratch);
        info.path = ident;
        if (st == PC_OK)
            st = results_add_input(scratch, &info);
        free(ident);
    }
    if (st == PC_OK)
        st = pc_results_merge(r, scratch);
out:
    /* Every failure says why, even one no deeper layer described (an
     * evaluation over the waivers stopped short of memory). */
    if (st != PC_OK && pc_diags_errors(d) == errors)
        diag_add(d, PC_SEV_ERROR,
                 diag_loc(d, w->nfiles > 0 ? w->files[0].path : NULL, 0, 0),
                 "the waivers were not applied: %s", pc_status_str(st));
    pc_results_free(scratch);
    waiver_index_free(&ix);
    strbuf_free(&key);
    free(matched);
    return st;
}

pc_status
pc_waiver_judge(const pc_engine *e, const struct pc_waiver_spec *p,
                const char *today, const char *file, pc_diags *d, pc_results *r)
{
    struct waiver x = { .line = 0 };
    int matched = -1;
    long now;
    char *ident = NULL;
    pc_status st;

    if (!waiver_date(today, &now))
        return diag_fail(d, PC_EINVALID, diag_loc(d, NULL, 0, 0),
                         "'%s' is not a date (YYYY-MM-DD)", today);
    if (!waiver_date(p->expires, &x.expires))
        return diag_fail(d, PC_EINVALID, diag_loc(d, NULL, 0, 0),
                         "--expires '%s' is not a date (YYYY-MM-DD)",
                         p->expires != NULL ? p->expires : "");
    x.a[W_RULE] = (char *)p->rule;
    x.a[W_APP] = (char *)p->application;
    x.a[W_OBJECT] = (char *)p->object;
    x.a[W_FP] = (char *)p->fingerprint;
    x.a[W_REASON] = (char *)p->reason;
    x.a[W_BY] = (char *)p->approved_by;
    x.a[W_EXPIRES] = (char *)p->expires;
    if ((st = paths_relative(NULL, file, d, &ident)) != PC_OK)
        return st;
    st = waiver_evaluate(e, &x, 1, &matched, now, file, ident, NULL, d, r);
    free(ident);
    return st;
}
