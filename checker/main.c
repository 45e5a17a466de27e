/* main.c - the privcheck command line: options, printing, exit codes.
 * Everything else is the library's; this file uses only privcheck.h. */
#include "config.h"

#include "privcheck.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <jansson.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_FAIL = 2 };

#define MAX_JOBS 64
#define DEFAULT_WAIVERS "waivers.xml"

static const char usage_text[] =
    "Usage: privcheck [--policy FILE] [--rules DIR] COMMAND [OPTION]... "
    "[ARG]...\n"
    "Audit application manifests against a privacy policy encoded as data.\n"
    "\n"
    "Commands:\n"
    "  check MANIFEST...      audit manifests; exit 1 on findings\n"
    "  validate FILE...       schema-check a policy, rules, manifest or "
    "waivers\n"
    "  explain ID             a rule, the policy clauses it enforces, the fix\n"
    "  classify NAME...       which policy element a field name maps to\n"
    "                         (--context TABLE, --explain)\n"
    "  rules                  list the rule catalog\n"
    "  rules test             run the rule tests (tests/*.tests.xml of the\n"
    "                         rules directory); exit 1 on any failure\n"
    "  waive FINGERPRINT|RULE:OBJECT --reason TEXT --approved-by WHO\n"
    "        --expires YYYY-MM-DD [--application NAME] [--waivers FILE]\n"
    "                         append a waiver to FILE (default " DEFAULT_WAIVERS
    ")\n"
    "  policy render          the policy for its reader: every clause with\n"
    "                         the rules that enforce it, the clauses none\n"
    "                         does, deadlines with their statutes\n"
    "                         (--format markdown, html or json; -o FILE)\n"
    "  policy lint            contradictions and gaps in the policy and its\n"
    "                         rules, at file:line (--format text or json;\n"
    "                         exit 1 on findings at or above --fail-on)\n"
    "  policy diff OLD NEW    what changed between two policy versions, each\n"
    "                         change stricter or looser for privacy\n"
    "                         (--format text, markdown, html or json;\n"
    "                         --manifest M: findings that appear or\n"
    "                         disappear; --fail-on-looser: exit 1 on any\n"
    "                         looser change)\n"
    "\n"
    "Options (each names the commands it applies to; others refuse it):\n";

static const char usage_tail[] =
    "\n"
    "Exit status: 0 no finding at or above --fail-on, 1 findings, 2 bad\n"
    "usage or any input that could not be read, parsed or validated.\n"
    "Environment: PRIVCHECK_DATADIR overrides where policy/ and rules/ are\n"
    "found; NO_COLOR turns colour off.\n"
    "See privcheck(1).\n";

#define MAX_REPORTS 16
#define MAX_WAIVERS 64

struct cli {
    struct pc_paths paths;
    struct pc_run_info run;
    pc_diags *diags;
    /* --format X [--output F] pairs, in order; output NULL: stdout. */
    struct {
        const char *format, *output;
    } reports[MAX_REPORTS];
    size_t nreports;
    const char *pending_output; /* an --output before any --format */
    const char *waivers[MAX_WAIVERS];
    size_t nwaivers;
    char today[11]; /* --today, or today's UTC date */
    const char *reason, *approved_by, *expires, *application; /* waive */
    const char *baseline;
    const char *source_root;
    size_t max_bytes; /* 0: the default */
    pc_severity fail_on;
    bool never_fail;
    unsigned jobs;
    const char *context;             /* classify --context; NULL: none */
    bool explain;                    /* classify --explain */
    bool coverage;                   /* rules test --coverage */
    const char *threshold;           /* rules test --coverage-threshold */
    const char *trace;               /* check --trace RULE|FINGERPRINT */
    char *trace_rule, *trace_object; /* the fingerprint's finding */

    /* policy diff: --manifest files, --fail-on-looser */
    const char *manifests[MAX_WAIVERS];
    size_t nmanifests;
    bool fail_on_looser;

    bool quiet;       /* check: the summary and errors only */
    int color;        /* -1 auto, 0 never, 1 always */
    const char *json; /* rules, classify, explain: --format json */
};

/* Out of memory where going on could give a wrong answer: libxml2 or
 * jansson may crash or misjudge after one of their allocations failed
 * (pc_set_oom_handler), and a name that cannot be escaped cannot be
 * printed. Nothing has been written to standard output yet that a stop
 * would cut short: reports are written whole, at the end. */
static _Noreturn void
cli_oom_exit(void)
{
    static const char msg[] = "privcheck: error: out of memory\n";

    pc_atomic_discard_all();
    if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0)
        _exit(EXIT_FAIL);
    _exit(EXIT_FAIL);
}

/* s escaped for printing (pc_put_escaped), in one of a few rotating
 * buffers: valid until ESC_SLOTS more calls, enough for one printf. Every
 * string that came from the command line or an input goes through it. */
#define ESC_SLOTS 8
static char *esc_slots[ESC_SLOTS];
static unsigned esc_next;

static const char *
esc(const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    /* With no memory to escape a name, there is no safe way to print
     * it, and a message without it would be a different answer: stop. */
    if (f != NULL) {
        pc_put_escaped(f, s);
        if (fclose(f) != 0) {
            free(buf);
            buf = NULL;
        }
    }
    if (buf == NULL)
        cli_oom_exit();
    free(esc_slots[esc_next]);
    esc_slots[esc_next] = buf;
    esc_next = (esc_next + 1) % ESC_SLOTS;
    return buf;
}

static void
esc_free(void)
{
    for (unsigned i = 0; i < ESC_SLOTS; i++) {
        free(esc_slots[i]);
        esc_slots[i] = NULL;
    }
}

static int
usage_error(const char *what, const char *arg)
{
    fprintf(stderr, "privcheck: %s%s%s\nTry 'privcheck --help'.\n", what,
            arg != NULL ? ": " : "", arg != NULL ? esc(arg) : "");
    return EXIT_FAIL;
}

/* Print diagnostics and map a status to the fail-closed exit code. */
static int
cli_finish(struct cli *c, pc_status st)
{
    pc_diags_print(c->diags, stderr);
    pc_diags_clear(c->diags);
    if (st == PC_ENOMEM)
        fputs("privcheck: error: out of memory\n", stderr);
    return st == PC_OK ? EXIT_CLEAN : EXIT_FAIL;
}

/* Now, or SOURCE_DATE_EPOCH when it is set (reproducible reports: the
 * tests pin it). */
static time_t
cli_now(void)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    char *end;
    long long t;

    if (s != NULL && *s != '\0') {
        errno = 0;
        t = strtoll(s, &end, 10);
        if (errno == 0 && *end == '\0' && t >= 0)
            return (time_t)t;
    }
    return time(NULL);
}

static pc_status
cli_engine(struct cli *c, pc_engine **e)
{
    pc_status st = pc_engine_load(&c->paths, c->diags, e);

    if (st != PC_OK) {
        /* The file:line facts first, the verdict after them, as a
         * compiler ends with its summary. */
        pc_diags_print(c->diags, stderr);
        pc_diags_clear(c->diags);
        fprintf(stderr, "privcheck: error: cannot load the policy and "
                        "rules; nothing was checked\n");
    }
    return st;
}

/* ------------------------------------------------------------------ */
/* check */

struct job {
    const pc_engine *engine;
    const struct pc_audit_options *opt;
    char **manifests;
    size_t n;
    atomic_size_t next;
    pc_results **results;
    pc_diags **diags;
    pc_status *status;
};

static void *
job_run(void *arg)
{
    struct job *j = arg;
    size_t i;

    while ((i = atomic_fetch_add(&j->next, 1)) < j->n)
        j->status[i] = pc_audit(j->engine, j->manifests[i], j->opt, j->diags[i],
                                j->results[i]);
    return NULL;
}

/* All of buf to fd, straight: stdio allocates its buffer at the first
 * write, and a report made whole should not fail for want of memory at
 * its last step. */
