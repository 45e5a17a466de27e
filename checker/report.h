/* report.h - the report layer: a table of formats, each a descriptor with
 * callbacks, and one walk over the findings that drives them. Private to
 * the library; the public entry is pc_report_write in privcheck.h. */
#ifndef PC_REPORT_H
#define PC_REPORT_H

#include "privcheck.h"

struct policy_clause;

/* What a report records about the run besides its findings. Every string
 * is borrowed for the duration of report_write and may be NULL (unknown:
 * JSON writes null). */
struct report_meta {
    const char *tool, *tool_version;
    const char *tool_uri; /* where to read about it; NULL: unknown */
    const char *policy_id, *policy_version, *policy_title, *policy_sha256;
    const char *rules_sha256;
    /* The rule catalog, sorted by id (SARIF lists it, JUnit has a test
     * case per rule); borrowed. */
    const struct pc_rule_info *const *rules;
    size_t nrules;
    /* The policy audited against (disclosure classes, the rights matrix,
     * clause coverage), or NULL; borrowed. */
    const pc_policy *policy;
    /* The XSLT stylesheet of the HTML report; NULL: none known. */
    const char *stylesheet;
};

/* One report being written. Everything but state is set by report_write
 * and read-only to the format. */
struct report {
    const struct report_meta *meta;
    const pc_results *results;
    const struct pc_report_options *opt; /* never NULL */
    FILE *out;
    pc_diags *d;
    void *state; /* the format's own: set by begin, released by cleanup */
    /* Findings per pc_severity (out-of-range severities count as errors,
     * as pc_severity_str names them). Complete before begin, so a format
     * can put totals up front (JUnit, Markdown). */
    size_t counts[PC_SEV_ERROR + 1]; /* of the findings not suppressed */
    size_t nwaived;                  /* suppressed by a waiver */
    size_t nknown; /* suppressed because the baseline has them */
    /* With a baseline (results have one): new and unchanged findings, and
     * the baseline's that are gone (fixed). */
    const struct pc_baseline_info *baseline;
    size_t nnew, nunchanged, nabsent;
    /* Findings about one element of one manifest form a group (DESIGN §5:
     * overlap is a presentation matter). leader[i] is the index of the
     * first finding of i's group in results order; next[i] the next
     * member after i, or REPORT_NONE. NULL when there are no findings. */
    const size_t *leader, *next;
};

#define REPORT_NONE ((size_t)-1)

/* The index of f, one of r's findings, in results order. */
size_t report_index(const struct report *r, const struct pc_finding *f);

/* A report format. report_write calls begin, finding once per finding in
 * results order, then end; it stops at the first status other than PC_OK.
 * If begin succeeded, cleanup runs last whatever happened, so end need
 * not free state. begin, end and cleanup may be NULL.
 *
 * A callback returns PC_EIO when a write fails and records no diagnostic
 * for it (report_write does, once); a write error it does not notice is
 * caught from ferror(out). Any other failure gets a diagnostic in r->d. */
struct report_format {
    const char *name;        /* the --format value */
    const char *description; /* one line, for help text */
    pc_status (*begin)(struct report *r);
    pc_status (*finding)(struct report *r, const struct pc_finding *f);
    pc_status (*end)(struct report *r);
    void (*cleanup)(struct report *r);
    /* The disclosure items it prints; the others it counts. */
    enum pc_disclosure_items disclosure_items;
};

extern const struct report_format report_text;     /* report-text.c */
extern const struct report_format report_json;     /* report-json.c */
extern const struct report_format report_sarif;    /* report-sarif.c */
extern const struct report_format report_junit;    /* report-junit.c */
extern const struct report_format report_github;   /* report-github.c */
extern const struct report_format report_markdown; /* report-markdown.c */
extern const struct report_format report_xml;      /* report-xml.c */
extern const struct report_format report_html;     /* report-html.c */

struct xml_writer;
/* The XML report streamed to out (report-xml.c), for the HTML report to
 * transform: open writes everything before the findings, each finding
 * one, close the rest, and frees w whatever happened. */
pc_status report_xml_open(struct report *r, FILE *out, struct xml_writer **w);
void report_xml_finding(struct report *r, struct xml_writer *w,
                        const struct pc_finding *f);
pc_status report_xml_close(struct report *r, struct xml_writer *w);

/* The clause with this id of the policy of r, or NULL. */
const struct policy_clause *report_clause(const struct report *r,
                                          const char *id);

/* The format called `name`, or NULL. Borrowed (static). */
const struct report_format *report_format_find(const char *name);

/* Write the report of r (already sorted by the caller) in `format` to out
 * and flush it. opt NULL means the defaults (no colour). Returns PC_OK;
 * PC_EINVALID for an unknown format or a string the format cannot
 * represent; PC_EIO when out reports a write error; PC_ENOMEM. Every
 * failure but PC_ENOMEM has a diagnostic in d. The stream is flushed,
 * not closed; on failure part of a report may have been written. */
pc_status report_write(const char *format, const struct report_meta *meta,
                       const pc_results *r, const struct pc_report_options *opt,
                       FILE *out, pc_diags *d);

/* The severity a finding is reported with: out-of-range values are
 * errors, so a corrupt severity never hides a finding. */
pc_severity report_severity(pc_severity sev);

/* Does f make the run fail (at or above --fail-on, not suppressed)? */
bool report_fails(const struct report *r, const struct pc_finding *f);

struct strbuf;
/* Append s to b as Markdown text that shows exactly s: the characters
 * Markdown (and GitHub's flavour) gives meaning to are backslash-escaped,
 * < > & | are entities, a newline is <br>, and what must not be shown
 * raw (control characters, bidi overrides, bytes that are not UTF-8) is
 * written \xNN. Safe inside a table cell and a quote. */
pc_status report_md(struct strbuf *b, const char *s);

/* t as ISO 8601 UTC, "2024-05-01T12:00:00Z", into buf; false when t is
 * out of range. */
bool report_time(time_t t, char buf[32]);

#endif
