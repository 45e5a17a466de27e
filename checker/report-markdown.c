/* report-markdown.c - a summary for people, in GitHub-flavoured Markdown:
 * for $GITHUB_STEP_SUMMARY or a merge-request comment. A verdict line,
 * the counts, then per manifest a table of its findings grouped by the
 * element they are about, each with the policy clause it breaks quoted.
 * Every string from an input goes through report_md, so a manifest can
 * neither format the page nor put HTML in it. */
#include "config.h"

#include "report.h"

#include "disclose.h"
#include "results.h"
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

#define MD_MAX (1u << 26)

struct md {
    struct report *r;
    struct strbuf b;
    pc_status st;
};

static void
md_puts(struct md *m, const char *s)
{
    if (m->st == PC_OK)
        m->st = strbuf_puts(&m->b, s);
}

/* Text from an input, escaped. */
static void
md_text(struct md *m, const char *s)
{
    if (m->st == PC_OK && s != NULL)
        m->st = report_md(&m->b, s);
}

static void
md_count(struct md *m, size_t n, const char *noun)
{
    if (m->st == PC_OK)
        m->st = strbuf_printf(&m->b, "%zu %s%s", n, noun, n == 1 ? "" : "s");
}

static void
md_verdict(struct md *m)
{
    const struct report *r = m->r;
    const struct pc_run_info *run = r->opt->run;
    size_t failing = 0;

    for (size_t i = 0; i < pc_results_count(r->results); i++)
        failing += report_fails(r, pc_results_get(r->results, i));
    if (run != NULL ? run->exit_code != 0 : failing > 0)
        md_puts(m, "## \xe2\x9d\x8c privcheck: failed\n\n");
    else
        md_puts(m, "## \xe2\x9c\x85 privcheck: passed\n\n");
    md_puts(m, "**");
    md_count(m, r->counts[PC_SEV_ERROR], "error");
    md_puts(m, ", ");
    md_count(m, r->counts[PC_SEV_WARNING], "warning");
    md_puts(m, ", ");
    md_count(m, r->counts[PC_SEV_NOTE], "note");
    md_puts(m, "** in ");
    md_count(m, pc_results_manifest_count(r->results), "manifest");
    if (r->nwaived > 0 && m->st == PC_OK)
        m->st = strbuf_printf(&m->b, ", %zu waived", r->nwaived);
    if (r->nknown > 0 && m->st == PC_OK)
        m->st =
            strbuf_printf(&m->b, ", %zu known from the baseline", r->nknown);
    if (r->baseline != NULL && m->st == PC_OK)
        m->st = strbuf_printf(&m->b,
                              ".\n\nSince the baseline: **%zu new**, %zu "
                              "unchanged, %zu fixed",
                              r->nnew, r->nunchanged, r->nabsent);
    if (run != NULL && run->never_fail)
        md_puts(m, "; findings do not fail the run (`--fail-on never`)");
    else if (m->st == PC_OK && failing > 0)
        m->st = strbuf_printf(
            &m->b, "; %zu at or above `%s` fail%s the run", failing,
            pc_severity_str(run != NULL ? run->fail_on : PC_SEV_ERROR),
            failing == 1 ? "s" : "");
    else if (m->st == PC_OK)
        m->st = strbuf_printf(
            &m->b, "; none at or above `%s`",
            pc_severity_str(run != NULL ? run->fail_on : PC_SEV_ERROR));
    md_puts(m, ".\n\n");
}

/* What was checked against what: for an auditor, folded. */
static void
md_inputs(struct md *m)
{
    const struct report_meta *meta = m->r->meta;
    const pc_results *res = m->r->results;

    md_puts(m, "<details><summary>What was checked</summary>\n\n");
    md_puts(m, "| input | name | version | SHA-256 |\n|---|---|---|---|\n");
    md_puts(m, "| policy | ");
    md_text(m, meta->policy_id);
    md_puts(m, " | ");
    md_text(m, meta->policy_version);
    md_puts(m, " | ");
    md_text(m, meta->policy_sha256);
    md_puts(m, " |\n| rules | | | ");
    md_text(m, meta->rules_sha256);
    md_puts(m, " |\n");
    for (size_t i = 0; i < pc_results_manifest_count(res); i++) {
        const struct pc_manifest_info *mi = pc_results_manifest(res, i);

        md_puts(m, "| ");
        md_text(m, mi->file);
        md_puts(m, " | ");
        md_text(m, mi->application);
        md_puts(m, " | ");
        md_text(m, mi->version);
        md_puts(m, " | ");
        md_text(m, mi->sha256);
        md_puts(m, " |\n");
    }
    for (size_t i = 0; i < pc_results_input_count(res); i++) {
        const struct pc_manifest_info *mi = pc_results_input(res, i);

        md_puts(m, "| ");
        md_text(m, mi->file);
        md_puts(m, " | ");
        md_text(m, mi->kind);
        md_puts(m, " | | ");
        md_text(m, mi->sha256);
        md_puts(m, " |\n");
    }
    md_puts(m, "\n");
    md_text(m, meta->tool);
    md_puts(m, " ");
    md_text(m, meta->tool_version);
    md_puts(m, "\n\n</details>\n\n");
}

