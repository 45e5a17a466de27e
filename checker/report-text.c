/* report-text.c - compiler-style text for a developer's terminal:
 * `file:line: severity: [ID] message`, the policy clauses behind it and
 * the fix, one finding after another with no blank lines, then a summary.
 * Every string is escaped: manifests are hostile and must not be able to
 * drive the terminal. */
#include "config.h"

#include "report.h"

#include "diag.h"
#include "disclose.h"

#include <string.h>

/* ANSI SGR, the colours compilers use. */
#define SGR_RESET "\033[0m"
#define SGR_BOLD "\033[1m"
#define SGR_DIM "\033[2m"
#define SGR_FIX "\033[32m"

#define REPORT_TEXT_ALSO_MAX 8 /* grouped findings named on an also: line */

static const char *const report_text_sev_sgr[] = {
    [PC_SEV_NOTE] = "\033[1;36m",
    [PC_SEV_WARNING] = "\033[1;35m",
    [PC_SEV_ERROR] = "\033[1;31m",
};

static void
report_text_sgr(struct report *r, const char *sgr)
{
    if (r->opt->color)
        fputs(sgr, r->out);
}

static void
report_text_put(struct report *r, const char *s)
{
    diag_put_escaped(r->out, s != NULL ? s : "");
}

/* `    policy §2: "quoted text"`. A clause without a section shows its id
 * instead, one without text only its reference. */
static void
report_text_clause(struct report *r, const struct pc_clause_ref *c)
{
    report_text_sgr(r, SGR_DIM);
    fputs("    policy", r->out);
    if (c->section != NULL && c->section[0] != '\0') {
        fputs(" \xc2\xa7", r->out); /* U+00A7 SECTION SIGN, UTF-8 */
        report_text_put(r, c->section);
    } else if (c->id != NULL) {
        fputc(' ', r->out);
        report_text_put(r, c->id);
    }
    if (c->text != NULL) {
        fputs(": \"", r->out);
        report_text_put(r, c->text);
        fputc('"', r->out);
    }
    report_text_sgr(r, SGR_RESET);
    fputc('\n', r->out);
}

/* `    also: ID [message], ID at line 17 [message]`: the rest of the
 * finding's group, which the text does not print again (explain ID gives
 * their clauses and fixes). */
static void
report_text_also(struct report *r, size_t i)
{
    const struct pc_finding *lead = pc_results_get(r->results, i);
    bool first = true;
    size_t shown = 0, rest = 0;

    if (r->next == NULL)
        return;
    for (size_t j = r->next[i]; j != REPORT_NONE; j = r->next[j]) {
        const struct pc_finding *f = pc_results_get(r->results, j);

        /* Suppressed ones have lines of their own. */
        if (f->suppressed)
            continue;
        /* A flow of a hundred fields must not make a line of a hundred
         * messages: the JSON report has every one. */
        if (shown == REPORT_TEXT_ALSO_MAX) {
            rest++;
            continue;
        }
        shown++;
        if (first) {
            fputs("    ", r->out);
            report_text_sgr(r, SGR_BOLD);
            fputs("also:", r->out);
            report_text_sgr(r, SGR_RESET);
        }
        fputs(first ? " " : ", ", r->out);
        first = false;
        report_text_put(r, f->rule != NULL ? f->rule : "?");
        if (f->line != lead->line)
            fprintf(r->out, " at line %u", f->line);
        fputs(" [", r->out);
        report_text_put(r, f->message != NULL ? f->message : f->title);
        fputc(']', r->out);
    }
    if (rest > 0)
        fprintf(r->out, ", and %zu more (--format json lists them)", rest);
    if (!first)
        fputc('\n', r->out);
}

/* Is i the first of its group that is not suppressed? The others are on
 * its also: line. */
static bool
report_text_leads(const struct report *r, size_t i)
{
    if (r->leader == NULL)
        return true;
    for (size_t j = r->leader[i]; j != i && j != REPORT_NONE; j = r->next[j])
        if (!pc_results_get(r->results, j)->suppressed)
            return false;
    return true;
}

static void
report_text_where(struct report *r, const struct pc_finding *f)
{
    if (f->file != NULL) {
        report_text_put(r, f->file);
        if (f->line > 0)
            fprintf(r->out, ":%u", f->line);
    } else {
        report_text_put(r, r->meta->tool != NULL ? r->meta->tool : "privcheck");
    }
    fputc(':', r->out);
}

/* A suppressed finding: one line, not in the compiler's format (a
 * problem matcher must not take it for an error), and why.
 * `file:15: waived: [ID] message` or `file:15: known: [ID] message`. */
static void
report_text_suppressed(struct report *r, const struct pc_finding *f)
{
    const struct pc_suppression *s = &f->suppression;
    bool waived = s->kind != NULL && strcmp(s->kind, "waiver") == 0;

    report_text_sgr(r, SGR_DIM);
    report_text_where(r, f);
    fprintf(r->out, " %s: [", waived ? "waived" : "known");
    report_text_put(r, f->rule != NULL ? f->rule : "?");
    fprintf(r->out, "] (%s) ", pc_severity_str(report_severity(f->severity)));
    report_text_put(r, f->message != NULL ? f->message : f->title);
    if (!waived) {
        /* Known from the baseline: this line says all. */
        report_text_sgr(r, SGR_RESET);
        fputc('\n', r->out);
        return;
    }
    fputc('\n', r->out);
    {
        fputs("    waiver: \"", r->out);
        report_text_put(r, s->reason != NULL ? s->reason : "");
        fputs("\", approved by ", r->out);
        report_text_put(r, s->approved_by != NULL ? s->approved_by : "?");
        fputs(", until ", r->out);
        report_text_put(r, s->expires != NULL ? s->expires : "?");
        if (s->file != NULL) {
            fputs(" (", r->out);
            report_text_put(r, s->file);
            fprintf(r->out, ":%u)", s->line);
        }
        report_text_sgr(r, SGR_RESET);
        fputc('\n', r->out);
    }
}

