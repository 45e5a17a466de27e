/* check_report.c - the report layer: the format table, compiler-style text
 * (exact lines, plurals, colour only on request, hostile strings escaped),
 * the JSON document (every documented field read back with jansson, key
 * order, a golden file) and write errors. Results are built by hand with
 * results_add, so no policy or manifest is needed. */
#include "config.h"

#include "jwrite.h"
#include "report.h"
#include "results.h"

#include <check.h>
#include <errno.h>
#include <jansson.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------ fixture */

static const struct pc_clause_ref clauses_ssn[] = {
    { "s2.ssn-billing", "2",
      "Your social security number (SSN) is only collected if you enter it "
      "in your Billing Settings." },
};

/* A clause text with quotes, as some real clauses have. */
static const struct pc_clause_ref clauses_tls[] = {
    { "s7.ssl", "7",
      "we encrypt the transmission using secure socket layer technology "
      "(SSL)." },
    { "s8.appeal", "8", "with the subject line \"Privacy Request Appeal\"" },
};

/* Everything a hostile manifest could smuggle into a message: an escape
 * sequence that clears the screen, a newline that forges a second
 * finding, quotes, a backslash, non-ASCII. */
#define HOSTILE_MSG                                                            \
    "flow 'x\033[2J' uses \"tls1.0\" \\ caf\xc3\xa9 \xe2\x98\x95\n"            \
    "fake.xml:1: error: forged"
#define HOSTILE_TEXT                                                           \
    "flow 'x\\x1b[2J' uses \"tls1.0\" \\ caf\xc3\xa9 \xe2\x98\x95\\x0a"        \
    "fake.xml:1: error: forged"

/* What a manifest can say, in every field a report prints: markup,
 * quotes, CDATA ends, percent signs and the workflow-command syntax,
 * table pipes, Markdown emphasis, a newline that forges a line, an ESC
 * that drives a terminal, a bidi override that reorders text. */
#define EVIL                                                                   \
    "<script>alert(\"x\")</script> ]]> 100% ::error file=x,line=1::forged "    \
    "| *b* `c` [l](u) &amp; \033[2J \xe2\x80\xae\nfake.xml:1: error: forged"

static const struct pc_clause_ref clauses_evil[] = {
    { "s9.evil", "9", EVIL },
};

static const struct pc_rule_info rule_evil = {
    .id = "EVL-001",
    .severity = PC_SEV_ERROR,
    .title = EVIL,
    .message = EVIL,
    .fix = EVIL,
    .over = "flow",
    .clauses = clauses_evil,
    .nclauses = 1,
};

static const struct pc_finding finding_evil = {
    .rule = "EVL-001",
    .severity = PC_SEV_ERROR,
    .title = EVIL,
    .message = EVIL,
    .fix = EVIL,
    .clauses = clauses_evil,
    .nclauses = 1,
    .file = "dir/a b:c%,d.xml",
    .path = "dir/a b:c%,d.xml",
    .line = 3,
    .object = "flow[" EVIL "]",
    .group = "flow[" EVIL "]",
    .application = EVIL,
    .fingerprint = "0123456789abcdef",
};

static const struct pc_rule_info *const meta_rules[] = { &rule_evil };

static const struct report_meta meta = {
    .tool = "privcheck",
    .rules = meta_rules,
    .nrules = 1,
    .tool_version = "0.1.0",
    .policy_id = "serenepractice",
    .policy_version = "2023-11-02",
    .policy_title = "SerenePractice Privacy Policy",
    .policy_sha256 =
        "1111111111111111111111111111111111111111111111111111111111111111",
    .rules_sha256 =
        "2222222222222222222222222222222222222222222222222222222222222222",
};

static const struct pc_finding finding_ssn = {
    .rule = "SEN-001",
    .severity = PC_SEV_ERROR,
    .title = "SSN collected outside Billing Settings",
    .message = "SSN collected by flow 'signup' from 'signup-form'; policy "
               "allows it only from Billing Settings",
    .fix = "collect the SSN only in a flow whose source is "
           "billing-settings",
    .clauses = clauses_ssn,
    .nclauses = NELEM(clauses_ssn),
    .file = "fixtures/serene-web.xml",
    .line = 14,
    .object = "flow[signup]/field[ssn]",
    .application = "serene-web",
    .fingerprint = "SEN-001:serene-web:flow[signup]/field[ssn]",
};

static const struct pc_finding finding_tls = {
    .rule = "SEC-002",
    .severity = PC_SEV_WARNING,
    .title = "Old TLS",
    .message = HOSTILE_MSG,
    .fix = NULL,
    .clauses = clauses_tls,
    .nclauses = NELEM(clauses_tls),
    .file = "fixtures/serene-web.xml",
    .line = 20,
    .object = "flow[x\033[2J]",
    .application = "serene-web",
    .fingerprint = "SEC-002:serene-web:flow[x\033[2J]",
};

/* No line, no clauses, an empty fix, no application. */
static const struct pc_finding finding_note = {
    .rule = "APP-009",
    .severity = PC_SEV_NOTE,
    .title = "A note",
    .message = "application-wide note",
    .fix = "",
    .file = "fixtures/other.xml",
    .line = 0,
    .object = "application",
    .fingerprint = "APP-009::application",
};

static const struct pc_manifest_info manifest_web = {
    .file = "fixtures/serene-web.xml",
    .application = "serene-web",
    .version = "5.1.0",
    .path = "fixtures/serene-web.xml",
    .sha256 =
        "3333333333333333333333333333333333333333333333333333333333333333",
};
/* Unknown version and hash: JSON says null. */
static const struct pc_manifest_info manifest_other = {
    .file = "fixtures/other.xml",
    .application = "other",
};

/* Two manifests, three findings, sorted as the CLI sorts them. */
static pc_results *
sample_results(void)
{
    pc_results *r = pc_results_new();

    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(results_add_manifest(r, &manifest_web), PC_OK);
    ck_assert_int_eq(results_add_manifest(r, &manifest_other), PC_OK);
    ck_assert_int_eq(results_add(r, &finding_tls), PC_OK);
    ck_assert_int_eq(results_add(r, &finding_ssn), PC_OK);
    ck_assert_int_eq(results_add(r, &finding_note), PC_OK);
    pc_results_sort(r);
    return r;
}

/* Render r in `format` into a malloc'd string (the caller frees). */
static char *
render(const char *format, const pc_results *r, bool color, pc_diags *d,
       pc_status *st)
{
    struct pc_report_options opt = { .color = color };
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    ck_assert_ptr_nonnull(f);
    *st = report_write(format, &meta, r, &opt, f, d);
    ck_assert_int_eq(fclose(f), 0);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(strlen(buf), len); /* no NUL byte in a report */
    return buf;
}

/* Render r, expecting success and no diagnostics. */
static char *
render_ok(const char *format, const pc_results *r, bool color)
{
    pc_diags *d = pc_diags_new();
    pc_status st;
    char *out = render(format, r, color, d, &st);

    ck_assert_int_eq(st, PC_OK);
    ck_assert_uint_eq(pc_diags_count(d), 0);
    pc_diags_free(d);
    return out;
}

/* ------------------------------------------------------------ the table */

START_TEST(test_formats_known)
{
    ck_assert(pc_report_format_known("text"));
    ck_assert(pc_report_format_known("json"));
    ck_assert(!pc_report_format_known("TEXT"));
    ck_assert(!pc_report_format_known(""));
    ck_assert(!pc_report_format_known("yaml"));
    ck_assert(!pc_report_format_known(NULL));
    ck_assert_str_eq(pc_report_formats(),
                     "text, json, sarif, junit, github, markdown, xml, html");
    /* Stable static storage. */
    ck_assert_ptr_eq(pc_report_formats(), pc_report_formats());
    ck_assert_str_eq(report_format_find("json")->name, "json");
    ck_assert_ptr_nonnull(report_format_find("text")->description);
    ck_assert_str_eq(report_format_find("sarif")->name, "sarif");
    ck_assert_str_eq(report_format_find("html")->name, "html");
    ck_assert_ptr_null(report_format_find("yaml"));
}
END_TEST

