/* fuzz_classifiers.c - libFuzzer target for the classifiers reader: the
 * bytes are a classifiers file (memfd), loaded as the engine would
 * (classify_load with rules/classifiers.rng: patterns compiled, ids
 * checked). A file that loads classifies a fixed set of field names, with
 * and without a context and with its reasoning explained, and of sample
 * values. Checks that nothing crashes or leaks, that a refused file says
 * why, that every answer names a classifier of the file for its element,
 * and that the explained answer is the plain one. */
#include "privcheck.h"

#include "classify.h"

#include "fuzz.h"

static char *schema;

static const char *const names[] = {
    "email",       "user_email", "ssn",         "date_of_birth",
    "dob",         "phone",      "ip_address",  "full_name",
    "diagnosis",   "notes",      "session_id",  "zipCode",
    "x",           "",           "gps_lat_lng", "religion",
    "credit_card", "password",   "device_id",   "heart_rate",
};
static const char *const contexts[] = { NULL, "patients", "billing" };
static const char *const values[] = {
    "a@example.com",
    "123-45-6789",
    "4111 1111 1111 1111",
    "10.0.0.1",
    "1980-01-31",
    "hello",
    "",
};

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    pc_diags *d = pc_diags_new();
    char *good = fuzz_path("rules/classifiers.xml");
    struct classify_set *cs = NULL;

    (void)argc;
    (void)argv;
    if (d == NULL)
        FUZZ_DIE("out of memory");
    schema = fuzz_path("rules/classifiers.rng");
    /* The schema compiled and cached before the first input. */
    if (classify_load(good, schema, d, &cs) != PC_OK) {
        pc_diags_print(d, stderr);
        FUZZ_DIE("cannot load %s (set FUZZ_SRCDIR)", good);
    }
    classify_free(cs);
    pc_diags_free(d);
    free(good);
    return 0;
}

static void
fuzz_check(const struct classify_set *cs, const struct classify_result *r)
{
    const struct classify_info *ci;

    if (r->element == NULL) {
        FUZZ_ASSERT(r->classifier == NULL);
        return;
    }
    FUZZ_ASSERT(r->classifier != NULL && r->pattern != NULL);
    ci = classify_find(cs, r->classifier);
    FUZZ_ASSERT(ci != NULL && strcmp(ci->element, r->element) == 0);
}

static bool
fuzz_same(const char *a, const char *b)
{
    return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static void
fuzz_no_step(void *arg, const struct pc_classify_step *s)
{
    (void)arg;
    FUZZ_ASSERT(s != NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pc_loc loc = { "fuzz.xml", 1, 0 };
    struct classify_set *cs = NULL;
    const char *path;
    pc_diags *d;
    pc_status st;

    path = fuzz_file_write(data, size);
    if ((d = pc_diags_new()) == NULL)
        FUZZ_DIE("out of memory");
    st = classify_load(path, schema, d, &cs);
    fuzz_check_all_diags(d);
    if (st != PC_OK) {
        FUZZ_ASSERT(st == PC_ENOMEM || pc_diags_errors(d) > 0);
        FUZZ_ASSERT(cs == NULL);
        pc_diags_free(d);
        return 0;
    }
    FUZZ_ASSERT(pc_diags_errors(d) == 0);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        for (size_t j = 0; j < sizeof contexts / sizeof contexts[0]; j++) {
            struct classify_result r, x;
            pc_status s1, s2;

            s1 = classify_name(cs, names[i], contexts[j], d, loc, &r);
            fuzz_check(cs, &r);
            s2 = classify_explain(cs, names[i], contexts[j], d, loc,
                                  fuzz_no_step, NULL, &x);
            /* A pattern at its match limit fails either way, loudly. */
            if (s1 != PC_OK || s2 != PC_OK) {
                FUZZ_ASSERT(pc_diags_errors(d) > 0 || s1 == PC_ENOMEM ||
                            s2 == PC_ENOMEM);
                continue;
            }
            fuzz_check(cs, &x);
            FUZZ_ASSERT(fuzz_same(r.element, x.element) &&
                        fuzz_same(r.classifier, x.classifier));
        }
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        struct classify_result r;

        if (classify_value(cs, values[i], d, loc, &r) == PC_OK)
            fuzz_check(cs, &r);
        else
            FUZZ_ASSERT(pc_diags_errors(d) > 0);
    }
    fuzz_check_diags_print(d);
    classify_free(cs);
    pc_diags_free(d);
    return 0;
}