static bool
cli_write_all(int fd, const char *buf, size_t len)
{
    if (fflush(stdout) != 0)
        return false;
    while (len > 0) {
        ssize_t n = write(fd, buf, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        buf += n;
        len -= (size_t)n;
    }
    return true;
}

/* Where a report to standard output is made before it is written: an
 * unlinked temporary file (in TMPDIR, else /tmp), so that memory does not
 * grow with the report; memory (*buf, *len) when no such file can be
 * made. */
static const char *
cli_tmpdir(void)
{
    const char *dir = getenv("TMPDIR");

    return dir != NULL && *dir == '/' ? dir : "/tmp";
}

static FILE *
cli_spool(char **buf, size_t *len, bool *in_file)
{
    const char *dir = cli_tmpdir();
    char path[PATH_MAX];
    FILE *f = NULL;
    int fd, n;

    n = snprintf(path, sizeof path, "%s/privcheck-report-XXXXXX", dir);
    if (n > 0 && (size_t)n < sizeof path && (fd = mkstemp(path)) >= 0) {
        unlink(path);
        if ((f = fdopen(fd, "w+")) == NULL)
            close(fd);
    }
    *in_file = f != NULL;
    return f != NULL ? f : open_memstream(buf, len);
}

/* The spooled report, from its start, to standard output. */
static pc_status
cli_copy_out(FILE *spool)
{
    char chunk[1 << 16];
    size_t n;

    if (fflush(spool) != 0 || fseek(spool, 0, SEEK_SET) != 0)
        return errno == ENOMEM ? PC_ENOMEM : PC_EIO;
    while ((n = fread(chunk, 1, sizeof chunk, spool)) > 0)
        if (!cli_write_all(STDOUT_FILENO, chunk, n)) {
            fputs("privcheck: error: cannot write to standard output\n",
                  stderr);
            return PC_EIO;
        }
    return ferror(spool) ? PC_EIO : PC_OK;
}

/* Write every report: those with an --output each to a temporary file
 * beside it (pc_atomic_*), the one without to standard output. Only when
 * every one was written whole are the files renamed into place; if any
 * fails, none replaces anything, and the run exits 2. */
static pc_status
cli_write_reports(struct cli *c, const pc_engine *e, const pc_results *r)
{
    struct pc_report_options opt = { .color = c->color == 1,
                                     .quiet = c->quiet,
                                     .run = &c->run };
    pc_atomic *a[MAX_REPORTS] = { NULL };
    pc_status st = PC_OK;
    size_t i;

    for (i = 0; i < c->nreports && st == PC_OK; i++) {
        FILE *out;

        if (c->reports[i].output == NULL)
            continue;
        if ((st = pc_atomic_open(c->reports[i].output, c->diags, &a[i],
                                 &out)) != PC_OK)
            break;
        if ((st = pc_report_write(c->reports[i].format, e, r, &opt, out,
                                  c->diags)) == PC_OK)
            st = pc_atomic_close(a[i], c->diags);
    }
    /* Standard output cannot be taken back: the report is made apart
     * (cli_spool) and written only when it is whole, so a run that fails
     * writes none of it. */
    for (i = 0; i < c->nreports && st == PC_OK; i++) {
        const char *nc = getenv("NO_COLOR");
        struct pc_report_options tty = opt;
        char *buf = NULL;
        size_t len = 0;
        bool in_file;
        FILE *spool;

        if (c->reports[i].output != NULL)
            continue;
        tty.color = c->color == -1
                        ? isatty(STDOUT_FILENO) && (nc == NULL || *nc == '\0')
                        : c->color == 1;
        if ((spool = cli_spool(&buf, &len, &in_file)) == NULL) {
            st = PC_ENOMEM;
            break;
        }
        st = pc_report_write(c->reports[i].format, e, r, &tty, spool, c->diags);
        if (in_file) {
            if (st == PC_OK)
                st = cli_copy_out(spool);
            else if (st == PC_EIO) {
                /* The file that could not be written is not one the user
                 * named: say which, after why. */
                pc_diags_print(c->diags, stderr);
                pc_diags_clear(c->diags);
                fprintf(stderr,
                        "privcheck: error: a report to standard output is "
                        "made in a temporary file first, in TMPDIR (%s); "
                        "point TMPDIR at a directory with room\n",
                        cli_tmpdir());
            }
            fclose(spool);
        } else {
            /* Closing shrinks the buffer: it can fail and leave none. */
            if ((fclose(spool) != 0 || buf == NULL) && st == PC_OK)
                st = PC_ENOMEM;
            if (st == PC_OK && !cli_write_all(STDOUT_FILENO, buf, len)) {
                fputs("privcheck: error: cannot write to standard output\n",
                      stderr);
                st = PC_EIO;
            }
            free(buf);
        }
    }
    for (i = 0; i < c->nreports; i++) {
        if (a[i] == NULL)
            continue;
        if (st == PC_OK) {
            pc_status cst = pc_atomic_commit(a[i], c->diags);

            if (cst != PC_OK)
                st = cst;
        } else {
            pc_atomic_abort(a[i]);
            fprintf(stderr, "privcheck: error: %s: report not written\n",
                    c->reports[i].output);
        }
    }
    return st;
}

static pc_status
cli_waivers(struct cli *c, const pc_engine *e,
            const struct pc_audit_options *aopt, pc_results *all)
{
    pc_waivers *w = pc_waivers_new();
    pc_status st = w != NULL ? PC_OK : PC_ENOMEM, worst = PC_OK;

    /* Every file is read, to report every problem. */
    for (size_t i = 0; i < c->nwaivers && st != PC_ENOMEM; i++)
        if ((st = pc_waivers_load(e, w, c->waivers[i], c->diags)) != PC_OK)
            worst = st;
    if (st != PC_ENOMEM && worst != PC_OK) {
        st = worst;
        pc_diags_print(c->diags, stderr);
        pc_diags_clear(c->diags);
        fputs("privcheck: error: a waivers file could not be read; no report "
              "written\n",
              stderr);
    } else if (st == PC_OK) {
        st = pc_waivers_apply(e, w, c->today, aopt, all, c->diags);
    }
    pc_waivers_free(w);
    return st;
}

static pc_status
cli_baseline(struct cli *c, const pc_engine *e, pc_results *all)
{
    pc_baseline *b = NULL;
    pc_status st = pc_baseline_load(c->baseline, c->diags, &b);

    if (st == PC_OK) {
        st = pc_baseline_apply(e, b, all, c->diags);
    } else {
        pc_diags_print(c->diags, stderr);
        pc_diags_clear(c->diags);
        fputs("privcheck: error: the baseline could not be read; no report "
              "written\n",
              stderr);
    }
    pc_baseline_free(b);
    /* Its warnings (another policy, other rules) are said now. */
    if (st == PC_OK) {
        pc_diags_print(c->diags, stderr);
        pc_diags_clear(c->diags);
    }
    return st;
}

/* What --trace names: a rule (every element its checks range over), or
 * the fingerprint of a finding of these manifests (that element alone),
 * found by a first, untraced audit. The trace goes to standard error, so
 * that the reports stay what they are. */
static int
cli_trace(struct cli *c, const pc_engine *e,
          const struct pc_audit_options *aopt, int argc, char **argv,
          struct pc_trace *t)
{
    pc_results *r;
    pc_status st = PC_OK;

    c->jobs = 1;
    if (pc_engine_rule_find(e, c->trace) != NULL) {
        t->rule = c->trace;
        return EXIT_CLEAN;
    }
    if ((r = pc_results_new()) == NULL)
        return cli_finish(c, PC_ENOMEM);
    for (int i = 0; i < argc && st == PC_OK; i++)
        st = pc_audit(e, argv[i], aopt, c->diags, r);
    for (size_t i = 0; st == PC_OK && i < pc_results_count(r); i++) {
        const struct pc_finding *f = pc_results_get(r, i);

        if (strcmp(f->fingerprint, c->trace) != 0)
            continue;
        /* Both live as long as the run: c->trace_rule owns them. */
        c->trace_rule = strdup(f->rule);
        c->trace_object = strdup(f->object);
        if (c->trace_rule == NULL || c->trace_object == NULL)
            st = PC_ENOMEM;
        t->rule = c->trace_rule;
        t->object = c->trace_object;
        break;
    }
    pc_results_free(r);
    if (st != PC_OK)
        return cli_finish(c, st);
    pc_diags_clear(c->diags);
    if (t->rule == NULL)
        return usage_error("--trace names no rule, and no finding of these "
                           "manifests has that fingerprint",
                           c->trace);
    return EXIT_CLEAN;
}

/* "-" is standard input, named PC_STDIN in every message and report;
 * it can be given once. */
static int
cli_stdin_args(int argc, char **argv)
{
    int seen = 0;

    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "-") == 0) {
            if (seen++ > 0)
                return usage_error("standard input (-) can be read once", NULL);
            argv[i] = (char *)PC_STDIN;
        }
    return EXIT_CLEAN;
}

/* The disclosure items the audit keeps: what the reports asked for
 * print (the enum runs from keeping most to keeping none). */
static enum pc_disclosure_items
cli_disclosure_items(const struct cli *c)
{
    enum pc_disclosure_items keep = PC_ITEMS_NONE;

    for (size_t i = 0; i < c->nreports; i++) {
        enum pc_disclosure_items k =
            pc_report_disclosure_items(c->reports[i].format);

        if (k < keep)
            keep = k;
    }
    return keep;
}