START_TEST(test_unknown_format)
{
    static const char *const bad[] = { "yaml", "", "Text", NULL };
    pc_results *r = sample_results();

    for (size_t i = 0; i < NELEM(bad); i++) {
        pc_diags *d = pc_diags_new();
        pc_status st;
        char *out = render(bad[i], r, false, d, &st);

        ck_assert_int_eq(st, PC_EINVALID);
        ck_assert_str_eq(out, ""); /* nothing written */
        ck_assert_uint_eq(pc_diags_errors(d), 1);
        ck_assert_ptr_nonnull(strstr(pc_diags_get(d, 0)->message,
                                     "known: text, json, sarif, junit, "
                                     "github, markdown"));
        free(out);
        pc_diags_free(d);
    }
    pc_results_free(r);
}
END_TEST

/* ------------------------------------------------------------ text */

static const char sample_text[] =
    "fixtures/other.xml: note: [APP-009] application-wide note\n"
    "fixtures/serene-web.xml:14: error: [SEN-001] SSN collected by flow "
    "'signup' from 'signup-form'; policy allows it only from Billing "
    "Settings\n"
    "    policy \xc2\xa7"
    "2: \"Your social security number (SSN) is only collected if you "
    "enter it in your Billing Settings.\"\n"
    "    fix: collect the SSN only in a flow whose source is "
    "billing-settings\n"
    "fixtures/serene-web.xml:20: warning: [SEC-002] " HOSTILE_TEXT "\n"
    "    policy \xc2\xa7"
    "7: \"we encrypt the transmission using secure socket layer "
    "technology (SSL).\"\n"
    "    policy \xc2\xa7"
    "8: \"with the subject line \"Privacy Request Appeal\"\"\n"
    "privcheck: 2 manifests, 1 error, 1 warning, 1 note\n";

START_TEST(test_text_exact)
{
    pc_results *r = sample_results();
    char *out = render_ok("text", r, false);

    ck_assert_str_eq(out, sample_text);
    /* No colour, and the hostile escape never reaches the terminal. */
    ck_assert_ptr_null(strchr(out, '\033'));
    free(out);
    pc_results_free(r);
}
END_TEST

START_TEST(test_text_default_options)
{
    pc_results *r = sample_results();
    pc_diags *d = pc_diags_new();
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);

    /* opt NULL: the defaults, no colour. */
    ck_assert_int_eq(report_write("text", &meta, r, NULL, f, d), PC_OK);
    fclose(f);
    ck_assert_str_eq(buf, sample_text);
    free(buf);
    pc_diags_free(d);
    pc_results_free(r);
}
END_TEST

#define RST "\033[0m"
START_TEST(test_text_color)
{
    pc_results *r = sample_results();
    char *out = render_ok("text", r, true);

    /* clang-format off */
    ck_assert_str_eq(
        out,
        "\033[1mfixtures/other.xml:" RST " \033[1;36mnote:" RST
        " [APP-009] application-wide note\n"
        "\033[1mfixtures/serene-web.xml:14:" RST " \033[1;31merror:" RST
        " [SEN-001] SSN collected by flow 'signup' from 'signup-form'; "
        "policy allows it only from Billing Settings\n"
        "\033[2m    policy \xc2\xa7"
        "2: \"Your social security number (SSN) is only collected if you "
        "enter it in your Billing Settings.\"" RST "\n"
        "    \033[32mfix:" RST " collect the SSN only in a flow whose "
        "source is billing-settings\n"
        "\033[1mfixtures/serene-web.xml:20:" RST " \033[1;35mwarning:" RST
        " [SEC-002] " HOSTILE_TEXT "\n"
        "\033[2m    policy \xc2\xa7"
        "7: \"we encrypt the transmission using secure socket layer "
        "technology (SSL).\"" RST "\n"
        "\033[2m    policy \xc2\xa7"
        "8: \"with the subject line \"Privacy Request Appeal\"\"" RST "\n"
        "privcheck: 2 manifests, 1 error, 1 warning, 1 note\n");
    /* clang-format on */
    /* Colour on or not, the manifest's own escape stays escaped. */
    ck_assert_ptr_null(strstr(out, "\033[2J"));
    free(out);
    pc_results_free(r);
}
END_TEST

/* Summary line: counts and plurals. */
static const struct {
    size_t manifests, errors, warnings, notes;
    const char *summary;
} summaries[] = {
    { 0, 0, 0, 0, "privcheck: 0 manifests, no findings\n" },
    { 1, 0, 0, 0, "privcheck: 1 manifest, no findings\n" },
    { 2, 0, 0, 0, "privcheck: 2 manifests, no findings\n" },
    { 2, 3, 1, 0, "privcheck: 2 manifests, 3 errors, 1 warning, 0 notes\n" },
    { 1, 1, 0, 1, "privcheck: 1 manifest, 1 error, 0 warnings, 1 note\n" },
    { 3, 0, 2, 2, "privcheck: 3 manifests, 0 errors, 2 warnings, 2 notes\n" },
    { 1, 0, 0, 1, "privcheck: 1 manifest, 0 errors, 0 warnings, 1 note\n" },
};

/* A results set with the given counts (findings all alike). */
static pc_results *
counted_results(size_t manifests, size_t errors, size_t warnings, size_t notes)
{
    pc_results *r = pc_results_new();
    size_t n[] = { notes, warnings, errors }; /* by pc_severity */

    ck_assert_ptr_nonnull(r);
    for (size_t i = 0; i < manifests; i++)
        ck_assert_int_eq(results_add_manifest(r, &manifest_other), PC_OK);
    for (size_t sev = 0; sev < NELEM(n); sev++)
        for (size_t i = 0; i < n[sev]; i++) {
            struct pc_finding f = finding_note;

            f.severity = (pc_severity)sev;
            f.line = (unsigned)(i + 1);
            ck_assert_int_eq(results_add(r, &f), PC_OK);
        }
    pc_results_sort(r);
    return r;
}

START_TEST(test_text_summary)
{
    pc_results *r =
        counted_results(summaries[_i].manifests, summaries[_i].errors,
                        summaries[_i].warnings, summaries[_i].notes);
    char *out = render_ok("text", r, false);
    size_t len = strlen(out), slen = strlen(summaries[_i].summary);
    size_t lines = 0;

    ck_assert_uint_ge(len, slen);
    ck_assert_str_eq(out + len - slen, summaries[_i].summary);
    /* One line per finding (no clauses, empty fix), then the summary:
     * compact, no blank lines. */
    for (const char *p = out; *p != '\0'; p++)
        lines += *p == '\n';
    ck_assert_uint_eq(lines, summaries[_i].errors + summaries[_i].warnings +
                                 summaries[_i].notes + 1);
    ck_assert_ptr_null(strstr(out, "\n\n"));
    free(out);
    pc_results_free(r);
}
END_TEST

/* Every string that reaches the terminal is escaped, not only the
 * message: file names, rule ids, fixes, clause text, bad UTF-8. */
