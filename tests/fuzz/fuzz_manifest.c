/* fuzz_manifest.c - libFuzzer target for the whole audit path: the bytes
 * are a manifest, read by the hardened reader (pre-scan, streaming parse,
 * RELAX NG validation) and evaluated by every real rule of the source
 * tree's policy, then reported as text and JSON. Checks that nothing
 * crashes or leaks, that a failed audit says why and leaves no findings,
 * that a clean one reports no error, and that the reports are
 * terminal-safe text and well-formed JSON. */
#include "privcheck.h"

#include "fuzz.h"

#include <jansson.h>

static pc_engine *engine;

static void
fuzz_manifest_init(void)
{
    engine = fuzz_load_engine();
}

/* Audit one small manifest so that what the first audit sets up for good
 * (the compiled manifest schema, the JIT stack) is not charged to the
 * first input. */
static void
fuzz_manifest_warm_up(void)
{
    static const char warm[] =
        "<application xmlns=\"urn:privcheck:manifest:1\" name=\"w\" "
        "version=\"1\"><flows><flow id=\"f\" source=\"web\" "
        "collection=\"direct\" purpose=\"account\" to=\"x\">"
        "<field name=\"email\"/></flow></flows></application>";
    const char *path = fuzz_file_write((const uint8_t *)warm, sizeof warm - 1);
    pc_results *r = pc_results_new();
    pc_diags *d = pc_diags_new();

    if (r == NULL || d == NULL)
        FUZZ_DIE("out of memory");
    (void)pc_audit(engine, path, NULL, d, r);
    pc_results_free(r);
    pc_diags_free(d);
}

/* Write a report into memory; the caller frees *buf. */
static pc_status
fuzz_report(const char *format, const pc_results *r, pc_diags *d, char **buf,
            size_t *len)
{
    struct pc_report_options opt = { false };
    FILE *f = open_memstream(buf, len);
    pc_status st;

    if (f == NULL)
        FUZZ_DIE("open_memstream failed");
    st = pc_report_write(format, engine, r, &opt, f, d);
    fclose(f);
    return st;
}

static void
fuzz_reports(const pc_results *r, pc_diags *d)
{
    char *text = NULL, *json = NULL;
    size_t tlen = 0, jlen = 0, bad;
    json_error_t err;
    json_t *doc;

    FUZZ_ASSERT(fuzz_report("text", r, d, &text, &tlen) == PC_OK);
    bad = fuzz_terminal_unsafe(text, tlen);
    if (bad != SIZE_MAX)
        fprintf(stderr, "fuzz: text report: unescaped byte 0x%02x at %zu\n",
                (unsigned char)text[bad], bad);
    FUZZ_ASSERT(bad == SIZE_MAX);

    FUZZ_ASSERT(fuzz_report("json", r, d, &json, &jlen) == PC_OK);
    doc = json_loadb(json, jlen, JSON_REJECT_DUPLICATES, &err);
    if (doc == NULL)
        fprintf(stderr, "fuzz: JSON report does not parse: %s (line %d)\n",
                err.text, err.line);
    FUZZ_ASSERT(doc != NULL);
    json_decref(doc);
    free(text);
    free(json);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Load once, before the first input: what is loaded here is not counted
 * against an input by libFuzzer's leak check. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_manifest_init();
    fuzz_manifest_warm_up();
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path;
    pc_results *r;
    pc_diags *d;
    pc_status st;

    path = fuzz_file_write(data, size);
    r = pc_results_new();
    d = pc_diags_new();
    if (r == NULL || d == NULL)
        FUZZ_DIE("out of memory");

    st = pc_audit(engine, path, NULL, d, r);
    fuzz_check_all_diags(d);
    if (st != PC_OK) {
        /* Fail closed: a manifest that was not audited says why, and
         * leaves nothing that could be reported as its results. */
        FUZZ_ASSERT(st == PC_ENOMEM || pc_diags_errors(d) > 0);
        FUZZ_ASSERT(pc_results_count(r) == 0);
        FUZZ_ASSERT(pc_results_manifest_count(r) == 0);
    } else {
        /* Audited: exactly this manifest, and no error was swallowed
         * (the CLI would print it and still exit as if it passed). */
        FUZZ_ASSERT(pc_diags_errors(d) == 0);
        FUZZ_ASSERT(pc_results_manifest_count(r) == 1);
        pc_results_sort(r);
        for (size_t i = 0; i < pc_results_count(r); i++) {
            const struct pc_finding *f = pc_results_get(r, i);

            FUZZ_ASSERT(f != NULL && f->rule != NULL && f->message != NULL);
            FUZZ_ASSERT(pc_engine_rule_find(engine, f->rule) != NULL);
        }
        fuzz_reports(r, d);
    }
    pc_results_free(r);
    pc_diags_free(d);
    return 0;
}
