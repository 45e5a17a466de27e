/* fuzz_rules.c - libFuzzer target for the rules reader: the bytes are a
 * rules file, the only one of a rules directory, loaded as the engine
 * would (rules_load: schema rules/rules.rng, the real policy, manifest
 * schema and classifiers). A file that loads is then evaluated over a
 * violating fixture. Checks that nothing crashes or leaks, that a refused
 * file or a failed evaluation says why, and that findings are whole. */
#include "privcheck.h"

#include "classify.h"
#include "engine.h"
#include "eval.h"
#include "rule.h"

#include "fuzz_dir.h"

static pc_engine *engine;
static struct eval_engine base;
static const char *dir;
static char *schema, *fixture;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    engine = fuzz_load_engine();
    engine_eval_engine(engine, &base);
    schema = fuzz_path("rules/rules.rng");
    fixture = fuzz_path("fixtures/violations/SHR-001.xml");
    dir = fuzz_dir_init("", "fuzz.rules.xml");
    return 0;
}

/* Every finding is whole: its strings readable, its message and fix
 * terminal-safe once escaped as the text report would print them. (The
 * reports look rules up in the engine's catalog, which the fuzzed file is
 * not part of, so they are not written here.) */
static void
fuzz_rules_findings(const pc_results *r)
{
    for (size_t i = 0; i < pc_results_count(r); i++) {
        const struct pc_finding *f = pc_results_get(r, i);
        char *buf = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&buf, &len);

        if (out == NULL)
            FUZZ_DIE("out of memory");
        FUZZ_ASSERT(f->rule != NULL && f->message != NULL &&
                    f->fingerprint != NULL && f->object != NULL);
        pc_put_escaped(out, f->message);
        if (f->fix != NULL)
            pc_put_escaped(out, f->fix);
        fclose(out);
        FUZZ_ASSERT(fuzz_terminal_unsafe(buf, len) == SIZE_MAX);
        free(buf);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ruleset *rs = NULL;
    pc_diags *d;
    pc_status st;

    fuzz_dir_write(data, size);
    if ((d = pc_diags_new()) == NULL)
        FUZZ_DIE("out of memory");
    st = rules_load(dir, schema, base.policy, base.schema, base.classifiers, d,
                    &rs);
    fuzz_check_all_diags(d);
    if (st != PC_OK) {
        FUZZ_ASSERT(st == PC_ENOMEM || pc_diags_errors(d) > 0);
        FUZZ_ASSERT(rs == NULL);
    } else {
        struct eval_engine ee = base;
        pc_results *r = pc_results_new();

        FUZZ_ASSERT(rs != NULL);
        FUZZ_ASSERT(pc_diags_errors(d) == 0);
        if (r == NULL)
            FUZZ_DIE("out of memory");
        ee.rules = rs;
        pc_diags_clear(d);
        st = eval_manifest(&ee, fixture, "SHR-001.xml", d, r);
        fuzz_check_all_diags(d);
        /* An expression may fail at run time (a limit, a type the
         * compiler could not see); it must say so. */
        if (st != PC_OK)
            FUZZ_ASSERT(st == PC_ENOMEM || pc_diags_errors(d) > 0);
        else
            fuzz_rules_findings(r);
        pc_results_free(r);
        rules_free(rs);
    }
    pc_diags_free(d);
    return 0;
}