START_TEST(test_text_escapes_everything)
{
    static const struct pc_clause_ref c[] = {
        { "c.\033]0;x\a", "\033[31m", "text\r\033[K" },
        { "only-id", NULL, NULL },
    };
    struct pc_finding f = finding_ssn;
    pc_results *r = pc_results_new();
    char *out;

    f.file = "evil\033[1A.xml";
    f.rule = "R\2331"; /* R, 0x9b (a lone C1 byte: not UTF-8), 1 */
    f.message = "bad \xff\xfe utf-8";
    f.fix = "press \a now";
    f.clauses = c;
    f.nclauses = NELEM(c);
    ck_assert_int_eq(results_add(r, &f), PC_OK);
    out = render_ok("text", r, true);
    ck_assert_str_eq(
        out,
        "\033[1mevil\\x1b[1A.xml:14:" RST " \033[1;31merror:" RST
        " [R\\x9b1] bad \\xff\\xfe utf-8\n"
        "\033[2m    policy \xc2\xa7\\x1b[31m: \"text\\x0d\\x1b[K\"" RST "\n"
        "\033[2m    policy only-id" RST "\n"
        "    \033[32mfix:" RST " press \\x07 now\n"
        "privcheck: 0 manifests, 1 error, 0 warnings, 0 notes\n");
    free(out);
    pc_results_free(r);
}
END_TEST

/* A finding with no file or rule still makes a well-formed line, and a
 * corrupt severity is reported as an error, never hidden. */
START_TEST(test_text_missing_fields)
{
    struct pc_finding f = { 0 };
    pc_results *r = pc_results_new();
    char *out;

    f.severity = (pc_severity)7;
    f.title = "only a title";
    ck_assert_int_eq(results_add(r, &f), PC_OK);
    out = render_ok("text", r, false);
    ck_assert_str_eq(out,
                     "privcheck: error: only a title\n"
                     "privcheck: 0 manifests, 1 error, 0 warnings, 0 notes\n");
    free(out);
    pc_results_free(r);
}
END_TEST

/* ------------------------------------------------------------ JSON */

static json_t *
parse(const char *text)
{
    json_error_t err;
    json_t *j = json_loads(text, JSON_REJECT_DUPLICATES, &err);

    ck_assert_msg(j != NULL, "report is not JSON: %d:%d: %s", err.line,
                  err.column, err.text);
    return j;
}

static void
assert_str(json_t *obj, const char *key, const char *want)
{
    json_t *v = json_object_get(obj, key);

    ck_assert_msg(v != NULL, "no key \"%s\"", key);
    if (want == NULL) {
        ck_assert_msg(json_is_null(v), "\"%s\" should be null", key);
        return;
    }
    ck_assert_msg(json_is_string(v), "\"%s\" should be a string", key);
    ck_assert_str_eq(json_string_value(v), want);
}

static void
assert_int(json_t *obj, const char *key, json_int_t want)
{
    json_t *v = json_object_get(obj, key);

    ck_assert_msg(json_is_integer(v), "\"%s\" should be an integer", key);
    ck_assert_int_eq(json_integer_value(v), want);
}

/* The object's keys, in order, are exactly `keys`. */
static void
assert_keys(json_t *obj, const char *const *keys, size_t n)
{
    size_t i = 0;

    ck_assert(json_is_object(obj));
    for (void *it = json_object_iter(obj); it != NULL;
         it = json_object_iter_next(obj, it), i++) {
        ck_assert_uint_lt(i, n);
        ck_assert_str_eq(json_object_iter_key(it), keys[i]);
    }
    ck_assert_uint_eq(i, n);
}

static void
assert_finding(json_t *j, const struct pc_finding *f)
{
    static const char *const keys[] = {
        "id",          "severity", "title",      "message",     "clauses",
        "file",        "line",     "object",     "application", "fix",
        "fingerprint", "related",  "suppressed", "suppression", "baseline",
    };
    static const char *const clause_keys[] = { "id", "section", "text" };
    json_t *clauses = json_object_get(j, "clauses");

    assert_keys(j, keys, NELEM(keys));
    assert_str(j, "id", f->rule);
    assert_str(j, "severity", pc_severity_str(f->severity));
    assert_str(j, "title", f->title);
    assert_str(j, "message", f->message);
    assert_str(j, "file", f->file);
    if (f->line > 0)
        assert_int(j, "line", f->line);
    else
        ck_assert(json_is_null(json_object_get(j, "line")));
    assert_str(j, "object", f->object);
    assert_str(j, "application", f->application);
    assert_str(j, "fix", f->fix);
    assert_str(j, "fingerprint", f->fingerprint);
    ck_assert(json_is_array(clauses));
    ck_assert_uint_eq(json_array_size(clauses), f->nclauses);
    for (size_t i = 0; i < f->nclauses; i++) {
        json_t *c = json_array_get(clauses, i);

        assert_keys(c, clause_keys, NELEM(clause_keys));
        assert_str(c, "id", f->clauses[i].id);
        assert_str(c, "section", f->clauses[i].section);
        assert_str(c, "text", f->clauses[i].text);
    }
}

START_TEST(test_json_fields)
{
    static const char *const top[] = {
        "report_version", "tool",    "policy",      "rules",
        "manifests",      "waivers", "baseline",    "findings",
        "absent",         "counts",  "disclosures",
    };
    static const char *const manifest_keys[] = { "file", "application",
                                                 "version", "path", "sha256" };
    pc_results *r = sample_results();
    char *out = render_ok("json", r, true); /* colour never applies */
    json_t *j = parse(out), *o, *list;

    assert_keys(j, top, NELEM(top));
    assert_int(j, "report_version", 1);

    o = json_object_get(j, "tool");
    assert_str(o, "name", "privcheck");
    assert_str(o, "version", "0.1.0");
    ck_assert_uint_eq(json_object_size(o), 2);

    o = json_object_get(j, "policy");
    assert_str(o, "id", meta.policy_id);
    assert_str(o, "version", meta.policy_version);
    assert_str(o, "title", meta.policy_title);
    assert_str(o, "sha256", meta.policy_sha256);
    ck_assert_uint_eq(json_object_size(o), 4);

    o = json_object_get(j, "rules");
    assert_str(o, "sha256", meta.rules_sha256);
    ck_assert_uint_eq(json_object_size(o), 1);

    list = json_object_get(j, "manifests");
    ck_assert_uint_eq(json_array_size(list), 2);
    o = json_array_get(list, 0);
    assert_keys(o, manifest_keys, NELEM(manifest_keys));
    assert_str(o, "file", manifest_web.file);
    assert_str(o, "application", "serene-web");
    assert_str(o, "version", "5.1.0");
    assert_str(o, "path", "fixtures/serene-web.xml");
    assert_str(o, "sha256", manifest_web.sha256);
    o = json_array_get(list, 1);
    assert_keys(o, manifest_keys, NELEM(manifest_keys));
    assert_str(o, "file", "fixtures/other.xml");
    assert_str(o, "version", NULL);
    assert_str(o, "path", NULL);
    assert_str(o, "sha256", NULL);

    /* Same order as the text report: results order. The hostile message
     * comes back byte for byte. */
    list = json_object_get(j, "findings");
    ck_assert_uint_eq(json_array_size(list), 3);
    assert_finding(json_array_get(list, 0), &finding_note);
    assert_finding(json_array_get(list, 1), &finding_ssn);
    assert_finding(json_array_get(list, 2), &finding_tls);

    o = json_object_get(j, "counts");
    assert_int(o, "error", 1);
    assert_int(o, "warning", 1);
    assert_int(o, "note", 1);
    assert_int(o, "suppressed", 0);
    assert_int(o, "total", 3);
    ck_assert_uint_eq(json_object_size(o), 5);

    /* Escaped in the bytes, not raw: the JSON is safe to cat. */
    ck_assert_ptr_null(strchr(out, '\033'));
    ck_assert_ptr_nonnull(strstr(out, "x\\u001B[2J"));
    json_decref(j);
    free(out);
    pc_results_free(r);
}
END_TEST

START_TEST(test_json_empty)
{
    pc_results *r = pc_results_new();
    char *out = render_ok("json", r, false);
    json_t *j = parse(out), *counts = json_object_get(j, "counts");

    ck_assert_uint_eq(json_array_size(json_object_get(j, "manifests")), 0);
    ck_assert(json_is_array(json_object_get(j, "findings")));
    ck_assert_uint_eq(json_array_size(json_object_get(j, "findings")), 0);
    assert_int(counts, "error", 0);
    assert_int(counts, "total", 0);
    json_decref(j);
    free(out);
    pc_results_free(r);
}
END_TEST

