/* fuzz_baseline.c - libFuzzer target for the baseline reader: the bytes
 * are a prior JSON report, read with jansson within limits
 * (pc_baseline_load); one that loads is applied to a fresh audit of a
 * violating fixture, then every report format is written. Checks that
 * nothing crashes or leaks, that a refused file says why, and that every
 * finding ends up new or unchanged, an unchanged one suppressed. */
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
    pc_baseline *b = NULL;
    pc_diags *d = pc_diags_new();
    pc_status st;

    if (d == NULL)
        FUZZ_DIE("out of memory");
    st = pc_baseline_load(path, d, &b);
    fuzz_check_all_diags(d);
    if (st != PC_OK) {
        FUZZ_ASSERT(b == NULL);
        FUZZ_ASSERT(st == PC_ENOMEM || pc_diags_errors(d) > 0);
    } else {
        pc_results *r = fuzz_inputs_audit();

        FUZZ_ASSERT(b != NULL);
        st = pc_baseline_apply(fuzz_engine, b, r, d);
        FUZZ_ASSERT(st == PC_OK || st == PC_ENOMEM);
        if (st == PC_OK) {
            FUZZ_ASSERT(pc_results_baseline(r) != NULL);
            for (size_t i = 0; i < pc_results_count(r); i++) {
                const struct pc_finding *f = pc_results_get(r, i);

                FUZZ_ASSERT(f->baseline != NULL);
                FUZZ_ASSERT(
                    strcmp(f->baseline, "new") == 0 ||
                    (strcmp(f->baseline, "unchanged") == 0 && f->suppressed));
            }
        }
        fuzz_inputs_reports(r);
        pc_results_free(r);
        pc_baseline_free(b);
    }
    pc_diags_free(d);
    return 0;
}
