/* report-text.c - compiler-style text for a developer's terminal:
 * `file:line: severity: [ID] message`, the policy clauses behind it and
 * the fix, one finding after another with no blank lines, then a summary.
 * Every string is escaped: manifests are hostile and must not be able to
 * drive the terminal. */
#include "config.h"

#include "report.h"

#include "diag.h"

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
    size_t shown = 0, rest = 0;

    if (r->next == NULL || r->next[i] == REPORT_NONE)
        return;
    fputs("    ", r->out);
    report_text_sgr(r, SGR_BOLD);
    fputs("also:", r->out);
    report_text_sgr(r, SGR_RESET);
    for (size_t j = r->next[i]; j != REPORT_NONE; j = r->next[j]) {
        const struct pc_finding *f = pc_results_get(r->results, j);

        /* A flow of a hundred fields must not make a line of a hundred
         * messages: the JSON report has every one. */
        if (shown == REPORT_TEXT_ALSO_MAX) {
            rest++;
            continue;
        }
        shown++;
        fputs(j == r->next[i] ? " " : ", ", r->out);
        report_text_put(r, f->rule != NULL ? f->rule : "?");
        if (f->line != lead->line)
            fprintf(r->out, " at line %u", f->line);
        fputs(" [", r->out);
        report_text_put(r, f->message != NULL ? f->message : f->title);
        fputc(']', r->out);
    }
    if (rest > 0)
        fprintf(r->out, ", and %zu more (--format json lists them)", rest);
    fputc('\n', r->out);
}

static pc_status
report_text_finding(struct report *r, const struct pc_finding *f)
{
    pc_severity sev = report_severity(f->severity);
    const char *msg = f->message != NULL ? f->message : f->title;
    size_t i = report_index(r, f);

    /* Shown under the first finding of its group. */
    if (r->leader != NULL && r->leader[i] != i)
        return PC_OK;

    report_text_sgr(r, SGR_BOLD);
    if (f->file != NULL) {
        report_text_put(r, f->file);
        if (f->line > 0)
            fprintf(r->out, ":%u", f->line);
    } else {
        report_text_put(r, r->meta->tool != NULL ? r->meta->tool : "privcheck");
    }
    fputc(':', r->out);
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
 * `privcheck: 2 manifests, no findings`. */
static pc_status
report_text_end(struct report *r)
{
    size_t total = r->counts[PC_SEV_ERROR] + r->counts[PC_SEV_WARNING] +
                   r->counts[PC_SEV_NOTE];

    report_text_put(r, r->meta->tool != NULL ? r->meta->tool : "privcheck");
    fputs(": ", r->out);
    report_text_count(r, pc_results_manifest_count(r->results), "manifest");
    if (total == 0) {
        fputs(", no findings\n", r->out);
        return PC_OK;
    }
    fputs(", ", r->out);
    report_text_count(r, r->counts[PC_SEV_ERROR], "error");
    fputs(", ", r->out);
    report_text_count(r, r->counts[PC_SEV_WARNING], "warning");
    fputs(", ", r->out);
    report_text_count(r, r->counts[PC_SEV_NOTE], "note");
    fputc('\n', r->out);
    return PC_OK;
}

const struct report_format report_text = {
    .name = "text",
    .description = "compiler-style lines for a terminal (the default)",
    .finding = report_text_finding,
    .end = report_text_end,
};