/* Unknown meta is null, not missing: consumers can rely on the keys. */
START_TEST(test_json_null_meta)
{
    pc_results *r = pc_results_new();
    pc_diags *d = pc_diags_new();
    struct report_meta none = { 0 };
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    json_t *j;

    ck_assert_int_eq(report_write("json", &none, r, NULL, f, d), PC_OK);
    fclose(f);
    j = parse(buf);
    assert_str(json_object_get(j, "tool"), "name", NULL);
    assert_str(json_object_get(j, "policy"), "sha256", NULL);
    assert_str(json_object_get(j, "rules"), "sha256", NULL);
    json_decref(j);
    free(buf);
    pc_diags_free(d);
    pc_results_free(r);
}
END_TEST

START_TEST(test_json_counts)
{
    pc_results *r = counted_results(3, 4, 2, 5);
    char *out = render_ok("json", r, false);
    json_t *j = parse(out), *counts = json_object_get(j, "counts");

    assert_int(counts, "error", 4);
    assert_int(counts, "warning", 2);
    assert_int(counts, "note", 5);
    assert_int(counts, "total", 11);
    ck_assert_uint_eq(json_array_size(json_object_get(j, "manifests")), 3);
    ck_assert_uint_eq(json_array_size(json_object_get(j, "findings")), 11);
    json_decref(j);
    free(out);
    pc_results_free(r);
}
END_TEST

/* Invalid UTF-8 cannot pass validation, but if it reaches the JSON writer
 * it is refused with the finding's location, not written. */
START_TEST(test_json_bad_utf8)
{
    struct pc_finding f = finding_ssn;
    pc_results *r = pc_results_new();
    pc_diags *d = pc_diags_new();
    const struct pc_diag *g;
    pc_status st;
    char *out;

    f.message = "bad \xff byte";
    ck_assert_int_eq(results_add(r, &f), PC_OK);
    out = render("json", r, false, d, &st);
    ck_assert_int_eq(st, PC_EINVALID);
    /* The report streams: the head is written before the finding is met,
     * and what was written is no JSON document (the CLI writes to a
     * temporary file and renames it only on success). */
    ck_assert_ptr_null(strstr(out, "bad "));
    ck_assert_ptr_null(json_loads(out, 0, NULL));
    ck_assert_uint_eq(pc_diags_errors(d), 1);
    g = pc_diags_get(d, 0);
    ck_assert_str_eq(g->loc.file, "fixtures/serene-web.xml");
    ck_assert_uint_eq(g->loc.line, 14);
    ck_assert_ptr_nonnull(strstr(g->message, "\"message\""));
    ck_assert_ptr_nonnull(strstr(g->message, "UTF-8"));
    free(out);
    pc_diags_free(d);
    pc_results_free(r);
}
END_TEST

/* Out of memory at every allocation jansson makes in turn: the writer
 * fails with PC_ENOMEM (not PC_EIO) and leaks nothing (run it under
 * valgrind), until the budget is enough and the report is whole. */
static size_t alloc_budget;

static void *
failing_malloc(size_t n)
{
    if (alloc_budget == 0)
        return NULL;
    alloc_budget--;
    return malloc(n);
}

START_TEST(test_json_oom)
{
    json_malloc_t old_malloc;
    json_free_t old_free;
    pc_results *r = sample_results();
    char *want = render_ok("json", r, false);
    size_t budget;

    json_get_alloc_funcs(&old_malloc, &old_free);
    json_set_alloc_funcs(failing_malloc, free);
    for (budget = 0; budget < 100000; budget++) {
        pc_diags *d = pc_diags_new();
        pc_status st;
        char *out;

        alloc_budget = budget;
        out = render("json", r, false, d, &st);
        pc_diags_free(d);
        if (st == PC_OK) {
            ck_assert_str_eq(out, want);
            free(out);
            break;
        }
        ck_assert_msg(st == PC_ENOMEM, "budget %zu: %s", budget,
                      pc_status_str(st));
        /* The dumper can fail midway: what it wrote must not parse as a
         * whole report (the CLI renames its temporary file only on
         * success anyway). Parsed with the real allocator. */
        json_set_alloc_funcs(old_malloc, old_free);
        ck_assert_msg(json_loads(out, 0, NULL) == NULL,
                      "budget %zu: a failed report parses", budget);
        json_set_alloc_funcs(failing_malloc, free);
        free(out);
    }
    json_set_alloc_funcs(old_malloc, old_free);
    ck_assert_uint_gt(budget, 10); /* the loop really failed allocations */
    ck_assert_uint_lt(budget, 100000);
    free(want);
    pc_results_free(r);
}
END_TEST

/* The exact bytes (order, indentation, escapes, final newline) are pinned
 * by tests/data/report/sample.json; UPDATE=1 rewrites it. */
static char *
golden_path(const char *name)
{
    const char *dir = getenv("TESTDATA");
    char *path;

    if (dir == NULL)
        dir = "tests/data";
    ck_assert_int_ge(asprintf(&path, "%s/report/%s", dir, name), 0);
    return path;
}

static char *
slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0, cap = 0, n;

    ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
    do {
        if (cap - len < 4096) {
            cap = cap * 2 + 4096;
            buf = realloc(buf, cap + 1);
            ck_assert_ptr_nonnull(buf);
        }
        n = fread(buf + len, 1, cap - len, f);
        len += n;
    } while (n > 0);
    ck_assert(!ferror(f));
    fclose(f);
    buf[len] = '\0';
    return buf;
}

static void
assert_golden(const char *name, const char *got)
{
    char *path = golden_path(name);
    const char *update = getenv("UPDATE");

    if (update != NULL && strcmp(update, "1") == 0) {
        FILE *f = fopen(path, "wb");

        ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
        fputs(got, f);
        ck_assert_int_eq(fclose(f), 0);
    } else {
        char *want = slurp(path);

        ck_assert_str_eq(got, want);
        free(want);
    }
    free(path);
}

START_TEST(test_json_golden)
{
    pc_results *r = sample_results();
    char *out = render_ok("json", r, false);

    assert_golden("sample.json", out);
    free(out);
    pc_results_free(r);
}
END_TEST

/* ------------------------------------------------------------ jwrite */

/* What jwrite writes, in a string the caller frees. */
static char *
jw_capture(void (*fill)(struct jwrite *, const void *), const void *arg,
           unsigned base, bool ascii, pc_status *st)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    pc_diags *d = pc_diags_new();
    struct jwrite w;

    ck_assert_ptr_nonnull(f);
    jwrite_init(&w, f, base, ascii, d, "the test");
    fill(&w, arg);
    *st = jwrite_done(&w);
    /* A failure, and only a failure, says why. */
    ck_assert_uint_eq(pc_diags_errors(d), *st == PC_EINVALID ? 1 : 0);
    pc_diags_free(d);
    ck_assert_int_eq(fclose(f), 0);
    return buf;
}

static void
jw_fill_str(struct jwrite *w, const void *s)
{
    jwrite_str(w, NULL, s);
}

/* A string is written exactly as jansson dumps it, whether jwrite passes
 * it on as it is or has jansson escape it: every byte alone, then every
 * byte amid plain text, in both modes (ASCII-only or not). */