static pc_status
report_text_finding(struct report *r, const struct pc_finding *f)
{
    pc_severity sev = report_severity(f->severity);
    const char *msg = f->message != NULL ? f->message : f->title;
    size_t i = report_index(r, f);

    if (r->opt->quiet && (f->suppressed || sev < PC_SEV_ERROR))
        return PC_OK;
    if (f->suppressed) {
        report_text_suppressed(r, f);
        return PC_OK;
    }
    /* Shown under the first finding of its group. */
    if (!report_text_leads(r, i))
        return PC_OK;

    report_text_sgr(r, SGR_BOLD);
    report_text_where(r, f);
    report_text_sgr(r, SGR_RESET);
    fputc(' ', r->out);
    report_text_sgr(r, report_text_sev_sgr[sev]);
    fprintf(r->out, "%s:", pc_severity_str(sev));
    report_text_sgr(r, SGR_RESET);
    if (f->rule != NULL) {
        fputs(" [", r->out);
        report_text_put(r, f->rule);
        fputc(']', r->out);
    }
    fputc(' ', r->out);
    report_text_put(r, msg);
    fputc('\n', r->out);

    for (size_t k = 0; k < f->nclauses; k++)
        report_text_clause(r, &f->clauses[k]);

    if (f->fix != NULL && f->fix[0] != '\0') {
        fputs("    ", r->out);
        report_text_sgr(r, SGR_FIX);
        fputs("fix:", r->out);
        report_text_sgr(r, SGR_RESET);
        fputc(' ', r->out);
        report_text_put(r, f->fix);
        fputc('\n', r->out);
    }
    report_text_also(r, i);
    return PC_OK;
}

/* "1 error", "3 errors". */
static void
report_text_count(struct report *r, size_t n, const char *noun)
{
    fprintf(r->out, "%zu %s%s", n, noun, n == 1 ? "" : "s");
}

/* `privcheck: 2 manifests, 3 errors, 1 warning, 0 notes`, or
 * `privcheck: 2 manifests, no findings`; `, 2 waived` when waivers
 * suppressed some. The counts are of the findings that count. */
static void report_text_absent(struct report *r);
static void report_text_disclosures(struct report *r);

static pc_status
report_text_end(struct report *r)
{
    size_t total = r->counts[PC_SEV_ERROR] + r->counts[PC_SEV_WARNING] +
                   r->counts[PC_SEV_NOTE];

    report_text_absent(r);
    report_text_disclosures(r);
    report_text_put(r, r->meta->tool != NULL ? r->meta->tool : "privcheck");
    fputs(": ", r->out);
    report_text_count(r, pc_results_manifest_count(r->results), "manifest");
    /* "no findings" only when there are none, suppressed ones too. */
    if (total + r->nwaived + r->nknown == 0) {
        fputs(", no findings", r->out);
    } else {
        fputs(", ", r->out);
        report_text_count(r, r->counts[PC_SEV_ERROR], "error");
        fputs(", ", r->out);
        report_text_count(r, r->counts[PC_SEV_WARNING], "warning");
        fputs(", ", r->out);
        report_text_count(r, r->counts[PC_SEV_NOTE], "note");
    }
    if (r->nwaived > 0)
        fprintf(r->out, ", %zu waived", r->nwaived);
    if (r->baseline != NULL)
        fprintf(r->out, "; %zu new, %zu unchanged, %zu fixed", r->nnew,
                r->nunchanged, r->nabsent);
    fputc('\n', r->out);
    return PC_OK;
}

/* `fixed: file:15: [ID] message`: what the baseline had and this run
 * does not, before the summary. */
static void
report_text_absent(struct report *r)
{
    for (size_t i = 0; i < r->nabsent; i++) {
        const struct pc_finding *f = pc_results_absent(r->results, i);

        report_text_sgr(r, SGR_DIM);
        fputs("fixed: ", r->out);
        report_text_where(r, f);
        fputs(" [", r->out);
        report_text_put(r, f->rule != NULL ? f->rule : "?");
        fputs("] ", r->out);
        report_text_put(r, f->message != NULL ? f->message : "");
        report_text_sgr(r, SGR_RESET);
        fputc('\n', r->out);
    }
}

/* `privcheck: disclosures: 4 clear, 0 vague, 0 omitted, 3 incorrect`:
 * how the policy discloses what the flows do (DESIGN §6), for the reader
 * who does not open the other formats; those list the items. */
static void
report_text_disclosures(struct report *r)
{
    size_t counts[DISCLOSE_NCLASSES], n;

    if (r->opt->quiet || (n = disclose_count(r->results, counts)) == 0)
        return;
    report_text_put(r, r->meta->tool != NULL ? r->meta->tool : "privcheck");
    fputs(": disclosures:", r->out);
    for (int k = 0; k < DISCLOSE_NCLASSES; k++)
        fprintf(r->out, "%s %zu %s", k > 0 ? "," : "", counts[k],
                disclose_class_str(k));
    if (counts[DISCLOSE_CLEAR] < n)
        fputs(" (--format html, markdown or json lists them)", r->out);
    fputc('\n', r->out);
}

const struct report_format report_text = {
    .name = "text",
    .description = "compiler-style lines for a terminal (the default)",
    .finding = report_text_finding,
    .end = report_text_end,
    .disclosure_items = PC_ITEMS_NONE,
};
