/* fuzz_policy.c - libFuzzer target for the policy reader: the bytes are a
 * policy file, read by the hardened reader, validated against the real
 * policy/policy.rng and indexed (pc_policy_load); a policy that loads is
 * then rendered as Markdown. Checks that nothing crashes or leaks and that
 * a refused policy says why. */
#include "privcheck.h"

#include "fuzz.h"

static char *schema;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    pc_diags *d = pc_diags_new();
    char *good = fuzz_path("tests/data/policy/good.xml");
    pc_policy *p = NULL;

    (void)argc;
    (void)argv;
    if (d == NULL)
        FUZZ_DIE("out of memory");
    schema = fuzz_path("policy/policy.rng");
    /* Load a good policy now: the schema is compiled and cached, and
     * whatever else a first load sets up for good is not charged to the
     * first input. Without it every input would just be refused. */
    if (pc_policy_load(good, schema, d, &p) != PC_OK) {
        pc_diags_print(d, stderr);
        FUZZ_DIE("cannot load %s with %s (set FUZZ_SRCDIR)", good, schema);
    }
    pc_policy_free(p);
    pc_diags_free(d);
    free(good);
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pc_policy *p = NULL;
    const char *path;
    pc_diags *d;
    pc_status st;

    path = fuzz_file_write(data, size);
    if ((d = pc_diags_new()) == NULL)
        FUZZ_DIE("out of memory");

    st = pc_policy_load(path, schema, d, &p);
    fuzz_check_all_diags(d);
    if (st != PC_OK) {
        FUZZ_ASSERT(st == PC_ENOMEM || pc_diags_errors(d) > 0);
    } else {
        char *md = NULL;
        size_t len = 0;
        FILE *f;

        FUZZ_ASSERT(p != NULL);
        FUZZ_ASSERT(pc_diags_errors(d) == 0);
        FUZZ_ASSERT(pc_policy_sha256(p) != NULL &&
                    strlen(pc_policy_sha256(p)) == 64);
        (void)pc_policy_id(p);
        (void)pc_policy_version(p);
        (void)pc_policy_title(p);
        (void)pc_policy_clause_count(p);
        if ((f = open_memstream(&md, &len)) == NULL)
            FUZZ_DIE("open_memstream failed");
        FUZZ_ASSERT(pc_policy_render_markdown(p, f) == PC_OK);
        fclose(f);
        free(md);
        pc_policy_free(p);
    }
    pc_diags_free(d);
    return 0;
}