START_TEST(test_jwrite_strings)
{
    static const char *const more[] = {
        "",
        "plain text",
        "a \"quote\"",
        "back\\slash",
        "tab\there",
        "line\nbreak",
        "\x7f del",
        "caf\xc3\xa9",
        "\xc2\xa7 2.1 \xe2\x80\x99",
        "\xf0\x9f\x98\x80 emoji",
        "\xe2\x80\xae bidi override",
        "a/b </script>",
    };
    char s[8];

    for (int ascii = 0; ascii < 2; ascii++) {
        for (int b = 1; b < 256 + (int)(sizeof more / sizeof *more); b++) {
            const char *in = s;
            json_t *v;
            char *want, *got;
            pc_status st;

            if (b < 256)
                snprintf(s, sizeof s, b % 2 ? "%c" : "x%cy", b);
            else
                in = more[b - 256];
            v = json_string(in);
            if (v == NULL) { /* a lone byte >= 0x80 is not UTF-8 */
                got = jw_capture(jw_fill_str, in, 0, ascii, &st);
                ck_assert_msg(st == PC_EINVALID, "byte %d accepted", b);
                free(got);
                continue;
            }
            want = json_dumps(v, JSON_ENCODE_ANY |
                                     (ascii ? JSON_ENSURE_ASCII : 0));
            got = jw_capture(jw_fill_str, in, 0, ascii, &st);
            ck_assert_int_eq(st, PC_OK);
            ck_assert_msg(strcmp(got, want) == 0,
                          "byte %d, ascii %d: jwrite %s, jansson %s", b, ascii,
                          got, want);
            free(got);
            free(want);
            json_decref(v);
        }
    }
}
END_TEST

/* {"a": 1, "b": [], "c": {}, "d": [null, true, {"e": "f"}], "g": false,
 * "h": [[1, 2], {"i": [3]}]}, made by jwrite. */
static void
jw_fill_doc(struct jwrite *w, const void *unused)
{
    (void)unused;
    jwrite_object(w, NULL);
    jwrite_int(w, "a", 1);
    jwrite_array(w, "b");
    jwrite_end(w);
    jwrite_object(w, "c");
    jwrite_end(w);
    jwrite_array(w, "d");
    jwrite_null(w, NULL);
    jwrite_bool(w, NULL, true);
    jwrite_object(w, NULL);
    jwrite_str(w, "e", "f");
    jwrite_end(w);
    jwrite_end(w);
    jwrite_bool(w, "g", false);
    jwrite_array(w, "h");
    jwrite_array(w, NULL);
    jwrite_int(w, NULL, 1);
    jwrite_line(w, NULL, 2);
    jwrite_end(w);
    jwrite_object(w, NULL);
    jwrite_array(w, "i");
    jwrite_int(w, NULL, 3);
    jwrite_end(w);
    jwrite_line(w, "j", 0);
    jwrite_str(w, "k", NULL);
    jwrite_str_opt(w, "l", NULL);
    jwrite_end(w);
    jwrite_end(w);
    jwrite_end(w);
}

/* The layout is jansson's JSON_INDENT(2), at the top and at a depth. */
START_TEST(test_jwrite_layout)
{
    json_t *doc = json_loads(
        "{\"a\": 1, \"b\": [], \"c\": {}, \"d\": [null, true, {\"e\": "
        "\"f\"}], \"g\": false, \"h\": [[1, 2], {\"i\": [3], \"j\": null, "
        "\"k\": null}]}",
        0, NULL);
    char *want, *got, *deep;
    pc_status st;

    ck_assert_ptr_nonnull(doc);
    want = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    got = jw_capture(jw_fill_doc, NULL, 0, false, &st);
    ck_assert_int_eq(st, PC_OK);
    ck_assert_str_eq(got, want);
    free(got);
    /* Two levels in, every line after the first is four spaces deeper. */
    got = jw_capture(jw_fill_doc, NULL, 2, false, &st);
    ck_assert_int_eq(st, PC_OK);
    deep = want;
    for (const char *p = got; *p != '\0'; p++, deep++) {
        ck_assert_int_eq(*p, *deep);
        if (*p == '\n') {
            ck_assert(strncmp(p + 1, "    ", 4) == 0);
            p += 4;
        }
    }
    ck_assert_int_eq(*deep, '\0');
    free(got);
    free(want);
    json_decref(doc);
}
END_TEST

/* ------------------------------------------------------------ write errors */

static const char *const all_formats[] = { "text",  "json",   "sarif",
                                           "junit", "github", "markdown" };

static void
assert_eio(const char *format, const pc_results *r, const char *why)
{
    pc_diags *d = pc_diags_new();
    FILE *f = fopen("/dev/full", "w");
    const struct pc_diag *g;
    char want[64];

    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(report_write(format, &meta, r, NULL, f, d), PC_EIO);
    ck_assert_uint_eq(pc_diags_errors(d), 1);
    g = pc_diags_get(d, 0);
    snprintf(want, sizeof want, "cannot write the %s report: ", format);
    ck_assert_ptr_nonnull(strstr(g->message, want));
    ck_assert_ptr_nonnull(strstr(g->message, why));
    fclose(f);
    pc_diags_free(d);
}

/* A short report sits in the stdio buffer: the failure shows at the
 * flush, and must not be left for the caller's fclose to find. */
START_TEST(test_write_full_short)
{
    pc_results *r = sample_results();

    assert_eio(all_formats[_i], r, strerror(ENOSPC));
    pc_results_free(r);
}
END_TEST

/* A long one fails mid-walk, and the walk stops there. */
START_TEST(test_write_full_long)
{
    pc_results *r = counted_results(1, 2000, 0, 0);

    assert_eio(all_formats[_i], r, strerror(ENOSPC));
    pc_results_free(r);
}
END_TEST

/* A stream that cannot be written at all. */
START_TEST(test_write_readonly)
{
    pc_results *r = sample_results();
    pc_diags *d = pc_diags_new();
    FILE *f = fopen("/dev/null", "r");

    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(report_write(all_formats[_i], &meta, r, NULL, f, d),
                     PC_EIO);
    ck_assert_uint_eq(pc_diags_errors(d), 1);
    fclose(f);
    pc_diags_free(d);
    pc_results_free(r);
}
END_TEST

/* ------------------------------------------------------------ suppressed */

/* Two findings, one of them waived and one known from a baseline, and a
 * third that counts. */
static pc_results *
suppressed_results(void)
{
    static const struct pc_suppression waiver = {
        .kind = "waiver",
        .reason = "moves to Billing Settings in PAY-212",
        .approved_by = "dana@example.com",
        .expires = "2027-03-31",
        .file = "waivers.xml",
        .line = 3,
    };
    static const struct pc_suppression known = { .kind = "baseline" };
    pc_results *r = sample_results();

    for (size_t i = 0; i < pc_results_count(r); i++) {
        const char *rule = pc_results_get(r, i)->rule;

        if (strcmp(rule, "SEN-001") == 0)
            ck_assert_int_eq(results_suppress(r, i, &waiver), PC_OK);
        if (strcmp(rule, "APP-009") == 0)
            ck_assert_int_eq(results_suppress(r, i, &known), PC_OK);
    }
    /* A second reason does not replace the first. */
    for (size_t i = 0; i < pc_results_count(r); i++)
        if (strcmp(pc_results_get(r, i)->rule, "SEN-001") == 0)
            ck_assert_int_eq(results_suppress(r, i, &known), PC_OK);
    return r;
}

START_TEST(test_suppressed_counts)
{
    pc_results *r = suppressed_results();

    /* Neither counts towards --fail-on. */
    ck_assert_uint_eq(pc_results_at_least(r, PC_SEV_NOTE), 1);
    ck_assert_uint_eq(pc_results_at_least(r, PC_SEV_ERROR), 0);
    pc_results_free(r);
}
END_TEST