static void
md_row(struct md *m, const struct pc_finding *f, bool first)
{
    md_puts(m, "| ");
    if (first)
        md_text(m, f->group != NULL ? f->group : f->object);
    md_puts(m, " | ");
    if (f->line > 0 && m->st == PC_OK)
        m->st = strbuf_printf(&m->b, "%u", f->line);
    md_puts(m, " | ");
    md_puts(m, pc_severity_str(report_severity(f->severity)));
    md_puts(m, " | ");
    md_text(m, f->rule);
    md_puts(m, " | ");
    md_text(m, f->message != NULL ? f->message : f->title);
    if (f->suppressed) {
        const struct pc_suppression *sp = &f->suppression;

        if (sp->kind != NULL && strcmp(sp->kind, "waiver") == 0) {
            md_puts(m, "<br>**Waived** until ");
            md_text(m, sp->expires);
            md_puts(m, ", approved by ");
            md_text(m, sp->approved_by);
            md_puts(m, ": ");
            md_text(m, sp->reason);
        } else {
            md_puts(m, "<br>**Known**: in the baseline, unchanged");
        }
    }
    if (f->object != NULL && f->group != NULL &&
        strcmp(f->object, f->group) != 0) {
        md_puts(m, "<br>at ");
        md_text(m, f->object);
    }
    if (f->fix != NULL && f->fix[0] != '\0') {
        md_puts(m, "<br>**Fix:** ");
        md_text(m, f->fix);
    }
    md_puts(m, " | ");
    for (size_t k = 0; k < f->nclauses; k++) {
        if (k > 0)
            md_puts(m, "<br>");
        md_puts(m, "\xc2\xa7");
        md_text(m, f->clauses[k].section);
        md_puts(m, ": \xe2\x80\x9c");
        md_text(m, f->clauses[k].text);
        md_puts(m, "\xe2\x80\x9d");
    }
    md_puts(m, " |\n");
}

#define MD_TABLE                                                               \
    "| element | line | severity | rule | finding | policy |\n"                \
    "|---|---|---|---|---|---|\n"

/* Does the row go in the main table (want false) or the folded one of
 * suppressed findings (want true)? */
static bool
md_wanted(const struct pc_finding *f, bool suppressed)
{
    return f->suppressed == suppressed;
}

/* The rows of one file's findings, grouped by element: each group's rows
 * together, in the order of its first wanted finding; the element named
 * on the group's first row. */
static void
md_rows(struct md *m, size_t lo, size_t hi, bool suppressed)
{
    const struct report *r = m->r;

    for (size_t i = lo; i < hi; i++) {
        bool first = true, earlier = false;

        if (!md_wanted(pc_results_get(r->results, i), suppressed))
            continue;
        /* Only from the group's first wanted finding. */
        for (size_t j = r->leader != NULL ? r->leader[i] : i; j != i;
             j = r->next[j])
            earlier |= md_wanted(pc_results_get(r->results, j), suppressed);
        if (earlier)
            continue;
        for (size_t j = i; j != REPORT_NONE;
             j = r->next != NULL ? r->next[j] : REPORT_NONE) {
            const struct pc_finding *f = pc_results_get(r->results, j);

            if (!md_wanted(f, suppressed))
                continue;
            md_row(m, f, first);
            first = false;
        }
    }
}

/* The findings of one file, lo..hi in results order. */
static void
md_file(struct md *m, const char *file, size_t lo, size_t hi)
{
    const struct report *r = m->r;
    size_t shown = 0, hidden = 0;

    const struct pc_manifest_info *mi = NULL;

    for (size_t i = 0; i < pc_results_manifest_count(r->results) && !mi; i++)
        if (strcmp(pc_results_manifest(r->results, i)->file, file) == 0)
            mi = pc_results_manifest(r->results, i);
    md_puts(m, "### ");
    md_text(m, file);
    if (mi != NULL && mi->application != NULL) {
        md_puts(m, " (");
        md_text(m, mi->application);
        if (mi->version != NULL) {
            md_puts(m, " ");
            md_text(m, mi->version);
        }
        md_puts(m, ")");
    }
    md_puts(m, "\n\n");
    for (size_t i = lo; i < hi; i++) {
        if (pc_results_get(r->results, i)->suppressed)
            hidden++;
        else
            shown++;
    }
    if (shown > 0) {
        md_puts(m, MD_TABLE);
        md_rows(m, lo, hi, false);
        md_puts(m, "\n");
    }
    if (hidden > 0) {
        md_puts(m, "<details><summary>");
        md_count(m, hidden, "suppressed finding");
        md_puts(m, " (waived, or known from the baseline)</summary>\n\n");
        md_puts(m, MD_TABLE);
        md_rows(m, lo, hi, true);
        md_puts(m, "\n</details>\n\n");
    }
}