static int
cmd_check(struct cli *c, int argc, char **argv)
{
    struct pc_audit_options aopt = { .source_root = c->source_root,
                                     .max_bytes = c->max_bytes,
                                     .disclosure_items =
                                         cli_disclosure_items(c) };
    struct pc_trace trace = { NULL, NULL, stderr };
    struct job j = { 0 };
    pc_engine *e = NULL;
    pc_results *all = NULL;
    pthread_t threads[MAX_JOBS];
    unsigned nthreads = 0;
    pc_status st;
    bool failed = false;
    int rc = EXIT_FAIL;

    if (argc < 1)
        return usage_error("check needs at least one MANIFEST", NULL);
    if (cli_stdin_args(argc, argv) != EXIT_CLEAN)
        return EXIT_FAIL;
    c->run.start = cli_now();
    c->run.fail_on = c->fail_on;
    c->run.never_fail = c->never_fail;
    if ((st = cli_engine(c, &e)) != PC_OK)
        return cli_finish(c, st);
    if (c->trace != NULL &&
        (rc = cli_trace(c, e, &aopt, argc, argv, &trace)) != EXIT_CLEAN)
        goto out;
    if (c->trace != NULL)
        aopt.trace = &trace;
    rc = EXIT_FAIL;
    j.engine = e;
    j.opt = &aopt;
    j.manifests = argv;
    j.n = (size_t)argc;
    j.results = calloc(j.n, sizeof *j.results);
    j.diags = calloc(j.n, sizeof *j.diags);
    j.status = calloc(j.n, sizeof *j.status);
    all = pc_results_new();
    if (j.results == NULL || j.diags == NULL || j.status == NULL || all == NULL)
        goto nomem;
    for (size_t i = 0; i < j.n; i++) {
        j.results[i] = pc_results_new();
        j.diags[i] = pc_diags_new();
        if (j.results[i] == NULL || j.diags[i] == NULL)
            goto nomem;
    }
    /* Workers take manifests in turn; results are merged in argument
     * order, so the report does not depend on -j. */
    while (nthreads + 1 < c->jobs && nthreads + 1 < j.n &&
           pthread_create(&threads[nthreads], NULL, job_run, &j) == 0)
        nthreads++;
    job_run(&j);
    for (unsigned t = 0; t < nthreads; t++)
        pthread_join(threads[t], NULL);
    for (size_t i = 0; i < j.n; i++) {
        pc_diags_print(j.diags[i], stderr);
        if (j.status[i] != PC_OK) {
            failed = true;
            fprintf(stderr, "%s: error: not audited%s\n", esc(argv[i]),
                    j.status[i] == PC_ENOMEM ? ": out of memory" : "");
        } else if (pc_results_merge(all, j.results[i]) != PC_OK) {
            goto nomem;
        }
    }
    if (failed) {
        /* Fail closed: no report that could pass for a clean run. */
        fputs("privcheck: error: some manifests could not be audited; no "
              "report written\n",
              stderr);
        goto out;
    }
    /* Waivers: a file that cannot be read fails the run, like a
     * manifest; then what they suppress, and what the rules say about
     * them, are part of the results. */
    if (c->nwaivers > 0 && (st = cli_waivers(c, e, &aopt, all)) != PC_OK) {
        rc = cli_finish(c, st);
        goto out;
    }
    /* A baseline: what it knows does not count. Read after the waivers,
     * so their findings are compared too. */
    if (c->baseline != NULL && (st = cli_baseline(c, e, all)) != PC_OK) {
        rc = cli_finish(c, st);
        goto out;
    }
    pc_results_sort(all);
    /* The exit status is known before the reports are written (SARIF
     * records it); a report that cannot be written makes it 2. */
    c->run.exit_code =
        !c->never_fail && pc_results_at_least(all, c->fail_on) > 0
            ? EXIT_FINDINGS
            : EXIT_CLEAN;
    c->run.end = cli_now();
    if ((st = cli_write_reports(c, e, all)) != PC_OK) {
        rc = cli_finish(c, st);
        goto out;
    }
    rc = c->run.exit_code;
    goto out;
nomem:
    fputs("privcheck: error: out of memory\n", stderr);
    rc = EXIT_FAIL;
out:
    for (size_t i = 0; i < j.n; i++) {
        if (j.results != NULL)
            pc_results_free(j.results[i]);
        if (j.diags != NULL)
            pc_diags_free(j.diags[i]);
    }
    free(j.results);
    free(j.diags);
    free(j.status);
    pc_results_free(all);
    pc_engine_free(e);
    return rc;
}

/* ------------------------------------------------------------------ */
/* waive */

/* Does s hold anything a waivers file should not: a control character,
 * a bidi override, a byte that is not UTF-8? */
static bool
has_unsafe(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++)
        if (*p < 0x20 || *p == 0x7f)
            return true;
    return false;
}

static bool
is_fingerprint(const char *s)
{
    size_t n = strspn(s, "0123456789abcdef");

    return n == 16 && s[n] == '\0';
}

static int
cmd_waive(struct cli *c, int argc, char **argv)
{
    struct pc_waiver_spec w = { .reason = c->reason,
                                .approved_by = c->approved_by,
                                .expires = c->expires,
                                .application = c->application };
    const char *file = c->nwaivers > 0 ? c->waivers[0] : DEFAULT_WAIVERS;
    pc_results *r = NULL;
    pc_engine *e = NULL;
    char *rule = NULL;
    bool refused = false;
    pc_status st;
    int rc = EXIT_FAIL;

    if (argc != 1)
        return usage_error("waive needs one FINGERPRINT or RULE:OBJECT", NULL);
    if (c->reason == NULL || c->approved_by == NULL || c->expires == NULL)
        return usage_error("waive needs --reason, --approved-by and --expires",
                           NULL);
    if (c->nwaivers > 1)
        return usage_error("waive writes to one --waivers file", NULL);
    if (!pc_date_valid(c->expires))
        return usage_error("--expires takes a date YYYY-MM-DD, not",
                           c->expires);
    if (has_unsafe(c->reason) || has_unsafe(c->approved_by) ||
        has_unsafe(argv[0]) ||
        (c->application != NULL && has_unsafe(c->application)))
        return usage_error("a waiver's text may not hold control characters",
                           NULL);
    if (is_fingerprint(argv[0])) {
        w.fingerprint = argv[0];
    } else {
        const char *colon = strchr(argv[0], ':');

        if (colon == NULL || colon == argv[0] || colon[1] == '\0')
            return usage_error("waive takes a fingerprint (16 hex digits) or "
                               "RULE:OBJECT, not",
                               argv[0]);
        if ((rule = strndup(argv[0], (size_t)(colon - argv[0]))) == NULL)
            goto nomem;
        w.rule = rule;
        w.object = colon + 1;
    }
    if ((st = cli_engine(c, &e)) != PC_OK) {
        rc = cli_finish(c, st);
        goto out;
    }
    /* The rules over waivers judge it first: one they call an error (it
     * has already expired, or expires beyond the horizon) is refused. */
    if ((r = pc_results_new()) == NULL)
        goto nomem;
    if ((st = pc_waiver_judge(e, &w, c->today, file, c->diags, r)) != PC_OK) {
        rc = cli_finish(c, st);
        goto out;
    }
    for (size_t i = 0; i < pc_results_count(r); i++) {
        const struct pc_finding *f = pc_results_get(r, i);

        fprintf(stderr, "%s: %s: [%s] %s\n", file, pc_severity_str(f->severity),
                f->rule, f->message);
        refused |= f->severity >= PC_SEV_ERROR;
    }
    if (refused) {
        fprintf(stderr, "privcheck: error: %s: waiver not added\n", file);
        goto out;
    }
    if ((st = pc_waiver_append(e, file, &w, c->diags)) != PC_OK) {
        rc = cli_finish(c, st);
        fprintf(stderr, "privcheck: error: %s: waiver not added\n", file);
        goto out;
    }
    printf("%s: waiver added for %s, until %s\n", file, argv[0], c->expires);
    rc = EXIT_CLEAN;
    goto out;
nomem:
    fputs("privcheck: error: out of memory\n", stderr);
out:
    free(rule);
    pc_results_free(r);
    pc_engine_free(e);
    return rc;
}

/* ------------------------------------------------------------------ */
/* validate, explain, classify, rules, policy */

static int
cmd_validate(struct cli *c, int argc, char **argv)
{
    pc_status worst = PC_OK;

    if (argc < 1)
        return usage_error("validate needs at least one FILE", NULL);
    if (cli_stdin_args(argc, argv) != EXIT_CLEAN)
        return EXIT_FAIL;
    for (int i = 0; i < argc; i++) {
        pc_status st = pc_validate_file(&c->paths, argv[i], c->diags);

        if (st == PC_OK)
            printf("%s: valid\n", esc(argv[i]));
        else
            worst = st;
        pc_diags_print(c->diags, stderr);
        pc_diags_clear(c->diags);
        if (st == PC_ENOMEM)
            fprintf(stderr, "%s: error: not checked: out of memory\n",
                    esc(argv[i]));
    }
    return worst == PC_OK ? EXIT_CLEAN : EXIT_FAIL;
}

static void
print_clauses(const struct pc_clause_ref *cl, size_t n)
{
    for (size_t i = 0; i < n; i++)
        printf("    policy §%s [%s]: \"%s\"\n", cl[i].section, cl[i].id,
               cl[i].text);
}

/* ------------------------------------------------------------------ */
/* --format json for rules, explain and classify: one document on
 * standard output, built and serialised by jansson (doc/json-output.md). */

/* Print root (stolen) as JSON; PC_ENOMEM if it could not be built. */
static int
cli_json_print(struct cli *c, json_t *root)
{
    int rc = EXIT_CLEAN;

    if (root == NULL ||
        json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0 ||
        fputc('\n', stdout) == EOF) {
        fputs("privcheck: error: cannot write the JSON output\n", stderr);
        rc = EXIT_FAIL;
    }
    json_decref(root);
    (void)c;
    return rc;
}