START_TEST(test_suppressed_json)
{
    static const char *const sup_keys[] = { "kind",    "reason", "approved_by",
                                            "expires", "file",   "line" };
    pc_results *r = suppressed_results();
    char *out = render_ok("json", r, false);
    json_t *j = parse(out), *list = json_object_get(j, "findings"), *counts;
    size_t seen = 0;

    for (size_t i = 0; i < json_array_size(list); i++) {
        json_t *f = json_array_get(list, i), *s;
        const char *id = json_string_value(json_object_get(f, "id"));

        s = json_object_get(f, "suppression");
        if (strcmp(id, "SEN-001") == 0) {
            ck_assert(json_is_true(json_object_get(f, "suppressed")));
            assert_keys(s, sup_keys, NELEM(sup_keys));
            assert_str(s, "kind", "waiver");
            assert_str(s, "reason", "moves to Billing Settings in PAY-212");
            assert_str(s, "approved_by", "dana@example.com");
            assert_str(s, "expires", "2027-03-31");
            assert_str(s, "file", "waivers.xml");
            assert_int(s, "line", 3);
            seen++;
        } else if (strcmp(id, "APP-009") == 0) {
            ck_assert(json_is_true(json_object_get(f, "suppressed")));
            assert_str(s, "kind", "baseline");
            assert_str(s, "reason", NULL);
            ck_assert(json_is_null(json_object_get(s, "line")));
            seen++;
        } else {
            ck_assert(json_is_false(json_object_get(f, "suppressed")));
            ck_assert(json_is_null(s));
        }
    }
    ck_assert_uint_eq(seen, 2);
    counts = json_object_get(j, "counts");
    assert_int(counts, "error", 0);
    assert_int(counts, "warning", 1);
    assert_int(counts, "note", 0);
    assert_int(counts, "suppressed", 2);
    assert_int(counts, "total", 3);
    json_decref(j);
    free(out);
    pc_results_free(r);
}
END_TEST

/* Text: the suppressed ones are one line each, not in the compiler's
 * format, with why; the summary counts what counts. */
START_TEST(test_suppressed_text)
{
    pc_results *r = suppressed_results();
    char *out = render_ok("text", r, false);

    ck_assert_ptr_nonnull(
        strstr(out, "fixtures/serene-web.xml:14: waived: [SEN-001] (error) "
                    "SSN collected by flow 'signup'"));
    ck_assert_ptr_nonnull(
        strstr(out, "    waiver: \"moves to Billing Settings in PAY-212\", "
                    "approved by dana@example.com, until 2027-03-31 "
                    "(waivers.xml:3)\n"));
    ck_assert_ptr_nonnull(
        strstr(out, "fixtures/other.xml: known: [APP-009] (note) "));
    ck_assert_ptr_null(strstr(out, ": error: [SEN-001]"));
    ck_assert_ptr_nonnull(strstr(out, "privcheck: 2 manifests, 0 errors, 1 "
                                      "warning, 0 notes, 1 waived\n"));
    free(out);
    pc_results_free(r);
}
END_TEST

/* Every other format says so too. */
START_TEST(test_suppressed_formats)
{
    pc_results *r = suppressed_results();
    char *sarif = render_ok("sarif", r, false);
    char *junit = render_ok("junit", r, false);
    char *gh = render_ok("github", r, false);
    char *md = render_ok("markdown", r, false);

    ck_assert_ptr_nonnull(strstr(sarif, "\"suppressions\": ["));
    ck_assert_ptr_nonnull(strstr(sarif, "\"kind\": \"external\""));
    ck_assert_ptr_nonnull(
        strstr(sarif, "\"justification\": \"moves to Billing Settings"));
    ck_assert_ptr_nonnull(
        strstr(sarif, "\"approvedBy\": \"dana@example.com\""));
    ck_assert_ptr_nonnull(
        strstr(junit, "<skipped message=\"waived until 2027-03-31, approved by "
                      "dana@example.com: moves to Billing Settings"));
    ck_assert_ptr_nonnull(
        strstr(junit, "<skipped message=\"known: in the baseline"));
    ck_assert_ptr_nonnull(strstr(gh, "::notice file=fixtures/serene-web.xml,"
                                     "line=14,title=waived%3A SEN-001 "));
    ck_assert_ptr_null(strstr(gh, "APP-009"));
    ck_assert_ptr_nonnull(strstr(gh, ", 1 waived, 1 known from the baseline"));
    ck_assert_ptr_nonnull(strstr(md, "<details><summary>1 suppressed finding"));
    ck_assert_ptr_nonnull(strstr(md, "**Waived** until 2027-03-31"));
    ck_assert_ptr_nonnull(strstr(md, "**Known**: in the baseline"));
    ck_assert_ptr_nonnull(strstr(md, "## \xe2\x9c\x85 privcheck: passed"));
    free(sarif);
    free(junit);
    free(gh);
    free(md);
    pc_results_free(r);
}
END_TEST

/* ------------------------------------------------------------ baseline */

/* The sample with a baseline: SEN-001 known, SEC-002 and APP-009 new, and
 * one finding of the baseline gone. */
static pc_results *
baseline_results(void)
{
    static const struct pc_baseline_info info = {
        .file = "prior.json",
        .sha256 =
            "4444444444444444444444444444444444444444444444444444444444444444",
        .policy_sha256 =
            "1111111111111111111111111111111111111111111111111111111111111111",
        .rules_sha256 =
            "5555555555555555555555555555555555555555555555555555555555555555",
        .same_policy = true,
        .same_rules = false,
    };
    static const struct pc_suppression known = { .kind = "baseline" };
    struct pc_finding gone = {
        .rule = "RET-002",
        .severity = PC_SEV_ERROR,
        .title = "Indefinite retention",
        .message = "store 'logs' keeps data \033[2J indefinitely",
        .file = "fixtures/serene-web.xml",
        .line = 30,
        .object = "keep[logs]",
        .application = "serene-web",
        .fingerprint = "00000000000000aa",
    };
    pc_results *r = sample_results();

    for (size_t i = 0; i < pc_results_count(r); i++) {
        bool seen = strcmp(pc_results_get(r, i)->rule, "SEN-001") == 0;

        ck_assert_int_eq(results_mark(r, i, seen ? "unchanged" : "new"), PC_OK);
        if (seen)
            ck_assert_int_eq(results_suppress(r, i, &known), PC_OK);
    }
    ck_assert_int_eq(results_add_absent(r, &gone), PC_OK);
    ck_assert_int_eq(results_set_baseline(r, &info), PC_OK);
    return r;
}

START_TEST(test_baseline_formats)
{
    pc_results *r = baseline_results();
    char *text = render_ok("text", r, false);
    char *json = render_ok("json", r, false);
    char *sarif = render_ok("sarif", r, false);
    char *md = render_ok("markdown", r, false);
    json_t *j = parse(json), *b = json_object_get(j, "baseline"), *a;

    /* Text: the summary, the fixed one, escaped. */
    ck_assert_ptr_nonnull(strstr(text, "; 2 new, 1 unchanged, 1 fixed\n"));
    ck_assert_ptr_nonnull(
        strstr(text, "fixed: fixtures/serene-web.xml:30: [RET-002] store "
                     "'logs' keeps data \\x1b[2J indefinitely\n"));
    ck_assert_ptr_nonnull(strstr(text, ":14: known: [SEN-001] (error) "));
    /* JSON: the baseline object, the states, the absent list. */
    assert_str(b, "file", "prior.json");
    ck_assert(json_is_true(json_object_get(b, "same_policy")));
    ck_assert(json_is_false(json_object_get(b, "same_rules")));
    assert_int(b, "new", 2);
    assert_int(b, "unchanged", 1);
    assert_int(b, "absent", 1);
    a = json_array_get(json_object_get(j, "absent"), 0);
    assert_str(a, "id", "RET-002");
    assert_str(a, "fingerprint", "00000000000000aa");
    assert_int(a, "line", 30);
    ck_assert_uint_eq(json_array_size(json_object_get(j, "absent")), 1);
    for (size_t i = 0; i < 3; i++) {
        json_t *f = json_array_get(json_object_get(j, "findings"), i);
        bool seen =
            strcmp(json_string_value(json_object_get(f, "id")), "SEN-001") == 0;

        assert_str(f, "baseline", seen ? "unchanged" : "new");
        ck_assert(json_is_true(json_object_get(f, "suppressed")) == seen);
    }
    /* SARIF: baselineState, and the absent one passes now. */
    ck_assert_ptr_nonnull(strstr(sarif, "\"baselineState\": \"unchanged\""));
    ck_assert_ptr_nonnull(strstr(sarif, "\"baselineState\": \"new\""));
    ck_assert_ptr_nonnull(strstr(sarif, "\"baselineState\": \"absent\""));
    ck_assert_ptr_nonnull(strstr(sarif, "\"kind\": \"pass\""));
    /* Markdown: the counts and the fixed one. */
    ck_assert_ptr_nonnull(strstr(md, "Since the baseline: **2 new**, 1 "
                                     "unchanged, 1 fixed"));
    ck_assert_ptr_nonnull(strstr(md, "### Fixed since the baseline"));
    ck_assert_ptr_nonnull(strstr(md, "| RET-002 | store 'logs' keeps data "
                                     "\\\\x1b\\[2J indefinitely |"));
    json_decref(j);
    free(text);
    free(json);
    free(sarif);
    free(md);
    pc_results_free(r);
}
END_TEST

