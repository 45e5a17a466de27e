/* fuzz_waivers.c - libFuzzer target for the waivers reader: the bytes are
 * a waivers file, read by the hardened XML reader and its schema
 * (pc_waivers_load); a file that loads is applied to a fresh audit of a
 * violating fixture, as of a fixed day, so that the rules over waivers
 * judge it; then every report format is written. Checks that nothing
 * crashes or leaks, that a refused file says why and changes nothing,
 * and that what a waiver suppresses never counts. */
#include "privcheck.h"

#include "fuzz_inputs.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_inputs_init();
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file_write(data, size);
    pc_waivers *w = pc_waivers_new();
    pc_diags *d = pc_diags_new();
    pc_status st;

    if (w == NULL || d == NULL)
        FUZZ_DIE("out of memory");
    st = pc_waivers_load(fuzz_engine, w, path, d);
    fuzz_check_all_diags(d);
    if (st != PC_OK) {
        FUZZ_ASSERT(st == PC_ENOMEM || pc_diags_errors(d) > 0);
        FUZZ_ASSERT(pc_waivers_count(w) == 0);
    } else {
        pc_results *r = fuzz_inputs_audit();
        size_t before = pc_results_count(r), counted = 0;

        FUZZ_ASSERT(pc_diags_errors(d) == 0);
        st = pc_waivers_apply(fuzz_engine, w, "2026-06-01", NULL, r, d);
        FUZZ_ASSERT(st == PC_OK || st == PC_ENOMEM);
        FUZZ_ASSERT(pc_results_count(r) >= before);
        for (size_t i = 0; i < pc_results_count(r); i++) {
            const struct pc_finding *f = pc_results_get(r, i);

            FUZZ_ASSERT(!f->suppressed || i < before);
            counted += !f->suppressed && f->severity >= PC_SEV_ERROR;
        }
        FUZZ_ASSERT(pc_results_at_least(r, PC_SEV_ERROR) == counted);
        fuzz_inputs_reports(r);
        pc_results_free(r);
    }
    pc_waivers_free(w);
    pc_diags_free(d);
    return 0;
}