static json_t *
cli_json_str(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

static json_t *
cli_json_rule(const struct pc_rule_info *r)
{
    json_t *o = json_object(), *cl = json_array(), *subj = json_null();
    const char *slash = strrchr(r->file, '/');

    if (r->subjects != NULL) {
        const char *p = r->subjects;

        json_decref(subj);
        subj = json_array();
        while (*p != '\0') {
            size_t n = strcspn(p, " ");

            if (n > 0)
                json_array_append_new(subj, json_stringn(p, n));
            p += n;
            p += strspn(p, " ");
        }
    }
    for (size_t i = 0; i < r->nclauses; i++)
        json_array_append_new(
            cl,
            json_pack("{s:o, s:o, s:o}", "id", cli_json_str(r->clauses[i].id),
                      "section", cli_json_str(r->clauses[i].section), "text",
                      cli_json_str(r->clauses[i].text)));
    json_object_set_new(o, "id", json_string(r->id));
    json_object_set_new(o, "severity",
                        json_string(pc_severity_str(r->severity)));
    json_object_set_new(o, "title", cli_json_str(r->title));
    json_object_set_new(o, "checks", cli_json_str(r->over));
    json_object_set_new(o, "subjects", subj);
    json_object_set_new(o, "message", cli_json_str(r->message));
    json_object_set_new(o, "fix", cli_json_str(r->fix));
    json_object_set_new(o, "clauses", cl);
    json_object_set_new(o, "file",
                        json_string(slash != NULL ? slash + 1 : r->file));
    json_object_set_new(o, "line", json_integer(r->line));
    return o;
}

/* A rule by id: exactly, or ignoring case when only one rule fits. */
static const struct pc_rule_info *
cli_rule_find(const pc_engine *e, const char *id)
{
    const struct pc_rule_info *r = pc_engine_rule_find(e, id), *hit = NULL;

    if (r != NULL)
        return r;
    for (size_t i = 0; i < pc_engine_rule_count(e); i++) {
        const struct pc_rule_info *k = pc_engine_rule(e, i);

        if (strcasecmp(k->id, id) != 0)
            continue;
        if (hit != NULL)
            return NULL; /* ambiguous: ids that differ only in case */
        hit = k;
    }
    return hit;
}

static int
cmd_explain(struct cli *c, int argc, char **argv)
{
    const struct pc_rule_info *r;
    const char *slash;
    pc_engine *e = NULL;
    pc_status st;

    if (argc != 1)
        return usage_error("explain needs exactly one rule ID", NULL);
    if ((st = cli_engine(c, &e)) != PC_OK)
        return cli_finish(c, st);
    if ((r = cli_rule_find(e, argv[0])) == NULL) {
        fprintf(stderr,
                "privcheck: error: no rule '%s'; 'privcheck rules' "
                "lists them\n",
                esc(argv[0]));
        pc_engine_free(e);
        return EXIT_FAIL;
    }
    if (c->json != NULL) {
        int rc = cli_json_print(c, cli_json_rule(r));

        pc_engine_free(e);
        return rc;
    }
    printf("%s (%s): %s\n", r->id, pc_severity_str(r->severity), r->title);
    printf("  checks: %s\n", r->over);
    if (r->subjects != NULL)
        printf("  judges: only the flows whose subject is one of: %s\n",
               r->subjects);
    else
        printf("  judges: every data subject's flows\n");
    printf("  message: %s\n", r->message);
    printf("  enforces:\n");
    print_clauses(r->clauses, r->nclauses);
    if (r->nclauses == 0)
        printf("    no policy clause: it protects the checking itself\n");
    printf("  how to fix:\n    %s\n", r->fix);
    /* The file's own name: the directory depends on the installation. */
    slash = strrchr(r->file, '/');
    printf("  defined in %s, line %u\n", slash != NULL ? slash + 1 : r->file,
           r->line);
    pc_engine_free(e);
    return EXIT_CLEAN;
}

/* Why a pattern that matched the name did not count (or, for a <not>,
 * did not veto). */
static const char *
context_why(const struct pc_classify_step *st, char *buf, size_t size)
{
    switch (st->check) {
    case PC_CONTEXT_ABSENT:
        snprintf(buf, size,
                 "its context=\"%s\" needs a context, and there is "
                 "none",
                 st->if_context);
        break;
    case PC_CONTEXT_MISMATCH:
        snprintf(buf, size, "its context=\"%s\" does not match the context",
                 st->if_context);
        break;
    case PC_CONTEXT_EXCLUDED:
        snprintf(buf, size, "its unless-context=\"%s\" matches the context",
                 st->unless_context);
        break;
    default:
        snprintf(buf, size, "its context condition does not hold");
        break;
    }
    return buf;
}

struct explain_state {
    bool by_context;        /* a context-conditioned pattern matched */
    bool by_prefix;         /* the context made the first word a prefix */
    size_t tried;           /* classifiers tried */
    const char *skipped_in; /* classifier whose <name> was just skipped */
    char context[2100];     /* normalised (a copy: steps' strings go) */
};

static void
explain_step(void *arg, const struct pc_classify_step *st)
{
    struct explain_state *x = arg;
    char why[4200];

    if (st->check != PC_CONTEXT_UNCONDITIONED)
        x->by_context = true;
    switch (st->event) {
    case PC_CLASSIFY_START:
        snprintf(x->context, sizeof x->context, "%s", st->context);
        printf("  normalised name: %s\n",
               st->name[0] ? esc(st->name) : "(empty)");
        printf("  normalised context: %s\n",
               st->context[0] ? esc(st->context) : "(none)");
        printf("  classifiers, in file order:\n");
        break;
    case PC_CLASSIFY_NO_NAME:
        x->tried++;
        if (x->skipped_in == st->classifier)
            printf("    %s: not chosen: no <name> counts in this context\n",
                   st->classifier);
        else
            printf("    %s: no <name> matched\n", st->classifier);
        break;
    case PC_CLASSIFY_NAME_SKIPPED:
        x->skipped_in = st->classifier;
        printf("    %s: <name> %zu matched the name but is skipped: %s\n",
               st->classifier, st->index, context_why(st, why, sizeof why));
        break;
    case PC_CLASSIFY_NAME:
        printf("    %s: <name> %zu matched: %s\n", st->classifier, st->index,
               st->pattern);
        if (st->if_context != NULL)
            printf("      and its context=\"%s\" matches the context\n",
                   st->if_context);
        if (st->unless_context != NULL)
            printf("      and its unless-context=\"%s\" does not match "
                   "the context\n",
                   st->unless_context);
        break;
    case PC_CLASSIFY_NOT_SKIPPED:
        printf("    %s: <not> %zu matched the name but does not veto: %s\n",
               st->classifier, st->index, context_why(st, why, sizeof why));
        break;
    case PC_CLASSIFY_VETOED:
        x->tried++;
        printf("    %s: vetoed by <not> %zu: %s\n", st->classifier, st->index,
               st->pattern);
        if (st->if_context != NULL)
            printf("      (its context=\"%s\" matches the context)\n",
                   st->if_context);
        if (st->unless_context != NULL)
            printf("      (its unless-context=\"%s\" does not match the "
                   "context)\n",
                   st->unless_context);
        break;
    case PC_CLASSIFY_CHOSEN:
        x->tried++;
        printf("    %s: chosen (%s, line %u)\n", st->classifier, st->element,
               st->line);
        break;
    case PC_CLASSIFY_NONE:
        printf("    no classifier recognises the name\n");
        break;
    case PC_CLASSIFY_PREFIX:
        x->by_prefix = true;
        printf("  its first word abbreviates the context (a column prefix);"
               "\n  the rest of the name: %s\n  classifiers, in file "
               "order:\n",
               esc(st->name));
        break;
    }
}

static void
print_classification(const char *name, const char *context,
                     const struct pc_classification *cl)
{
    const char *in = context != NULL && context[0] ? " in " : "";
    const char *ctx = in[0] ? context : "";

    if (cl->element == NULL) {
        printf("%s%s%s: not recognised by any classifier (a field named "
               "so needs a category)\n",
               esc(name), in, esc(ctx));
        return;
    }
    printf("%s%s%s: %s%s%s\n    classifier %s, pattern %s\n", esc(name), in,
           esc(ctx), cl->element,
           cl->declared ? "" : " (NOT declared by the policy)",
           cl->sensitive ? ", sensitive" : "", cl->classifier, cl->pattern);
}

static int
cmd_classify(struct cli *c, int argc, char **argv)
{
    pc_engine *e = NULL;
    pc_status st;

    if (argc < 1)
        return usage_error("classify needs at least one NAME", NULL);
    if (c->json != NULL && c->explain)
        return usage_error("classify --explain prints text; --format json "
                           "gives the answers",
                           NULL);
    if ((st = cli_engine(c, &e)) != PC_OK)
        return cli_finish(c, st);
    if (c->json != NULL) {
        json_t *all = json_array();

        for (int i = 0; i < argc && st == PC_OK; i++) {
            struct pc_classification cl;

            st = pc_classify_name(e, argv[i], c->context, c->diags, &cl);
            if (st != PC_OK)
                break;
            json_array_append_new(
                all, json_pack("{s:s, s:o, s:o, s:o, s:o, s:b, s:b}", "name",
                               argv[i], "context", cli_json_str(c->context),
                               "element", cli_json_str(cl.element),
                               "classifier", cli_json_str(cl.classifier),
                               "pattern", cli_json_str(cl.pattern), "sensitive",
                               cl.sensitive, "declared", cl.declared));
        }
        pc_engine_free(e);
        if (st != PC_OK) {
            json_decref(all);
            return cli_finish(c, st);
        }
        return cli_json_print(c, json_pack("{s:o}", "classifications", all));
    }
    for (int i = 0; i < argc && st == PC_OK; i++) {
        struct explain_state x = { .by_context = false };
        struct pc_classification cl;

        if (!c->explain) {
            st = pc_classify_name(e, argv[i], c->context, c->diags, &cl);
            if (st == PC_OK)
                print_classification(argv[i], c->context, &cl);
            continue;
        }
        if (c->context != NULL)
            printf("%s (context %s):\n", esc(argv[i]), esc(c->context));
        else
            printf("%s:\n", esc(argv[i]));
        st = pc_classify_explain(e, argv[i], c->context, c->diags, explain_step,
                                 &x, &cl);
        if (st != PC_OK)
            break;
        printf("  context used: %s; %s\n",
               x.context[0] ? esc(x.context) : "none",
               x.by_context  ? "it decided the answer (a pattern that matched "
                               "the name has a context condition)"
               : x.by_prefix ? "it decided the answer (the name's first "
                               "word abbreviates it)"
                             : "it did not matter (the answer is the same in "
                               "every context)");
        printf("  classifiers tried: %zu\n", x.tried);
        if (cl.element == NULL)
            printf("  element: none (a field named so needs a category)\n");
        else
            printf(
                "  element: %s%s%s (classifier %s, pattern %s)\n", cl.element,
                cl.declared ? "" : ", NOT declared by the policy",
                cl.sensitive ? ", sensitive" : "", cl.classifier, cl.pattern);
    }
    pc_engine_free(e);
    return cli_finish(c, st);
}

/* Number of "§" in s: each is one column but two bytes. */
static size_t
section_marks(const char *s)
{
    size_t n = 0;

    while ((s = strstr(s, "§")) != NULL) {
        n++;
        s += strlen("§");
    }
    return n;
}

/* The rule tests of the rules directory in use, whatever the pack. */
static int
cmd_rules_test(struct cli *c)
{
    struct pc_rule_test_options opt = { NULL, c->paths.ruletests_schema,
                                        c->coverage, c->threshold };
    size_t dirlen = strlen(c->paths.rules_dir) + sizeof "/tests";
    pc_engine *e = NULL;
    size_t failed = 0;
    char *dir;
    pc_status st;

    if ((dir = malloc(dirlen)) == NULL)
        return cli_finish(c, PC_ENOMEM);
    snprintf(dir, dirlen, "%s/tests", c->paths.rules_dir);
    opt.dir = dir;
    if ((st = cli_engine(c, &e)) == PC_OK)
        st = pc_rule_tests_run(e, &opt, stdout, c->diags, &failed);
    pc_engine_free(e);
    free(dir);
    if (st != PC_OK)
        return cli_finish(c, st);
    fflush(stdout);
    pc_diags_print(c->diags, stderr);
    return failed > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
}

static int
cmd_rules(struct cli *c, int argc, char **argv)
{
    pc_engine *e = NULL;
    pc_status st;

    if (argc == 1 && strcmp(argv[0], "test") == 0) {
        if (c->json != NULL)
            return usage_error("rules test prints text, not", c->json);
        return cmd_rules_test(c);
    }
    if (argc != 0)
        return usage_error("rules takes no arguments but test", argv[0]);
    if (c->coverage || c->threshold != NULL)
        return usage_error("--coverage is an option of rules test", NULL);
    if ((st = cli_engine(c, &e)) != PC_OK)
        return cli_finish(c, st);
    if (c->json != NULL) {
        json_t *all = json_array();

        for (size_t i = 0; i < pc_engine_rule_count(e); i++)
            json_array_append_new(all, cli_json_rule(pc_engine_rule(e, i)));
        pc_engine_free(e);
        return cli_json_print(c, json_pack("{s:o}", "rules", all));
    }
    printf("%-8s  %-7s  %-9s  %-16s  %s\n", "ID", "LEVEL", "POLICY", "SUBJECTS",
           "TITLE");
    for (size_t i = 0; i < pc_engine_rule_count(e); i++) {
        const struct pc_rule_info *r = pc_engine_rule(e, i);
        char where[64] = "-";
        size_t used = 0;

        /* The sections the rule enforces, each once: "§2,§8". */
        for (size_t k = 0; k < r->nclauses; k++) {
            bool seen = false;
            int n;

            for (size_t m = 0; m < k; m++)
                seen |=
                    strcmp(r->clauses[m].section, r->clauses[k].section) == 0;
            if (seen)
                continue;
            n = snprintf(where + used, sizeof where - used, "%s§%s",
                         used ? "," : "", r->clauses[k].section);
            if (n < 0 || (size_t)n >= sizeof where - used)
                break;
            used += (size_t)n;
        }
        /* printf pads by bytes; § is two. */
        printf("%-8s  %-7s  %-*s  %-16s  %s\n", r->id,
               pc_severity_str(r->severity), 9 + (int)section_marks(where),
               where, r->subjects != NULL ? r->subjects : "all", r->title);
    }
    printf("%zu rules\n", pc_engine_rule_count(e));
    pc_engine_free(e);
    return EXIT_CLEAN;
}

/* policy render|lint|diff write their documents the way check writes its
 * reports: each --format to its --output, atomically, or to standard
 * output; if any fails, none replaces anything. */
typedef pc_status (*policy_writer)(void *arg, const char *format, FILE *out,
                                   pc_diags *d);

static pc_status
policy_outputs(struct cli *c, policy_writer write, void *arg)
{
    pc_atomic *a[MAX_REPORTS] = { NULL };
    pc_status st = PC_OK;
    size_t i;

    for (i = 0; i < c->nreports && st == PC_OK; i++) {
        FILE *out = stdout;

        if (c->reports[i].output != NULL &&
            (st = pc_atomic_open(c->reports[i].output, c->diags, &a[i],
                                 &out)) != PC_OK)
            break;
        st = write(arg, c->reports[i].format, out, c->diags);
        if (st == PC_EIO && a[i] == NULL)
            fputs("privcheck: error: cannot write to standard output\n",
                  stderr);
        if (st == PC_OK && a[i] != NULL)
            st = pc_atomic_close(a[i], c->diags);
    }
    for (i = 0; i < c->nreports; i++) {
        if (a[i] == NULL)
            continue;
        if (st == PC_OK) {
            pc_status cst = pc_atomic_commit(a[i], c->diags);

            if (cst != PC_OK)
                st = cst;
        } else {
            pc_atomic_abort(a[i]);
            fprintf(stderr, "privcheck: error: %s: not written\n",
                    esc(c->reports[i].output));
        }
    }
    return st;
}

/* Every --format is one `known` accepts; "text", the default, stands for
 * `dflt`. */
static int
policy_formats(struct cli *c, bool (*known)(const char *), const char *dflt,
               const char *list)
{
    for (size_t i = 0; i < c->nreports; i++) {
        if (strcmp(c->reports[i].format, "text") == 0 && dflt != NULL)
            c->reports[i].format = dflt;
        if (!known(c->reports[i].format)) {
            fprintf(stderr, "privcheck: policy: --format takes %s, not %s\n",
                    list, esc(c->reports[i].format));
            return EXIT_FAIL;
        }
    }
    return EXIT_CLEAN;
}

static pc_status
policy_render_one(void *arg, const char *format, FILE *out, pc_diags *d)
{
    return pc_policy_render(arg, format, out, d);
}

static int
policy_render(struct cli *c, int argc, char **argv)
{
    pc_engine *e = NULL;
    pc_status st;
    int rc;

    (void)argv;
    if (argc > 0)
        return usage_error("policy render takes no argument", argv[0]);
    if ((rc = policy_formats(c, pc_policy_render_format_known, "markdown",
                             pc_policy_render_formats())) != EXIT_CLEAN)
        return rc;
    if ((st = cli_engine(c, &e)) == PC_OK)
        st = policy_outputs(c, policy_render_one, e);
    pc_engine_free(e);
    return cli_finish(c, st);
}

struct policy_lint_run {
    const pc_engine *e;
    pc_severity worst;
    size_t n;
};

static pc_status
policy_lint_one(void *arg, const char *format, FILE *out, pc_diags *d)
{
    struct policy_lint_run *run = arg;

    return pc_policy_lint(run->e, format, out, &run->worst, &run->n, d);
}

/* Exit 1 on a finding at or above --fail-on, like check. */
static int
policy_lint(struct cli *c, int argc, char **argv)
{
    struct policy_lint_run run = { NULL, PC_SEV_NOTE, 0 };
    pc_engine *e = NULL;
    pc_status st;
    int rc;

    if (argc > 0)
        return usage_error("policy lint takes no argument", argv[0]);
    if ((rc = policy_formats(c, pc_policy_lint_format_known, NULL,
                             "text, json")) != EXIT_CLEAN)
        return rc;
    if ((st = cli_engine(c, &e)) == PC_OK) {
        run.e = e;
        st = policy_outputs(c, policy_lint_one, &run);
    }
    pc_engine_free(e);
    rc = cli_finish(c, st);
    if (rc == EXIT_CLEAN && run.n > 0 && !c->never_fail &&
        run.worst >= c->fail_on)
        rc = EXIT_FINDINGS;
    return rc;
}

/* c's paths (its --rules too) with another policy; the caller clears
 * *out. */
static pc_status
policy_paths(const struct cli *c, const char *policy, struct pc_paths *out)
{
    const struct pc_paths *p = &c->paths;
    char **dst[] = { &out->rules_dir,       &out->policy_schema,
                     &out->rules_schema,    &out->classifiers_schema,
                     &out->manifest_schema, &out->waivers_schema };
    const char *src[] = { p->rules_dir,       p->policy_schema,
                          p->rules_schema,    p->classifiers_schema,
                          p->manifest_schema, p->waivers_schema };

    memset(out, 0, sizeof *out);
    if ((out->policy = strdup(policy)) == NULL)
        return PC_ENOMEM;
    for (size_t i = 0; i < sizeof dst / sizeof dst[0]; i++)
        if (src[i] != NULL && (*dst[i] = strdup(src[i])) == NULL)
            return PC_ENOMEM;
    return pc_paths_resolve(out, c->diags);
}

static pc_status
policy_diff_one(void *arg, const char *format, FILE *out, pc_diags *d)
{
    return pc_policy_diff_write(arg, format, out, d);
}

/* policy diff OLD NEW [--manifest M]...: exit 1 with --fail-on-looser
 * when any change is looser. */
static int
policy_diff(struct cli *c, int argc, char **argv)
{
    struct pc_paths po, pn;
    pc_engine *eo = NULL, *en = NULL;
    pc_policy *old = NULL, *new = NULL;
    pc_policy_diff *df = NULL;
    struct pc_audit_options aopt = { .source_root = c->source_root,
                                     .max_bytes = c->max_bytes };
    pc_status st;
    int rc;

    if (argc != 2)
        return usage_error("policy diff needs OLD and NEW policies", NULL);
    if ((rc = policy_formats(c, pc_policy_diff_format_known, NULL,
                             "text, markdown, html, json")) != EXIT_CLEAN)
        return rc;
    memset(&po, 0, sizeof po);
    memset(&pn, 0, sizeof pn);
    if ((st = policy_paths(c, argv[0], &po)) != PC_OK ||
        (st = policy_paths(c, argv[1], &pn)) != PC_OK)
        goto out;
    if (c->nmanifests > 0) {
        /* The impact needs the rules with each policy; both load, to
         * report every problem. */
        st = pc_engine_load(&po, c->diags, &eo);
        if (pc_engine_load(&pn, c->diags, &en) != PC_OK && st == PC_OK)
            st = PC_EINVALID;
        if (st != PC_OK)
            goto out;
        st =
            pc_policy_diff_new(pc_engine_policy(eo), pc_engine_policy(en), &df);
        if (st == PC_OK)
            st = pc_policy_diff_impact(df, eo, en, c->manifests, c->nmanifests,
                                       &aopt, c->diags);
    } else {
        st = pc_policy_load(po.policy, po.policy_schema, c->diags, &old);
        if (pc_policy_load(pn.policy, pn.policy_schema, c->diags, &new) !=
                PC_OK &&
            st == PC_OK)
            st = PC_EINVALID;
        if (st == PC_OK)
            st = pc_policy_diff_new(old, new, &df);
    }
    if (st == PC_OK)
        st = policy_outputs(c, policy_diff_one, df);
out:
    rc = cli_finish(c, st);
    if (rc == EXIT_CLEAN && c->fail_on_looser && pc_policy_diff_looser(df) > 0)
        rc = EXIT_FINDINGS;
    pc_policy_diff_free(df);
    pc_policy_free(old);
    pc_policy_free(new);
    pc_engine_free(eo);
    pc_engine_free(en);
    pc_paths_clear(&po);
    pc_paths_clear(&pn);
    return rc;
}

static int
cmd_policy(struct cli *c, int argc, char **argv)
{
    if (argc < 1)
        return usage_error("policy needs a subcommand", "render, lint, diff");
    if (strcmp(argv[0], "render") == 0)
        return policy_render(c, argc - 1, argv + 1);
    if (strcmp(argv[0], "lint") == 0)
        return policy_lint(c, argc - 1, argv + 1);
    if (strcmp(argv[0], "diff") == 0)
        return policy_diff(c, argc - 1, argv + 1);
    return usage_error("unknown policy subcommand", argv[0]);
}

enum {
    CMD_CHECK = 1u << 0,
    CMD_VALIDATE = 1u << 1,
    CMD_EXPLAIN = 1u << 2,
    CMD_CLASSIFY = 1u << 3,
    CMD_RULES = 1u << 4,
    CMD_POLICY = 1u << 5,
    CMD_WAIVE = 1u << 6,
    CMD_ANY = 0x7f,
};

static const struct command {
    const char *name;
    int (*run)(struct cli *, int, char **);
    unsigned bit;
    const char *subcommands; /* for completion; NULL: none */
} commands[] = {
    { "check", cmd_check, CMD_CHECK, NULL },
    { "validate", cmd_validate, CMD_VALIDATE, NULL },
    { "explain", cmd_explain, CMD_EXPLAIN, NULL },
    { "classify", cmd_classify, CMD_CLASSIFY, NULL },
    { "rules", cmd_rules, CMD_RULES, "test" },
    { "policy", cmd_policy, CMD_POLICY, "render lint diff" },
    { "waive", cmd_waive, CMD_WAIVE, NULL },
};

enum {
    OPT_POLICY = 256,
    OPT_RULES,
    OPT_FAIL_ON,
    OPT_CONTEXT,
    OPT_EXPLAIN,
    OPT_SOURCE_ROOT,
    OPT_WAIVERS,
    OPT_TODAY,
    OPT_REASON,
    OPT_APPROVED_BY,
    OPT_EXPIRES,
    OPT_APPLICATION,
    OPT_BASELINE,
    OPT_MANIFEST,
    OPT_FAIL_ON_LOOSER,
    OPT_COVERAGE,
    OPT_COVERAGE_THRESHOLD,
    OPT_TRACE,
    OPT_STYLESHEET,
    OPT_COLOR,
    OPT_COMPLETION,
    OPT_LIMIT,
    OPT_MAX_BYTES,
};

/* Every option, once: getopt's table, --help and the bash completion are
 * made from it, and an option given to a command not in its `cmds` is
 * refused. A new option is one line here and a case in main. */
static const struct cli_option {
    const char *name;
    int shortopt;    /* 0: none */
    int id;          /* getopt's value */
    const char *arg; /* NULL: takes no value */
    unsigned cmds;
    const char *values; /* for completion: the words it takes; NULL: any */
    const char *help;   /* lines after the first are indented */
} cli_options[] = {
    { "policy", 0, OPT_POLICY, "FILE", CMD_ANY, NULL,
      "the policy (default: the installed one)" },
    { "rules", 0, OPT_RULES, "DIR", CMD_ANY, NULL,
      "the rules directory (default: installed)" },
    { "format", 'f', 'f', "FORMAT",
      CMD_CHECK | CMD_POLICY | CMD_RULES | CMD_CLASSIFY | CMD_EXPLAIN, NULL,
      "check: report format (listed below; default\n"
      "text), several for several reports; rules,\n"
      "classify, explain: text or json; policy: see\n"
      "privcheck(1)" },
    { "output", 'o', 'o', "FILE", CMD_CHECK | CMD_POLICY, NULL,
      "check: write the report of the --format before\n"
      "it to FILE, atomically (without one: standard\n"
      "output); policy render: write to FILE" },
    { "fail-on", 0, OPT_FAIL_ON, "LEVEL", CMD_CHECK | CMD_POLICY,
      "error warning note never",
      "check, policy lint: exit 1 on findings at or\n"
      "above LEVEL (error, warning, note, never;\n"
      "default error)" },
    { "jobs", 'j', 'j', "N", CMD_CHECK, NULL,
      "check: audit N manifests in parallel" },
    { "quiet", 'q', 'q', NULL, CMD_CHECK, NULL,
      "check: the text report shows only errors and the\n"
      "summary line (no warnings or notes)" },
    { "color", 0, OPT_COLOR, "WHEN", CMD_CHECK, "auto always never",
      "check: colour the text report: auto (a terminal,\n"
      "and NO_COLOR unset; the default), always, never" },
    { "context", 0, OPT_CONTEXT, "TABLE", CMD_CLASSIFY, NULL,
      "classify: the table or object the fields live\n"
      "in (some names mean different things in\n"
      "different tables)" },
    { "explain", 0, OPT_EXPLAIN, NULL, CMD_CLASSIFY, NULL,
      "classify: show every classifier tried, and why\n"
      "it matched or not" },
    { "waivers", 0, OPT_WAIVERS, "FILE", CMD_CHECK | CMD_WAIVE, NULL,
      "check: apply the waivers in FILE (repeatable);\n"
      "waive: the file to append to" },
    { "baseline", 0, OPT_BASELINE, "PRIOR.json", CMD_CHECK, NULL,
      "check: what PRIOR.json (a JSON report) has is\n"
      "known and does not count; only new findings" },
    { "today", 0, OPT_TODAY, "YYYY-MM-DD", CMD_CHECK | CMD_WAIVE, NULL,
      "check, waive: the date waivers expire against\n"
      "(default: today, UTC)" },
    { "reason", 0, OPT_REASON, "TEXT", CMD_WAIVE, NULL,
      "waive: why the exception is acceptable" },
    { "approved-by", 0, OPT_APPROVED_BY, "WHO", CMD_WAIVE, NULL,
      "waive: who approved it" },
    { "expires", 0, OPT_EXPIRES, "YYYY-MM-DD", CMD_WAIVE, NULL,
      "waive: the last day it holds" },
    { "application", 0, OPT_APPLICATION, "NAME", CMD_WAIVE, NULL,
      "waive: only for the manifest of that name" },
    { "manifest", 0, OPT_MANIFEST, "FILE", CMD_POLICY, NULL,
      "policy diff: findings on FILE that appear or\n"
      "disappear (repeatable)" },
    { "fail-on-looser", 0, OPT_FAIL_ON_LOOSER, NULL, CMD_POLICY, NULL,
      "policy diff: exit 1 on any change looser for\n"
      "privacy" },
    { "coverage", 0, OPT_COVERAGE, NULL, CMD_RULES, NULL,
      "rules test: which rules and clauses the\n"
      "tests exercise" },
    { "coverage-threshold", 0, OPT_COVERAGE_THRESHOLD, "N", CMD_RULES, NULL,
      "rules test: fail when less than N percent of\n"
      "the rules or normative clauses is exercised" },
    { "trace", 0, OPT_TRACE, "RULE|FINGERPRINT", CMD_CHECK, NULL,
      "check: how the rule (or the rule of that\n"
      "finding) was evaluated, condition by condition,\n"
      "on standard error" },
    { "stylesheet", 0, OPT_STYLESHEET, "FILE", CMD_CHECK, NULL,
      "check: the XSLT stylesheet of the html report\n"
      "(default: the installed report-html.xsl)" },
    { "source-root", 0, OPT_SOURCE_ROOT, "DIR", CMD_CHECK | CMD_POLICY, NULL,
      "check: name manifests relative to DIR in\n"
      "fingerprints and SARIF (default: the\n"
      "working directory)" },
    { "limit", 0, OPT_LIMIT, "NAME=N", CMD_ANY, NULL,
      "set a bound on input (repeatable): NAME and its\n"
      "default and ceiling are listed below; N from 1\n"
      "to the ceiling" },
    { "max-bytes", 0, OPT_MAX_BYTES, "N", CMD_CHECK | CMD_POLICY, NULL,
      "check, policy diff: refuse a manifest longer\n"
      "than N bytes (suffix K, M or G: KiB, MiB,\n"
      "GiB; default 4G); manifests stream, so memory\n"
      "does not grow with them" },
    { "completion", 0, OPT_COMPLETION, "SHELL", 0, "bash",
      "print the completion script for SHELL (bash)\n"
      "and exit" },
    { "help", 'h', 'h', NULL, 0, NULL, "show this help and exit" },
    { "version", 'V', 'V', NULL, 0, NULL, "show the version and exit" },
};

#define NOPTIONS (sizeof cli_options / sizeof cli_options[0])

static void
cli_help(FILE *out)
{
    fputs(usage_text, out);
    for (size_t i = 0; i < NOPTIONS; i++) {
        const struct cli_option *o = &cli_options[i];
        char head[64];
        int n;

        if (o->shortopt != 0)
            n = snprintf(head, sizeof head, "-%c, --%s%s%s", o->shortopt,
                         o->name, o->arg != NULL ? " " : "",
                         o->arg != NULL ? o->arg : "");
        else
            n = snprintf(head, sizeof head, "--%s%s%s", o->name,
                         o->arg != NULL ? " " : "",
                         o->arg != NULL ? o->arg : "");
        fprintf(out, "  %-22s%s", head,
                n > 22 ? "\n                         " : " ");
        for (const char *h = o->help; *h != '\0'; h++) {
            fputc(*h, out);
            if (*h == '\n')
                fputs("                         ", out);
        }
        fputc('\n', out);
    }
    fprintf(out, "\nReport formats of check: %s.\n", pc_report_formats());
    fputs("\nLimits (--limit NAME=N): name, default, ceiling, unit (the size\n"
          "of a file has its own option; see privcheck(1), LIMITS).\n",
          out);
    for (size_t i = 0; pc_limit_info(i, NULL) != NULL; i++) {
        const struct pc_limit_info *l = pc_limit_info(i, NULL);

        fprintf(out, "  %-18s %10llu %10llu %s\n", l->name, l->def, l->ceiling,
                l->unit);
    }
    fputs(usage_tail, out);
}

/* The bash completion, from the tables above. */
static void
cli_completion_bash(FILE *out)
{
    fputs("# bash completion for privcheck, written by "
          "`privcheck --completion bash`\n"
          "_privcheck() {\n"
          "    local cur prev cmd i opts words\n"
          "    cur=${COMP_WORDS[COMP_CWORD]}\n"
          "    prev=${COMP_WORDS[COMP_CWORD-1]}\n"
          "    cmd=\n"
          "    for ((i = 1; i < COMP_CWORD; i++)); do\n"
          "        case ${COMP_WORDS[i]} in\n"
          "        ",
          out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "%s%s", i > 0 ? "|" : "", commands[i].name);
    fputs(") cmd=${COMP_WORDS[i]}; break ;;\n"
          "        esac\n"
          "    done\n"
          "    case $prev in\n",
          out);
    for (size_t i = 0; i < NOPTIONS; i++) {
        const struct cli_option *o = &cli_options[i];

        if (o->arg == NULL)
            continue;
        fprintf(out, "    --%s", o->name);
        if (o->shortopt != 0)
            fprintf(out, "|-%c", o->shortopt);
        if (o->values != NULL)
            fprintf(out,
                    ")\n        COMPREPLY=($(compgen -W '%s' -- \"$cur\"))\n"
                    "        return ;;\n",
                    o->values);
        else if (o->id == OPT_LIMIT) {
            fputs(")\n        compopt -o nospace 2>/dev/null\n"
                  "        COMPREPLY=($(compgen -W '",
                  out);
            for (size_t k = 0; pc_limit_info(k, NULL) != NULL; k++)
                fprintf(out, "%s%s=", k > 0 ? " " : "",
                        pc_limit_info(k, NULL)->name);
            fputs("' -- \"$cur\"))\n        return ;;\n", out);
        } else if (o->id == 'f') {
            fputs(")\n        COMPREPLY=($(compgen -W '", out);
            for (const char *f = pc_report_formats(); *f != '\0'; f++)
                if (*f != ',')
                    fputc(*f, out);
            fputs("' -- \"$cur\"))\n        return ;;\n", out);
        } else
            fputs(")\n        COMPREPLY=($(compgen -f -- \"$cur\"))\n"
                  "        return ;;\n",
                  out);
    }
    fputs("    esac\n"
          "    case $cmd in\n",
          out);
    for (size_t c = 0; c < sizeof commands / sizeof commands[0]; c++) {
        fprintf(out, "    %s)\n        opts='", commands[c].name);
        for (size_t i = 0, n = 0; i < NOPTIONS; i++)
            if (cli_options[i].cmds & commands[c].bit)
                fprintf(out, "%s--%s", n++ > 0 ? " " : "", cli_options[i].name);
        fprintf(out, "'\n        words='%s' ;;\n",
                commands[c].subcommands != NULL ? commands[c].subcommands : "");
    }
    fputs("    *)\n        opts='", out);
    for (size_t i = 0, n = 0; i < NOPTIONS; i++)
        if (cli_options[i].cmds == CMD_ANY || cli_options[i].cmds == 0)
            fprintf(out, "%s--%s", n++ > 0 ? " " : "", cli_options[i].name);
    fputs("'\n        words='", out);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "%s%s", i > 0 ? " " : "", commands[i].name);
    fputs("' ;;\n"
          "    esac\n"
          "    if [[ $cur == -* ]]; then\n"
          "        COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
          "    elif [[ -n $words ]]; then\n"
          "        COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
          "        [[ -n $cmd ]] && COMPREPLY+=($(compgen -f -- \"$cur\"))\n"
          "    else\n"
          "        COMPREPLY=($(compgen -f -- \"$cur\"))\n"
          "    fi\n"
          "}\n"
          "complete -F _privcheck privcheck\n",
          out);
}

