/* fuzz_inputs.h - what the targets for the gate's other inputs (waivers,
 * baselines) share: the real engine, a fresh audit of one violating
 * fixture for each input (applying waivers or a baseline changes the
 * results), and every report format written to memory and checked.
 * Header-only, like fuzz.h. */
#ifndef PC_FUZZ_INPUTS_H
#define PC_FUZZ_INPUTS_H

#include "fuzz.h"

#include <jansson.h>

static pc_engine *fuzz_engine;
static char *fuzz_fixture;

static void
fuzz_inputs_init(void)
{
    fuzz_engine = fuzz_load_engine();
    fuzz_fixture = fuzz_path("fixtures/violations/SHR-001.xml");
}

/* A fresh audit of the fixture; it must succeed. */
static pc_results *
fuzz_inputs_audit(void)
{
    pc_results *r = pc_results_new();
    pc_diags *d = pc_diags_new();

    if (r == NULL || d == NULL)
        FUZZ_DIE("out of memory");
    if (pc_audit(fuzz_engine, fuzz_fixture, NULL, d, r) != PC_OK) {
        pc_diags_print(d, stderr);
        FUZZ_DIE("cannot audit %s", fuzz_fixture);
    }
    pc_diags_free(d);
    return r;
}

/* Every format: each writes; text and Markdown are terminal-safe; JSON
 * and SARIF parse; the GitHub commands are one per line. */
static void
fuzz_inputs_reports(pc_results *r)
{
    static const char *const formats[] = { "text",  "json",   "sarif",
                                           "junit", "github", "markdown" };
    struct pc_report_options opt = { false, NULL };

    pc_results_sort(r);
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        pc_diags *d = pc_diags_new();
        char *buf = NULL;
        size_t len = 0, bad;
        FILE *f = open_memstream(&buf, &len);

        if (d == NULL || f == NULL)
            FUZZ_DIE("out of memory");
        FUZZ_ASSERT(pc_report_write(formats[i], fuzz_engine, r, &opt, f, d) ==
                    PC_OK);
        fclose(f);
        if (strcmp(formats[i], "json") == 0 ||
            strcmp(formats[i], "sarif") == 0) {
            json_error_t err;
            json_t *doc = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &err);

            FUZZ_ASSERT(doc != NULL);
            json_decref(doc);
        } else if (strcmp(formats[i], "github") == 0) {
            for (const char *p = buf; p < buf + len; p = strchr(p, '\n') + 1)
                FUZZ_ASSERT(strncmp(p, "::", 2) == 0);
        } else if (strcmp(formats[i], "junit") != 0) {
            bad = fuzz_terminal_unsafe(buf, len);
            FUZZ_ASSERT(bad == SIZE_MAX);
        }
        free(buf);
        pc_diags_free(d);
    }
}

#endif