/* ------------------------------------------------------------ hostile */

static pc_results *
evil_results(void)
{
    static const struct pc_manifest_info mi = {
        .file = "dir/a b:c%,d.xml",
        .application = EVIL,
        .version = EVIL,
        .path = "dir/a b:c%,d.xml",
    };
    pc_results *r = pc_results_new();
    struct pc_finding second = finding_evil;

    ck_assert_ptr_nonnull(r);
    second.fingerprint = "fedcba9876543210";
    second.line = 4;
    ck_assert_int_eq(results_add_manifest(r, &mi), PC_OK);
    ck_assert_int_eq(results_add(r, &finding_evil), PC_OK);
    ck_assert_int_eq(results_add(r, &second), PC_OK);
    pc_results_sort(r);
    return r;
}

/* No format lets the raw ESC or bidi override through, nor the newline
 * that starts a forged line. */
static void
assert_no_raw(const char *out)
{
    ck_assert_ptr_null(strchr(out, '\033'));
    ck_assert_ptr_null(strstr(out, "\xe2\x80\xae"));
    ck_assert_ptr_null(strstr(out, "\nfake.xml:1: error: forged"));
}

/* SARIF: JSON escapes, so every string comes back byte for byte. */
START_TEST(test_sarif_hostile)
{
    pc_results *r = evil_results();
    char *out = render_ok("sarif", r, false);
    json_error_t err;
    json_t *j = json_loads(out, 0, &err), *res, *loc;

    ck_assert_msg(j != NULL, "not JSON: %s", err.text);
    assert_no_raw(out);
    res = json_array_get(
        json_object_get(json_array_get(json_object_get(j, "runs"), 0),
                        "results"),
        0);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(res, "message"), "text")),
                     EVIL);
    loc = json_object_get(
        json_object_get(json_array_get(json_object_get(res, "locations"), 0),
                        "physicalLocation"),
        "artifactLocation");
    /* A URI reference: the space, ':', '%' and ',' are percent-encoded. */
    ck_assert_str_eq(json_string_value(json_object_get(loc, "uri")),
                     "dir/a%20b%3Ac%25%2Cd.xml");
    ck_assert_str_eq(json_string_value(json_object_get(loc, "uriBaseId")),
                     "%SRCROOT%");
    /* The rule's Markdown help cannot inject HTML (the plain texts are
     * text, and consumers show them as such). */
    {
        json_t *rule = json_array_get(
            json_object_get(
                json_object_get(
                    json_object_get(
                        json_array_get(json_object_get(j, "runs"), 0), "tool"),
                    "driver"),
                "rules"),
            0);
        const char *md = json_string_value(
            json_object_get(json_object_get(rule, "help"), "markdown"));

        ck_assert_ptr_nonnull(md);
        ck_assert_ptr_null(strstr(md, "<script>"));
        ck_assert_ptr_nonnull(strstr(md, "&lt;script&gt;"));
        ck_assert_ptr_null(strstr(md, "\n\nfake.xml"));
    }
    json_decref(j);
    free(out);
    pc_results_free(r);
}
END_TEST

/* JUnit: well-formed XML whatever the strings; what XML cannot carry is
 * \xNN, the rest comes back as written. */
START_TEST(test_junit_hostile)
{
    pc_results *r = evil_results();
    char *out = render_ok("junit", r, false);
    xmlDoc *doc = xmlReadMemory(out, (int)strlen(out), "junit.xml", "UTF-8",
                                XML_PARSE_NONET | XML_PARSE_NOERROR);
    xmlNode *root, *suite, *tc, *fl;
    xmlChar *msg;

    ck_assert_msg(doc != NULL, "not well-formed XML:\n%s", out);
    assert_no_raw(out);
    ck_assert_ptr_null(strstr(out, "<script>"));
    root = xmlDocGetRootElement(doc);
    ck_assert_str_eq((const char *)root->name, "testsuites");
    suite = xmlFirstElementChild(root);
    ck_assert_str_eq((const char *)suite->name, "testsuite");
    tc = xmlLastElementChild(suite);
    ck_assert_str_eq((const char *)tc->name, "testcase");
    fl = xmlFirstElementChild(tc);
    ck_assert_str_eq((const char *)fl->name, "failure");
    msg = xmlGetProp(fl, BAD_CAST "message");
    /* The newline and the bidi override as the text report shows them:
     * a log viewer must not start a forged line. */
    ck_assert_str_eq((const char *)msg,
                     "<script>alert(\"x\")</script> ]]> 100% ::error "
                     "file=x,line=1::forged | *b* `c` [l](u) &amp; "
                     "\\x1b[2J \\xe2\\x80\\xae\\x0afake.xml:1: error: forged");
    xmlFree(msg);
    xmlFreeDoc(doc);
    free(out);
    pc_results_free(r);
}
END_TEST

/* GitHub: one command per line, each a command; the message's newline,
 * '%' and the property separators are encoded, so the forged ::error
 * stays inside the message. */
START_TEST(test_github_hostile)
{
    pc_results *r = evil_results();
    char *out = render_ok("github", r, false);
    size_t lines = 0;

    assert_no_raw(out);
    for (const char *p = out; *p != '\0'; p = strchr(p, '\n') + 1) {
        ck_assert_msg(strncmp(p, "::error ", 8) == 0 ||
                          strncmp(p, "::notice ", 9) == 0,
                      "not a command: %.60s", p);
        lines++;
    }
    ck_assert_uint_eq(lines, 3);
    /* The file property: ':' and ',' and '%' encoded. */
    ck_assert_ptr_nonnull(
        strstr(out, "::error file=dir/a b%3Ac%25%2Cd.xml,line=3,title="));
    /* In the title, the forged command's separators are encoded... */
    ck_assert_ptr_nonnull(strstr(out, "100%25 %3A%3Aerror file=x%2Cline=1%3A%3A"
                                      "forged"));
    /* ... and in the message the newline is. */
    ck_assert_ptr_nonnull(strstr(out, "\\xe2\\x80\\xae%0Afake.xml:1: error"));
    ck_assert_ptr_nonnull(strstr(out, "\\x1b[2J"));
    free(out);
    pc_results_free(r);
}
END_TEST