/* ------------------------------------------------------------------ */

static bool
parse_jobs(const char *s, unsigned *out)
{
    char *end;
    long n;

    errno = 0;
    n = strtol(s, &end, 10);
    if (errno != 0 || *end != '\0' || n < 1 || n > MAX_JOBS)
        return false;
    *out = (unsigned)n;
    return true;
}

/* A byte count, with an optional K, M or G (powers of 1024). */
static bool
parse_bytes(const char *s, size_t *out)
{
    unsigned shift = 0;
    unsigned long long n;
    char *end;

    if (*s < '0' || *s > '9')
        return false;
    errno = 0;
    n = strtoull(s, &end, 10);
    if (errno != 0 || n == 0)
        return false;
    if (*end != '\0') {
        if (end[1] != '\0')
            return false;
        switch (*end) {
        case 'K':
            shift = 10;
            break;
        case 'M':
            shift = 20;
            break;
        case 'G':
            shift = 30;
            break;
        default:
            return false;
        }
    }
    if (n > (SIZE_MAX >> shift))
        return false;
    *out = (size_t)(n << shift);
    return true;
}

/* The reports, settled: an --output left over is the text report's
 * (`--output r.txt` alone); none at all is text on standard output; "-"
 * is standard output; at most one report goes there, and no file gets
 * two. */
