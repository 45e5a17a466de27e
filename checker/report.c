/* report.c - the table of report formats and the one walk over the
 * findings that drives them. Formats only turn findings into bytes; write
 * errors, flushing and diagnostics about them are handled here, once. */
#include "config.h"

#include "report.h"

#include "diag.h"
#include "map.h"
#include "policy.h"
#include "strbuf.h"

#include <errno.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>

/* A new format: a report-NAME.c with its descriptor, a line here. */
static const struct report_format *const formats[] = {
    &report_text,   &report_json,     &report_sarif, &report_junit,
    &report_github, &report_markdown, &report_xml,   &report_html,
};

#define NFORMATS (sizeof formats / sizeof formats[0])

const struct report_format *
report_format_find(const char *name)
{
    if (name == NULL)
        return NULL;
    for (size_t i = 0; i < NFORMATS; i++)
        if (strcmp(formats[i]->name, name) == 0)
            return formats[i];
    return NULL;
}

bool
pc_report_format_known(const char *format)
{
    return report_format_find(format) != NULL;
}

enum pc_disclosure_items
pc_report_disclosure_items(const char *format)
{
    const struct report_format *f = report_format_find(format);

    return f != NULL ? f->disclosure_items : PC_ITEMS_ALL;
}

/* The list is built from the table once, so it cannot drift from it. */
static char format_list[256];
static pthread_once_t format_list_once = PTHREAD_ONCE_INIT;

static void
report_build_format_list(void)
{
    size_t len = 0;

    for (size_t i = 0; i < NFORMATS; i++) {
        size_t room = sizeof format_list - len;
        int n = snprintf(format_list + len, room, "%s%s", i > 0 ? ", " : "",
                         formats[i]->name);

        /* The names are ours and short: a table that outgrows the buffer
         * loses its last names, which the unit test notices. */
        if (n < 0 || (size_t)n >= room) {
            format_list[len] = '\0';
            break;
        }
        len += (size_t)n;
    }
}

const char *
pc_report_formats(void)
{
    pthread_once(&format_list_once, report_build_format_list);
    return format_list;
}

pc_severity
report_severity(pc_severity sev)
{
    return (unsigned)sev <= PC_SEV_ERROR ? sev : PC_SEV_ERROR;
}

/* Record a failed write. errno is read by the caller right after the
 * failure, before anything else can change it. */
static pc_status
report_io_fail(struct report *r, const char *format, int err)
{
    struct pc_loc nowhere = { NULL, 0, 0 };

    /* A stream in memory (standard output's report is made in one) fails
     * for want of memory, which is said as such. */
    if (err == ENOMEM)
        return PC_ENOMEM;
    return diag_fail(r->d, PC_EIO, nowhere, "cannot write the %s report: %s",
                     format, err != 0 ? strerror(err) : "write error");
}

/* Status after a callback returned st: its own PC_EIO gets the diagnostic
 * the contract leaves to us, and a write error it did not notice is
 * caught from the stream. errno is read before anything can change it. */
static pc_status
report_after(struct report *r, const char *format, pc_status st)
{
    int err = errno;

    if (st == PC_EIO || (st == PC_OK && ferror(r->out)))
        return report_io_fail(r, format, err);
    return st;
}

bool
report_fails(const struct report *r, const struct pc_finding *f)
{
    const struct pc_run_info *run = r->opt->run;

    if (f->suppressed || (run != NULL && run->never_fail))
        return false;
    return report_severity(f->severity) >=
           (run != NULL ? run->fail_on : PC_SEV_ERROR);
}

pc_status
report_md(struct strbuf *b, const char *s)
{
    const char *end = s + strlen(s);
    pc_status st = PC_OK;

    while (s < end && st == PC_OK) {
        bool unsafe;
        size_t n = diag_scan(s, (size_t)(end - s), &unsafe);

        if (*s == '\n')
            st = strbuf_puts(b, "<br>");
        else if (unsafe)
            for (size_t i = 0; i < n && st == PC_OK; i++)
                st = strbuf_printf(b, "\\\\x%02x", (unsigned char)s[i]);
        else if (*s == '<')
            st = strbuf_puts(b, "&lt;");
        else if (*s == '>')
            st = strbuf_puts(b, "&gt;");
        else if (*s == '&')
            st = strbuf_puts(b, "&amp;");
        else if (*s == '|')
            st = strbuf_puts(b, "&#124;");
        else if (strchr("\\`*_[]#~", *s) != NULL)
            st = strbuf_printf(b, "\\%c", *s);
        else
            st = strbuf_add(b, s, n);
        s += n;
    }
    return st;
}

bool
report_time(time_t t, char buf[32])
{
    struct tm tm;

    return gmtime_r(&t, &tm) != NULL &&
           strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) > 0;
}

const struct policy_clause *
report_clause(const struct report *r, const char *id)
{
    return r->meta->policy != NULL && id != NULL
               ? policy_clause(r->meta->policy, id)
               : NULL;
}

