/* fuzz_classify.c - libFuzzer target for the field-name classifiers: the
 * input (NUL-terminated) is a field name, normalised and matched against
 * every pattern of the real rules/classifiers.xml, and also a sample value
 * for the <value> patterns. Checks that normalisation is idempotent, that
 * a name and its normal form classify alike, that a cached answer is the
 * computed one, and that any error (a pattern at its match limit, a name
 * over the limit) is reported. An input with a tab is a name, the tab, and
 * a context: the cached answer in that context is the explained one. */
#include "privcheck.h"

#include "classify.h"
#include "strbuf.h"

#include "fuzz.h"

/* Two sets from the same file: one that never caches (every input is
 * matched, so coverage does not depend on what came before) and one that
 * caches a bounded number of names, to compare its answers. */
static struct classify_set *fresh, *cached;

static void
fuzz_classify_init(void)
{
    pc_diags *d = pc_diags_new();
    char *file = fuzz_path("rules/classifiers.xml");
    char *rng = fuzz_path("rules/classifiers.rng");
    struct classify_result r;

    if (d == NULL)
        FUZZ_DIE("out of memory");
    if (classify_load(file, rng, d, &fresh) != PC_OK ||
        classify_load(file, rng, d, &cached) != PC_OK) {
        pc_diags_print(d, stderr);
        FUZZ_DIE("cannot load %s (set FUZZ_SRCDIR)", file);
    }
    classify_set_cache_limit(fresh, 0);
    classify_set_cache_limit(cached, 4096);
    /* A first match sets up the per-thread JIT stack for good. */
    if (classify_name(fresh, "warm_up_email", NULL, d, (struct pc_loc){ 0 },
                      &r) != PC_OK)
        FUZZ_DIE("cannot classify a name");
    free(file);
    free(rng);
    pc_diags_free(d);
}

static bool
fuzz_same(const char *a, const char *b)
{
    return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static void
fuzz_check_result(const struct classify_result *r)
{
    if (r->element == NULL) {
        FUZZ_ASSERT(r->classifier == NULL && r->pattern == NULL);
        return;
    }
    FUZZ_ASSERT(r->classifier != NULL && r->pattern != NULL);
    const struct classify_info *ci = classify_find(fresh, r->classifier);
    FUZZ_ASSERT(ci != NULL);
    FUZZ_ASSERT(strcmp(ci->element, r->element) == 0);
    FUZZ_ASSERT(ci->sensitive == r->sensitive);
}

static bool
fuzz_result_eq(const struct classify_result *a, const struct classify_result *b)
{
    return fuzz_same(a->element, b->element) &&
           fuzz_same(a->classifier, b->classifier) &&
           fuzz_same(a->pattern, b->pattern) && a->sensitive == b->sensitive;
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
    fuzz_classify_init();
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pc_loc loc = { "fuzz.xml", 1, 0 };
    struct strbuf n1 = STRBUF_INIT(2 * CLASSIFY_MAX_NAME);
    struct strbuf n2 = STRBUF_INIT(2 * CLASSIFY_MAX_NAME);
    struct classify_result r1, r2, r3;
    char *name;
    pc_diags *d;
    pc_status st;

    if (size > 4 * CLASSIFY_MAX_NAME)
        return 0;
    name = fuzz_string(data, size);
    if ((d = pc_diags_new()) == NULL)
        FUZZ_DIE("out of memory");

    st = classify_name(fresh, name, NULL, d, loc, &r1);
    fuzz_check_result(&r1);
    if (st != PC_OK) {
        FUZZ_ASSERT(st == PC_ENOMEM || pc_diags_errors(d) > 0);
        FUZZ_ASSERT(r1.element == NULL);
        FUZZ_ASSERT(st == PC_ELIMIT || st == PC_ENOMEM ||
                    strlen(name) <= CLASSIFY_MAX_NAME);
    } else {
        /* The normal form is a fixed point, and classifies the same. */
        FUZZ_ASSERT(classify_normalize(name, &n1) == PC_OK);
        FUZZ_ASSERT(classify_normalize(strbuf_str(&n1), &n2) == PC_OK);
        if (strcmp(strbuf_str(&n1), strbuf_str(&n2)) != 0)
            fprintf(stderr, "fuzz: normalize(\"%s\") = \"%s\", again \"%s\"\n",
                    name, strbuf_str(&n1), strbuf_str(&n2));
        FUZZ_ASSERT(strcmp(strbuf_str(&n1), strbuf_str(&n2)) == 0);
        /* (Word boundaries add '_': a name near the limit may normalise
         * to one over it, which is then refused as too long.) */
        if (n1.len <= CLASSIFY_MAX_NAME) {
            FUZZ_ASSERT(classify_name(fresh, strbuf_str(&n1), NULL, d, loc,
                                      &r2) == PC_OK);
            FUZZ_ASSERT(fuzz_result_eq(&r1, &r2));
        }
        /* The cache gives what matching gives, first time and after. */
        FUZZ_ASSERT(classify_name(cached, name, NULL, d, loc, &r3) == PC_OK);
        FUZZ_ASSERT(fuzz_same(r1.element, r3.element) &&
                    fuzz_same(r1.classifier, r3.classifier));
        FUZZ_ASSERT(classify_name(cached, name, NULL, d, loc, &r3) == PC_OK);
        FUZZ_ASSERT(fuzz_same(r1.element, r3.element) &&
                    fuzz_same(r1.classifier, r3.classifier));
    }

    /* name TAB context: the cache and the explanation agree. */
    char *tab = strchr(name, '\t');
    if (tab != NULL) {
        *tab = '\0';
        st = classify_name(cached, name, tab + 1, d, loc, &r1);
        fuzz_check_result(&r1);
        if (st == PC_OK) {
            FUZZ_ASSERT(classify_explain(fresh, name, tab + 1, d, loc, NULL,
                                         NULL, &r2) == PC_OK);
            FUZZ_ASSERT(fuzz_result_eq(&r1, &r2));
            FUZZ_ASSERT(classify_name(cached, name, tab + 1, d, loc, &r3) ==
                        PC_OK);
            FUZZ_ASSERT(fuzz_result_eq(&r1, &r3));
        } else {
            FUZZ_ASSERT(st == PC_ENOMEM || pc_diags_errors(d) > 0);
        }
        *tab = '\t';
    }

    /* The same bytes as a sample value. */
    st = classify_value(fresh, name, d, loc, &r2);
    fuzz_check_result(&r2);
    if (st != PC_OK)
        FUZZ_ASSERT(st == PC_ENOMEM || pc_diags_errors(d) > 0);

    fuzz_check_all_diags(d);
    strbuf_free(&n1);
    strbuf_free(&n2);
    pc_diags_free(d);
    free(name);
    return 0;
}