/* What the baseline had that this run does not. */
static void
md_absent(struct md *m)
{
    const struct report *r = m->r;

    if (r->nabsent == 0)
        return;
    md_puts(m, "### Fixed since the baseline\n\n");
    md_puts(m, "| file | line | rule | finding |\n|---|---|---|---|\n");
    for (size_t i = 0; i < r->nabsent; i++) {
        const struct pc_finding *f = pc_results_absent(r->results, i);

        md_puts(m, "| ");
        md_text(m, f->file);
        md_puts(m, " | ");
        if (f->line > 0 && m->st == PC_OK)
            m->st = strbuf_printf(&m->b, "%u", f->line);
        md_puts(m, " | ");
        md_text(m, f->rule);
        md_puts(m, " | ");
        md_text(m, f->message);
        md_puts(m, " |\n");
    }
    md_puts(m, "\n");
}

/* How the policy discloses the flows (DESIGN §6): the counts, and the
 * items that are not clear, folded away. */
static void
md_disclosures(struct md *m)
{
    const pc_results *res = m->r->results;
    size_t counts[DISCLOSE_NCLASSES];

    size_t total;

    if ((total = disclose_count(res, counts)) == 0)
        return;
    md_puts(m, "<details><summary>Disclosures: ");
    for (int k = 0; k < DISCLOSE_NCLASSES && m->st == PC_OK; k++)
        m->st = strbuf_printf(&m->b, "%s%zu %s", k > 0 ? ", " : "", counts[k],
                              disclose_class_str(k));
    md_puts(m, "</summary>\n\n");
    if (counts[DISCLOSE_CLEAR] == total) {
        md_puts(m, "The policy names everything the flows do.\n\n");
    } else {
        md_puts(m, "| class | file | line | object | what |\n"
                   "|---|---|---|---|---|\n");
        for (size_t i = 0; i < res->ndisclosures; i++) {
            const struct disclose_item *it = &res->disclosures[i];

            if (it->cls == DISCLOSE_CLEAR)
                continue;
            md_puts(m, "| ");
            md_puts(m, disclose_class_str(it->cls));
            md_puts(m, " | ");
            md_text(m, it->file);
            if (m->st == PC_OK)
                m->st = strbuf_printf(&m->b, " | %u | ", it->line);
            md_text(m, it->object);
            md_puts(m, " | ");
            md_text(m, it->aspect);
            md_puts(m, " ");
            md_text(m, it->value);
            md_puts(m, " |\n");
        }
        md_puts(m, "\n");
    }
    md_puts(m, "</details>\n\n");
}

static pc_status
report_markdown_end(struct report *r)
{
    struct md m = { r, STRBUF_INIT(MD_MAX), PC_OK };
    const pc_results *res = r->results;
    size_t n = pc_results_count(res);

    md_verdict(&m);
    if (n == 0)
        md_puts(&m, "No findings.\n\n");
    for (size_t lo = 0, hi; lo < n; lo = hi) {
        const char *file = pc_results_get(res, lo)->file;

        for (hi = lo + 1; hi < n; hi++) {
            const char *other = pc_results_get(res, hi)->file;

            if (strcmp(file != NULL ? file : "", other != NULL ? other : ""))
                break;
        }
        md_file(&m, file != NULL ? file : "(no file)", lo, hi);
    }
    md_absent(&m);
    md_disclosures(&m);
    md_inputs(&m);
    if (m.st == PC_OK && fputs(strbuf_str(&m.b), r->out) == EOF)
        m.st = PC_EIO;
    strbuf_free(&m.b);
    return m.st;
}

static pc_status
report_markdown_finding(struct report *r, const struct pc_finding *f)
{
    /* Written whole at the end, grouped. */
    return PC_OK;
}

const struct report_format report_markdown = {
    .name = "markdown",
    .description = "a Markdown summary: verdict, counts, findings by element",
    .finding = report_markdown_finding,
    .end = report_markdown_end,
    .disclosure_items = PC_ITEMS_UNCLEAR,
};