size_t
report_index(const struct report *r, const struct pc_finding *f)
{
    return (size_t)(f - pc_results_get(r->results, 0));
}

/* Link the findings of each group (same file, same group key). Results
 * are sorted by file, so one map serves a file at a time. */
static pc_status
report_groups(const pc_results *res, size_t **leaderp, size_t **nextp)
{
    size_t n = pc_results_count(res);
    size_t *leader = NULL, *next = NULL, *last = NULL;
    struct map *m = NULL;
    const char *file = NULL;
    pc_status st = PC_ENOMEM;

    *leaderp = *nextp = NULL;
    if (n == 0)
        return PC_OK;
    if ((leader = calloc(n, sizeof *leader)) == NULL ||
        (next = calloc(n, sizeof *next)) == NULL ||
        (last = calloc(n, sizeof *last)) == NULL || (m = map_new()) == NULL)
        goto out;
    for (size_t i = 0; i < n; i++) {
        const struct pc_finding *f = pc_results_get(res, i);
        const char *key = f->group;
        const char *ffile = f->file != NULL ? f->file : "";
        size_t *lp;

        if (file == NULL || strcmp(file, ffile) != 0) {
            map_clear(m);
            file = ffile;
        }
        next[i] = REPORT_NONE;
        /* A finding that names no group stands alone. */
        if (key == NULL) {
            leader[i] = last[i] = i;
            continue;
        }
        if ((lp = map_get(m, key)) == NULL) {
            leader[i] = last[i] = i;
            /* The value points at leader[i], which says i. */
            if (map_put(m, key, &leader[i]) != PC_OK)
                goto out;
            continue;
        }
        leader[i] = *lp;
        next[last[*lp]] = i;
        last[*lp] = i;
    }
    *leaderp = leader;
    *nextp = next;
    leader = next = NULL;
    st = PC_OK;
out:
    free(leader);
    free(next);
    free(last);
    map_free(m);
    return st;
}

pc_status
report_write(const char *format, const struct report_meta *meta,
             const pc_results *res, const struct pc_report_options *opt,
             FILE *out, pc_diags *d)
{
    static const struct pc_report_options defaults = { .color = false };
    static const struct report_meta nometa = { .tool = NULL };
    struct pc_loc nowhere = { NULL, 0, 0 };
    const struct report_format *fmt = report_format_find(format);
    struct report r = {
        .meta = meta != NULL ? meta : &nometa,
        .results = res,
        .opt = opt != NULL ? opt : &defaults,
        .out = out,
        .d = d,
    };
    size_t n = pc_results_count(res);
    pc_status st;

    if (fmt == NULL)
        return diag_fail(
            d, PC_EINVALID, nowhere, "unknown report format '%s' (known: %s)",
            format != NULL ? format : "(none)", pc_report_formats());
    if (out == NULL)
        return diag_fail(d, PC_EINVALID, nowhere,
                         "no stream to write the %s report to", fmt->name);

    size_t *leader = NULL, *next = NULL;

    r.baseline = pc_results_baseline(res);
    r.nabsent = pc_results_absent_count(res);
    for (size_t i = 0; i < n; i++) {
        const struct pc_finding *f = pc_results_get(res, i);

        if (f->baseline != NULL && strcmp(f->baseline, "unchanged") == 0)
            r.nunchanged++;
        else if (f->baseline != NULL)
            r.nnew++;
        if (!f->suppressed)
            r.counts[report_severity(f->severity)]++;
        else if (f->suppression.kind != NULL &&
                 strcmp(f->suppression.kind, "waiver") == 0)
            r.nwaived++;
        else
            r.nknown++;
    }
    if ((st = report_groups(res, &leader, &next)) != PC_OK)
        return st;
    r.leader = leader;
    r.next = next;

    errno = 0;
    /* A begin that fails owns nothing, so there is nothing to clean up. */
    if (fmt->begin != NULL && (st = fmt->begin(&r)) != PC_OK) {
        st = report_after(&r, fmt->name, st);
        free(leader);
        free(next);
        return st;
    }
    if ((st = report_after(&r, fmt->name, PC_OK)) != PC_OK)
        goto out;
    for (size_t i = 0; i < n; i++) {
        /* Stop at the first failed write: a full disk need not be fed
         * ten thousand more findings. */
        st = fmt->finding(&r, pc_results_get(res, i));
        if ((st = report_after(&r, fmt->name, st)) != PC_OK)
            goto out;
    }
    if (fmt->end != NULL &&
        (st = report_after(&r, fmt->name, fmt->end(&r))) != PC_OK)
        goto out;
    /* Buffered bytes meet the file here: a short report that does not fit
     * fails now, not when the caller closes the stream. */
    if (fflush(out) != 0)
        st = report_io_fail(&r, fmt->name, errno);
    else
        st = report_after(&r, fmt->name, PC_OK);
out:
    if (fmt->cleanup != NULL)
        fmt->cleanup(&r);
    free(leader);
    free(next);
    return st;
}
