/* fuzz_rule_expr.c - libFuzzer target for the rule compiler's front end:
 * the input (NUL-terminated) is parsed both as a condition expression
 * (rulec_expr) and as a message template (rulec_tpl), with the element and
 * attribute names of the real manifest schema and the variables the real
 * rules bind. On success the tree is walked the way rule-xml.c walks it;
 * on failure a diagnostic must say why. */
#include "privcheck.h"

#include "rule.h"

#include "fuzz.h"

static struct schema_attrs *schema;
static struct strv vars = STRV_INIT;

static void
fuzz_rule_expr_init(void)
{
    pc_diags *d = pc_diags_new();
    char *rng = fuzz_path("checker/manifest.rng");
    /* The variables <each var="..."> binds in rules/ (j, r, s), and one
     * that looks like a kind, to reach the variable/element ambiguity. */
    static const char *const names[] = { "j", "r", "s", "flow" };

    if (d == NULL)
        FUZZ_DIE("out of memory");
    if (schema_attrs_load(rng, d, &schema) != PC_OK) {
        pc_diags_print(d, stderr);
        FUZZ_DIE("cannot load %s (set FUZZ_SRCDIR)", rng);
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strv_push(&vars, names[i]) != PC_OK)
            FUZZ_DIE("out of memory");
    free(rng);
    pc_diags_free(d);
}

/* Walk a parsed expression the way the rule loader does. */
static void
fuzz_walk(const struct expr *e)
{
    struct strv kinds = STRV_INIT, wanted = STRV_INIT;

    (void)rulec_expr_deferred(e);
    FUZZ_ASSERT(rulec_expr_kinds(e, &kinds) == PC_OK);
    FUZZ_ASSERT(rulec_expr_wanted(e, &wanted) == PC_OK);
    for (size_t i = 0; i < kinds.n; i++)
        FUZZ_ASSERT(kinds.v[i] != NULL);
    strv_free(&kinds);
    strv_free(&wanted);
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
    fuzz_rule_expr_init();
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pc_loc loc = { "fuzz.rules.xml", 1, 0 };
    char *src;
    pc_diags *d;
    struct expr *e = NULL;
    struct tpl t = { NULL, 0 };
    pc_status st;

    /* Rule attributes are short; a long input only slows the search. */
    if (size > 4096)
        return 0;
    src = fuzz_string(data, size);
    if ((d = pc_diags_new()) == NULL)
        FUZZ_DIE("out of memory");

    st = rulec_expr(src, loc, "FUZZ-001", schema, &vars, d, &e);
    if (st == PC_OK) {
        FUZZ_ASSERT(e != NULL);
        fuzz_walk(e);
        rulec_expr_free(e);
    } else {
        FUZZ_ASSERT(st == PC_ENOMEM || pc_diags_errors(d) > 0);
    }

    pc_diags_clear(d);
    st = rulec_tpl(src, loc, "FUZZ-001", schema, &vars, d, &t);
    if (st == PC_OK) {
        size_t textlen = 0;

        for (size_t i = 0; i < t.nparts; i++) {
            /* Each part is literal text or a placeholder, never both. */
            FUZZ_ASSERT((t.parts[i].text == NULL) != (t.parts[i].expr == NULL));
            if (t.parts[i].expr != NULL)
                fuzz_walk(t.parts[i].expr);
            else
                textlen += strlen(t.parts[i].text);
        }
        /* Without braces the template is the text itself. */
        if (strchr(src, '{') == NULL)
            FUZZ_ASSERT(textlen == strlen(src));
        rulec_tpl_free(&t);
    } else {
        FUZZ_ASSERT(st == PC_ENOMEM || pc_diags_errors(d) > 0);
        FUZZ_ASSERT(t.nparts == 0);
    }
    fuzz_check_all_diags(d);
    pc_diags_free(d);
    free(src);
    return 0;
}