/* Markdown: no HTML, no table break, no emphasis, no raw control. */
START_TEST(test_markdown_hostile)
{
    pc_results *r = evil_results();
    char *out = render_ok("markdown", r, false);
    const char *row;
    size_t pipes = 0;

    assert_no_raw(out);
    ck_assert_ptr_null(strstr(out, "<script>"));
    ck_assert_ptr_null(strstr(out, "*b*"));
    ck_assert_ptr_null(strstr(out, "[l]("));
    ck_assert_ptr_nonnull(strstr(out, "&lt;script&gt;"));
    ck_assert_ptr_nonnull(strstr(out, "&#124; \\*b\\* \\`c\\` \\[l\\](u) "
                                      "&amp;amp; \\\\x1b\\[2J"));
    /* Each finding is one table row of six cells. */
    row = strstr(out, "\n| flow");
    ck_assert_ptr_nonnull(row);
    for (const char *p = row + 1; *p != '\n'; p++)
        pipes += *p == '|';
    ck_assert_uint_eq(pipes, 7);
    free(out);
    pc_results_free(r);
}
END_TEST

/* ------------------------------------------------------------ suite */

/* Three findings about one flow (two on a field of it), one about another
 * flow, and one about the same flow id in another manifest. */
static pc_results *
grouped_results(void)
{
    static const struct pc_finding base = {
        .severity = PC_SEV_ERROR,
        .file = "a.xml",
        .application = "app",
    };
    static const struct {
        const char *rule, *title, *object, *group, *fp, *file;
        unsigned line;
    } g[] = {
        { "SHR-001", "Sale", "flow[sell]", "flow[sell]", "f1", "a.xml", 10 },
        { "PUR-002", "Purpose", "flow[sell]/field[r]", "flow[sell]", "f2",
          "a.xml", 11 },
        { "SHR-005", "Ads", "flow[sell]/field[r]", "flow[sell]", "f3", "a.xml",
          11 },
        { "SEC-002", "Old TLS", "flow[other]", "flow[other]", "f4", "a.xml",
          20 },
        { "SHR-001", "Sale", "flow[sell]", "flow[sell]", "f5", "b.xml", 10 },
    };
    pc_results *r = pc_results_new();

    ck_assert_ptr_nonnull(r);
    for (size_t i = 0; i < NELEM(g); i++) {
        struct pc_finding f = base;

        f.rule = g[i].rule;
        f.title = g[i].title;
        f.message = g[i].title;
        f.object = g[i].object;
        f.group = g[i].group;
        f.fingerprint = g[i].fp;
        f.file = g[i].file;
        f.line = g[i].line;
        ck_assert_int_eq(results_add(r, &f), PC_OK);
    }
    pc_results_sort(r);
    return r;
}

START_TEST(test_text_groups)
{
    pc_results *r = grouped_results();
    char *out = render_ok("text", r, false);

    /* The group's first finding in full, the rest on its also: line; the
     * other flow and the other manifest's flow stand alone. */
    ck_assert_str_eq(out, "a.xml:10: error: [SHR-001] Sale\n"
                          "    also: PUR-002 at line 11 [Purpose], SHR-005 "
                          "at line 11 [Ads]\n"
                          "a.xml:20: error: [SEC-002] Old TLS\n"
                          "b.xml:10: error: [SHR-001] Sale\n"
                          "privcheck: 0 manifests, 5 errors, 0 warnings, 0 "
                          "notes\n");
    free(out);
    pc_results_free(r);
}
END_TEST

/* One element with twelve findings: the also: line names eight and
 * counts the rest. */
START_TEST(test_text_groups_capped)
{
    pc_results *r = pc_results_new();
    char rules[12][8], *out;

    ck_assert_ptr_nonnull(r);
    for (int i = 0; i < 12; i++) {
        struct pc_finding f = {
            .severity = PC_SEV_ERROR,
            .title = "t",
            .message = "m",
            .file = "a.xml",
            .line = 3,
            .object = "flow[x]",
            .group = "flow[x]",
            .fingerprint = "fp",
        };

        snprintf(rules[i], sizeof rules[i], "R-%03d", i);
        f.rule = rules[i];
        ck_assert_int_eq(results_add(r, &f), PC_OK);
    }
    pc_results_sort(r);
    out = render_ok("text", r, false);
    ck_assert_str_eq(out, "a.xml:3: error: [R-000] m\n"
                          "    also: R-001 [m], R-002 [m], R-003 [m], R-004 "
                          "[m], R-005 [m], R-006 [m], R-007 [m], R-008 [m], "
                          "and 3 more (--format json lists them)\n"
                          "privcheck: 0 manifests, 12 errors, 0 warnings, 0 "
                          "notes\n");
    free(out);
    pc_results_free(r);
}
END_TEST

START_TEST(test_json_related)
{
    pc_results *r = grouped_results();
    char *out = render_ok("json", r, false);
    json_error_t err;
    json_t *doc = json_loads(out, 0, &err), *fs;
    static const char *const want[][3] = {
        { "f1", "f2", "f3" }, { "f2", "f1", "f3" }, { "f3", "f1", "f2" },
        { "f4", NULL, NULL }, { "f5", NULL, NULL },
    };

    ck_assert_ptr_nonnull(doc);
    fs = json_object_get(doc, "findings");
    ck_assert_uint_eq(json_array_size(fs), NELEM(want));
    for (size_t i = 0; i < NELEM(want); i++) {
        json_t *f = json_array_get(fs, i);
        json_t *rel = json_object_get(f, "related");
        size_t nwant = want[i][1] == NULL ? 0 : 2;

        assert_str(f, "fingerprint", want[i][0]);
        ck_assert(json_is_array(rel));
        ck_assert_uint_eq(json_array_size(rel), nwant);
        for (size_t k = 0; k < nwant; k++)
            ck_assert_str_eq(json_string_value(json_array_get(rel, k)),
                             want[i][k + 1]);
    }
    json_decref(doc);
    free(out);
    pc_results_free(r);
}
END_TEST

static Suite *
report_suite(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("table");

    tcase_add_test(tc, test_formats_known);
    tcase_add_test(tc, test_unknown_format);
    suite_add_tcase(s, tc);

    tc = tcase_create("text");
    tcase_add_test(tc, test_text_exact);
    tcase_add_test(tc, test_text_default_options);
    tcase_add_test(tc, test_text_color);
    tcase_add_loop_test(tc, test_text_summary, 0, NELEM(summaries));
    tcase_add_test(tc, test_text_escapes_everything);
    tcase_add_test(tc, test_text_missing_fields);
    tcase_add_test(tc, test_text_groups);
    tcase_add_test(tc, test_text_groups_capped);
    suite_add_tcase(s, tc);

    tc = tcase_create("json");
    tcase_add_test(tc, test_json_fields);
    tcase_add_test(tc, test_json_empty);
    tcase_add_test(tc, test_json_null_meta);
    tcase_add_test(tc, test_json_counts);
    tcase_add_test(tc, test_json_bad_utf8);
    tcase_add_test(tc, test_json_oom);
    tcase_add_test(tc, test_json_golden);
    tcase_add_test(tc, test_json_related);
    tcase_add_test(tc, test_jwrite_strings);
    tcase_add_test(tc, test_jwrite_layout);
    suite_add_tcase(s, tc);

    tc = tcase_create("io");
    tcase_add_test(tc, test_suppressed_counts);
    tcase_add_test(tc, test_suppressed_json);
    tcase_add_test(tc, test_suppressed_text);
    tcase_add_test(tc, test_suppressed_formats);
    tcase_add_test(tc, test_baseline_formats);
    tcase_add_test(tc, test_sarif_hostile);
    tcase_add_test(tc, test_junit_hostile);
    tcase_add_test(tc, test_github_hostile);
    tcase_add_test(tc, test_markdown_hostile);
    tcase_add_loop_test(tc, test_write_full_short, 0, NELEM(all_formats));
    tcase_add_loop_test(tc, test_write_full_long, 0, NELEM(all_formats));
    tcase_add_loop_test(tc, test_write_readonly, 0, NELEM(all_formats));
    suite_add_tcase(s, tc);
    return s;
}

int
main(void)
{
    SRunner *sr = srunner_create(report_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