static int
cli_check_reports(struct cli *c)
{
    size_t tostdout = 0;

    if (c->pending_output != NULL || c->nreports == 0) {
        c->reports[c->nreports].format = "text";
        c->reports[c->nreports++].output = c->pending_output;
        c->pending_output = NULL;
    }
    for (size_t i = 0; i < c->nreports; i++) {
        const char *o = c->reports[i].output;

        if (o != NULL && strcmp(o, "-") == 0)
            c->reports[i].output = o = NULL;
        if (o == NULL && ++tostdout > 1)
            return usage_error("only one report can go to standard output; "
                               "give the others an --output",
                               c->reports[i].format);
        for (size_t j = 0; o != NULL && j < i; j++)
            if (c->reports[j].output != NULL &&
                strcmp(c->reports[j].output, o) == 0)
                return usage_error("two reports to one --output", o);
    }
    return EXIT_CLEAN;
}

static bool
is_dir(const char *p)
{
    struct stat sb;

    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static int
set_path(char **slot, const char *value)
{
    free(*slot);
    return (*slot = strdup(value)) != NULL;
}

int
main(int argc, char **argv)
{
    struct option opts[NOPTIONS + 1];
    char shortopts[2 * NOPTIONS + 2] = ":";
    bool seen[NOPTIONS] = { false };
    struct cli c = { .fail_on = PC_SEV_ERROR, .jobs = 1, .color = -1 };
    const struct command *cmd = NULL;
    int opt, rc = EXIT_FAIL;
    pc_status st;

    pc_set_oom_handler(cli_oom_exit);
    /* getopt's own messages name argv[0] (a build path under libtool)
     * and echo the option raw: ours name privcheck and escape it. */
    opterr = 0;
    for (size_t i = 0, k = 1; i < NOPTIONS; i++) {
        opts[i] =
            (struct option){ cli_options[i].name,
                             cli_options[i].arg != NULL ? required_argument
                                                        : no_argument,
                             NULL, cli_options[i].id };
        if (cli_options[i].shortopt != 0) {
            shortopts[k++] = (char)cli_options[i].shortopt;
            if (cli_options[i].arg != NULL)
                shortopts[k++] = ':';
        }
    }
    opts[NOPTIONS] = (struct option){ NULL, 0, NULL, 0 };
    /* The command may come before or after the options. */
    while ((opt = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
        for (size_t i = 0; i < NOPTIONS; i++)
            if (cli_options[i].id == opt)
                seen[i] = true;
        switch (opt) {
        case 'h':
            cli_help(stdout);
            rc = EXIT_CLEAN;
            goto out;
        case OPT_COMPLETION:
            if (strcmp(optarg, "bash") != 0) {
                rc = usage_error("--completion knows bash, not", optarg);
                goto out;
            }
            cli_completion_bash(stdout);
            rc = EXIT_CLEAN;
            goto out;
        case 'q':
            c.quiet = true;
            break;
        case OPT_COLOR:
            if (strcmp(optarg, "auto") == 0)
                c.color = -1;
            else if (strcmp(optarg, "always") == 0)
                c.color = 1;
            else if (strcmp(optarg, "never") == 0)
                c.color = 0;
            else {
                rc = usage_error("--color takes auto, always or never, not",
                                 optarg);
                goto out;
            }
            break;
        case 'V':
            printf("privcheck %s\n", pc_version());
            rc = EXIT_CLEAN;
            goto out;
        case OPT_POLICY:
            if (!set_path(&c.paths.policy, optarg))
                goto out;
            break;
        case OPT_RULES:
            if (!set_path(&c.paths.rules_dir, optarg))
                goto out;
            break;
        case OPT_STYLESHEET:
            if (!set_path(&c.paths.stylesheet, optarg))
                goto out;
            break;
        case 'f':
            if (!pc_report_format_known(optarg) &&
                !pc_policy_render_format_known(optarg)) {
                rc = usage_error("unknown --format", optarg);
                goto out;
            }
            if (c.nreports == MAX_REPORTS) {
                rc = usage_error("too many reports in one run", NULL);
                goto out;
            }
            c.reports[c.nreports].format = optarg;
            c.reports[c.nreports++].output = c.pending_output;
            c.pending_output = NULL;
            break;
        case 'o':
            /* It binds to the --format before it, or else to the next. */
            if (c.nreports > 0 && c.reports[c.nreports - 1].output == NULL &&
                c.pending_output == NULL)
                c.reports[c.nreports - 1].output = optarg;
            else if (c.pending_output == NULL)
                c.pending_output = optarg;
            else {
                rc = usage_error("--output without a --format of its own",
                                 optarg);
                goto out;
            }
            break;
        case OPT_FAIL_ON:
            if (strcmp(optarg, "never") == 0) {
                c.never_fail = true;
            } else if (!pc_severity_parse(optarg, &c.fail_on)) {
                rc = usage_error("--fail-on takes error, warning, note or "
                                 "never, not",
                                 optarg);
                goto out;
            }
            break;
        case OPT_WAIVERS:
            if (c.nwaivers == MAX_WAIVERS) {
                rc = usage_error("too many --waivers files", optarg);
                goto out;
            }
            c.waivers[c.nwaivers++] = optarg;
            break;
        case OPT_TODAY:
            if (!pc_date_valid(optarg)) {
                rc =
                    usage_error("--today takes a date YYYY-MM-DD, not", optarg);
                goto out;
            }
            snprintf(c.today, sizeof c.today, "%s", optarg);
            break;
        case OPT_REASON:
            c.reason = optarg;
            break;
        case OPT_APPROVED_BY:
            c.approved_by = optarg;
            break;
        case OPT_EXPIRES:
            c.expires = optarg;
            break;
        case OPT_APPLICATION:
            c.application = optarg;
            break;
        case OPT_BASELINE:
            c.baseline = optarg;
            break;
        case OPT_MANIFEST:
            if (c.nmanifests == MAX_WAIVERS) {
                rc = usage_error("too many --manifest files", optarg);
                goto out;
            }
            c.manifests[c.nmanifests++] = optarg;
            break;
        case OPT_FAIL_ON_LOOSER:
            c.fail_on_looser = true;
            break;
        case OPT_COVERAGE:
            c.coverage = true;
            break;
        case OPT_TRACE:
            c.trace = optarg;
            break;
        case OPT_COVERAGE_THRESHOLD:
            if (!pc_coverage_threshold_valid(optarg)) {
                rc = usage_error("--coverage-threshold takes a percentage "
                                 "from 0 to 100, not",
                                 optarg);
                goto out;
            }
            c.threshold = optarg;
            c.coverage = true;
            break;
        case OPT_SOURCE_ROOT:
            if (!is_dir(optarg)) {
                rc = usage_error("--source-root is not a directory", optarg);
                goto out;
            }
            c.source_root = optarg;
            break;
        case OPT_MAX_BYTES:
            if (!parse_bytes(optarg, &c.max_bytes)) {
                rc = usage_error("--max-bytes takes a number of bytes, "
                                 "optionally with K, M or G, not",
                                 optarg);
                goto out;
            }
            break;
        case 'j':
            if (!parse_jobs(optarg, &c.jobs)) {
                rc = usage_error("--jobs takes a number from 1 to 64, not",
                                 optarg);
                goto out;
            }
            break;
        case OPT_CONTEXT:
            c.context = optarg;
            break;
        case OPT_LIMIT: {
            char why[256];

            if (!pc_limit_set(optarg, why, sizeof why)) {
                rc = usage_error(why, optarg);
                goto out;
            }
            break;
        }
        case OPT_EXPLAIN:
            c.explain = true;
            break;
        case ':':
            rc = usage_error("this option needs a value", argv[optind - 1]);
            goto out;
        default:
            rc = usage_error("unrecognised option",
                             optopt != 0 ? (char[]){ '-', (char)optopt, '\0' }
                                         : argv[optind - 1]);
            goto out;
        }
    }
    if (optind >= argc) {
        cli_help(stderr);
        goto out;
    }
    if ((rc = cli_check_reports(&c)) != EXIT_CLEAN)
        goto out;
    if (c.today[0] == '\0')
        pc_date_today(c.today);
    rc = EXIT_FAIL;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[optind], commands[i].name) == 0)
            cmd = &commands[i];
    if (cmd == NULL) {
        rc = usage_error("unknown command", argv[optind]);
        goto out;
    }
    /* The policy commands have formats of their own (cmd_policy). */
    for (size_t i = 0; i < c.nreports && cmd->run != cmd_policy; i++)
        if (!pc_report_format_known(c.reports[i].format)) {
            rc = usage_error("unknown --format", c.reports[i].format);
            goto out;
        }
    /* No option is ignored: one the command does not take is refused. */
    for (size_t i = 0; i < NOPTIONS; i++) {
        char what[160];
        size_t n;

        if (!seen[i] || (cli_options[i].cmds & cmd->bit) != 0)
            continue;
        n = (size_t)snprintf(what, sizeof what, "--%s is an option of ",
                             cli_options[i].name);
        for (size_t k = 0, m = 0;
             k < sizeof commands / sizeof commands[0] && n < sizeof what; k++)
            if (cli_options[i].cmds & commands[k].bit)
                n += (size_t)snprintf(what + n, sizeof what - n, "%s%s",
                                      m++ > 0 ? ", " : "", commands[k].name);
        if (n < sizeof what)
            snprintf(what + n, sizeof what - n, ", not of");
        rc = usage_error(what, cmd->name);
        goto out;
    }
    /* rules, classify and explain print text or JSON. */
    if (cmd->bit & (CMD_RULES | CMD_CLASSIFY | CMD_EXPLAIN)) {
        for (size_t i = 0; i < c.nreports; i++) {
            const char *f = c.reports[i].format;

            if (strcmp(f, "json") != 0 && strcmp(f, "text") != 0) {
                rc = usage_error("this command prints text or json, not", f);
                goto out;
            }
            c.json = strcmp(f, "json") == 0 ? f : NULL;
        }
        if (c.nreports > 1) {
            rc = usage_error("one --format at a time for", cmd->name);
            goto out;
        }
    }
    if ((c.diags = pc_diags_new()) == NULL) {
        fputs("privcheck: error: out of memory\n", stderr);
        goto out;
    }
    if ((st = pc_paths_resolve(&c.paths, c.diags)) != PC_OK)
        rc = cli_finish(&c, st);
    else
        rc = cmd->run(&c, argc - optind - 1, argv + optind + 1);
out:
    free(c.trace_rule);
    free(c.trace_object);
    pc_paths_clear(&c.paths);
    pc_diags_free(c.diags);
    esc_free();
    return rc;
}
