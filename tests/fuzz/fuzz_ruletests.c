/* fuzz_ruletests.c - libFuzzer target for the rule tests reader: the
 * bytes are a NAME.tests.xml file, the only one of a tests directory, run
 * as `privcheck rules test` would with the real engine
 * (pc_rule_tests_run, rules/ruletests.rng). The directory sits at
 * rules/tests/ of a scratch tree whose fixtures/ is the source tree's, so
 * the paths the repository's tests use ("../../fixtures/...") resolve.
 * Checks that nothing crashes or leaks, that a run that could not
 * complete says why, and that the summary is terminal-safe. */
#include "privcheck.h"

#include "fuzz_dir.h"

static pc_engine *engine;
static const char *dir;
static char *schema;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char link[4200];
    char *fixtures = fuzz_path("fixtures");

    (void)argc;
    (void)argv;
    engine = fuzz_load_engine();
    schema = fuzz_path("rules/ruletests.rng");
    dir = fuzz_dir_init("rules/tests", "fuzz.tests.xml");
    snprintf(link, sizeof link, "%s/fixtures", fuzz_dir_top);
    if (symlink(fixtures, link) != 0)
        FUZZ_DIE("symlink %s: %s", link, strerror(errno));
    free(fixtures);
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pc_rule_test_options opt = { 0 };
    size_t failed = 0, len = 0;
    char *buf = NULL;
    FILE *out;
    pc_diags *d;
    pc_status st;

    fuzz_dir_write(data, size);
    if ((d = pc_diags_new()) == NULL ||
        (out = open_memstream(&buf, &len)) == NULL)
        FUZZ_DIE("out of memory");
    opt.dir = dir;
    opt.schema = schema;
    /* Coverage on half the inputs, by the first byte: both paths run. */
    opt.coverage = size > 0 && (data[0] & 1);
    st = pc_rule_tests_run(engine, &opt, out, d, &failed);
    fclose(out);
    fuzz_check_all_diags(d);
    if (st != PC_OK)
        FUZZ_ASSERT(st == PC_ENOMEM || pc_diags_errors(d) > 0);
    FUZZ_ASSERT(fuzz_terminal_unsafe(buf, len) == SIZE_MAX);
    free(buf);
    pc_diags_free(d);
    return 0;
}
