/* report-github.c - GitHub Actions workflow commands: one annotation per
 * finding (`::error file=…,line=…,title=…::message`), shown on the pull
 * request's diff, then a notice with the totals. Every string is encoded
 * the way the runner decodes it (% \r \n in the message; also : and , in
 * properties), and what must not be shown raw is \xNN, so nothing a
 * manifest says can end a command early or forge another. */
#include "config.h"

#include "report.h"

#include "diag.h"
#include "strbuf.h"

#include <string.h>

/* Append s encoded for a workflow command: the message (property false)
 * or a property value (true). */
static pc_status
github_put(struct strbuf *b, const char *s, bool property)
{
    const char *end = s + strlen(s);
    pc_status st = PC_OK;

    while (s < end && st == PC_OK) {
        bool unsafe;
        size_t n = diag_scan(s, (size_t)(end - s), &unsafe);

        if (*s == '%')
            st = strbuf_puts(b, "%25");
        else if (*s == '\r')
            st = strbuf_puts(b, "%0D");
        else if (*s == '\n')
            st = strbuf_puts(b, "%0A");
        else if (property && *s == ':')
            st = strbuf_puts(b, "%3A");
        else if (property && *s == ',')
            st = strbuf_puts(b, "%2C");
        else if (unsafe)
            for (size_t i = 0; i < n && st == PC_OK; i++)
                st = strbuf_printf(b, "\\x%02x", (unsigned char)s[i]);
        else
            st = strbuf_add(b, s, n);
        s += n;
    }
    return st;
}

static const char *
github_command(pc_severity sev)
{
    switch (report_severity(sev)) {
    case PC_SEV_NOTE:
        return "notice";
    case PC_SEV_WARNING:
        return "warning";
    default:
        return "error";
    }
}

/* The message body: the finding, the clauses it breaks, the fix, and
 * the object, on lines of their own (the runner shows %0A as one). */
static pc_status
github_body(struct strbuf *text, const struct pc_finding *f)
{
    pc_status st = strbuf_puts(text, f->message != NULL ? f->message : "");

    for (size_t i = 0; i < f->nclauses && st == PC_OK; i++)
        st = strbuf_printf(text, "\npolicy \xc2\xa7%s: \"%s\"",
                           f->clauses[i].section, f->clauses[i].text);
    if (st == PC_OK && f->fix != NULL && f->fix[0] != '\0')
        st = strbuf_printf(text, "\nfix: %s", f->fix);
    if (st == PC_OK && f->object != NULL)
        st = strbuf_printf(text, "\nobject: %s (fingerprint %s)", f->object,
                           f->fingerprint != NULL ? f->fingerprint : "?");
    return st;
}

/* A waived finding is a notice that says so; one the baseline knows is
 * not annotated again (the totals count it): a pull request shows what
 * it changes. */
static pc_status
report_github_finding(struct report *r, const struct pc_finding *f)
{
    struct strbuf line = STRBUF_INIT(1u << 24), text = STRBUF_INIT(1u << 24);
    const char *file = f->path != NULL ? f->path : f->file;
    const struct pc_suppression *sp = &f->suppression;
    bool waived =
        f->suppressed && sp->kind != NULL && strcmp(sp->kind, "waiver") == 0;
    pc_status st;

    if (f->suppressed && !waived)
        return PC_OK;
    st = strbuf_printf(&line, "::%s ",
                       waived ? "notice" : github_command(f->severity));
    if (st == PC_OK && file != NULL) {
        st = strbuf_puts(&line, "file=");
        if (st == PC_OK)
            st = github_put(&line, file, true);
        if (st == PC_OK && f->line > 0)
            st = strbuf_printf(&line, ",line=%u", f->line);
        if (st == PC_OK)
            st = strbuf_putc(&line, ',');
    }
    if (st == PC_OK)
        st = strbuf_printf(&text, "%s%s %s", waived ? "waived: " : "",
                           f->rule != NULL ? f->rule : "?",
                           f->title != NULL ? f->title : "");
    if (st == PC_OK)
        st = strbuf_puts(&line, "title=");
    if (st == PC_OK)
        st = github_put(&line, strbuf_str(&text), true);
    if (st == PC_OK)
        st = strbuf_puts(&line, "::");
    strbuf_reset(&text);
    if (st == PC_OK)
        st = github_body(&text, f);
    if (st == PC_OK && waived)
        st = strbuf_printf(&text, "\nwaived until %s, approved by %s: %s",
                           sp->expires != NULL ? sp->expires : "?",
                           sp->approved_by != NULL ? sp->approved_by : "?",
                           sp->reason != NULL ? sp->reason : "");
    if (st == PC_OK)
        st = github_put(&line, strbuf_str(&text), false);
    if (st == PC_OK && fprintf(r->out, "%s\n", strbuf_str(&line)) < 0)
        st = PC_EIO;
    strbuf_free(&line);
    strbuf_free(&text);
    return st;
}

static pc_status
report_github_end(struct report *r)
{
    const size_t *n = r->counts;
    size_t m = pc_results_manifest_count(r->results);

    fprintf(r->out,
            "::notice title=privcheck::%zu manifest%s, %zu error%s, %zu "
            "warning%s, %zu note%s",
            m, m == 1 ? "" : "s", n[PC_SEV_ERROR],
            n[PC_SEV_ERROR] == 1 ? "" : "s", n[PC_SEV_WARNING],
            n[PC_SEV_WARNING] == 1 ? "" : "s", n[PC_SEV_NOTE],
            n[PC_SEV_NOTE] == 1 ? "" : "s");
    if (r->nwaived > 0)
        fprintf(r->out, ", %zu waived", r->nwaived);
    if (r->nknown > 0)
        fprintf(r->out, ", %zu known from the baseline (not annotated)",
                r->nknown);
    if (r->baseline != NULL)
        fprintf(r->out, "; %zu new, %zu unchanged, %zu fixed", r->nnew,
                r->nunchanged, r->nabsent);
    fputc('\n', r->out);
    return PC_OK;
}

const struct report_format report_github = {
    .name = "github",
    .description = "GitHub Actions annotations (workflow commands)",
    .finding = report_github_finding,
    .end = report_github_end,
    .disclosure_items = PC_ITEMS_NONE,
};
