/* main.c - the privcheck command line: options, printing, exit codes.
 * Everything else is the library's; this file uses only privcheck.h. */
#include "config.h"

#include "privcheck.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_FAIL = 2 };

struct cli {
    struct pc_paths paths;
    pc_diags *diags;
};

static const char usage_text[] =
    "Usage: privcheck COMMAND [OPTION]... [ARG]...\n"
    "Audit application manifests against a privacy policy encoded as data.\n"
    "\n"
    "Commands:\n"
    "  check MANIFEST...      audit manifests; exit 1 on findings\n"
    "  validate FILE...       schema-check a policy, rules file or manifest\n"
    "  explain ID             a rule, the policy clauses it enforces, the fix\n"
    "  classify NAME...       which policy element a field name maps to\n"
    "  rules                  list the rule catalog\n"
    "  policy render          the policy as Markdown, clause by clause\n"
    "\n"
    "Common options:\n"
    "  --policy FILE          the policy (default: the installed one)\n"
    "  --rules DIR            the rules directory (default: installed)\n"
    "  -h, --help             show this help and exit\n"
    "  -V, --version          show the version and exit\n"
    "\n"
    "Exit status: 0 clean, 1 findings at or above --fail-on, 2 bad usage\n"
    "or any input that could not be read, parsed or validated.\n"
    "Environment: PRIVCHECK_DATADIR overrides where policy/ and rules/ are\n"
    "found; NO_COLOR turns colour off.\n"
    "See privcheck(1).\n";

static int
usage_error(const char *fmt, const char *arg)
{
    fputs("privcheck: ", stderr);
    fprintf(stderr, fmt, arg);
    fputs("\nTry 'privcheck --help'.\n", stderr);
    return EXIT_FAIL;
}

/* Print diagnostics and map a status to the fail-closed exit code. */
static int
cli_finish(struct cli *c, pc_status st)
{
    pc_diags_print(c->diags, stderr);
    pc_diags_clear(c->diags);
    if (st == PC_ENOMEM)
        fputs("privcheck: error: out of memory\n", stderr);
    return st == PC_OK ? EXIT_CLEAN : EXIT_FAIL;
}

static int
cmd_validate(struct cli *c, int argc, char **argv)
{
    pc_status worst = PC_OK;

    if (argc < 1)
        return usage_error("%s", "validate needs at least one FILE");
    for (int i = 0; i < argc; i++) {
        pc_status st = pc_validate_file(&c->paths, argv[i], c->diags);

        if (st == PC_OK)
            printf("%s: valid\n", argv[i]);
        else
            worst = st;
        pc_diags_print(c->diags, stderr);
        pc_diags_clear(c->diags);
    }
    return worst == PC_OK ? EXIT_CLEAN : EXIT_FAIL;
}

static int
cmd_policy(struct cli *c, int argc, char **argv)
{
    pc_policy *p = NULL;
    pc_status st;

    if (argc < 1)
        return usage_error("%s", "policy needs a subcommand: render");
    if (strcmp(argv[0], "render") != 0)
        return usage_error("unknown policy subcommand '%s'", argv[0]);
    st = pc_policy_load(c->paths.policy, c->paths.policy_schema, c->diags,
                        &p);
    if (st == PC_OK)
        st = pc_policy_render_markdown(p, stdout);
    pc_policy_free(p);
    return cli_finish(c, st);
}

static const struct command {
    const char *name;
    int (*run)(struct cli *, int, char **);
} commands[] = {
    { "validate", cmd_validate },
    { "policy", cmd_policy },
};

int
main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { "policy", required_argument, NULL, 'P' },
        { "rules", required_argument, NULL, 'R' },
        { NULL, 0, NULL, 0 },
    };
    struct cli c = { { 0 }, NULL };
    int opt, rc = EXIT_FAIL;

    /* Options before the command apply to every command. */
    while ((opt = getopt_long(argc, argv, "+hV", opts, NULL)) != -1) {
        switch (opt) {
        case 'h':
            fputs(usage_text, stdout);
            return EXIT_CLEAN;
        case 'V':
            printf("privcheck %s\n", pc_version());
            return EXIT_CLEAN;
        case 'P':
            free(c.paths.policy);
            c.paths.policy = strdup(optarg);
            break;
        case 'R':
            free(c.paths.rules_dir);
            c.paths.rules_dir = strdup(optarg);
            break;
        default:
            fputs("Try 'privcheck --help'.\n", stderr);
            return EXIT_FAIL;
        }
    }
    if (optind >= argc) {
        fputs(usage_text, stderr);
        return EXIT_FAIL;
    }
    if ((c.diags = pc_diags_new()) == NULL) {
        fputs("privcheck: error: out of memory\n", stderr);
        return EXIT_FAIL;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[optind], commands[i].name) != 0)
            continue;
        if (pc_paths_resolve(&c.paths, c.diags) != PC_OK)
            rc = cli_finish(&c, PC_EIO);
        else
            rc = commands[i].run(&c, argc - optind - 1, argv + optind + 1);
        goto out;
    }
    rc = usage_error("unknown command '%s'", argv[optind]);
out:
    pc_paths_clear(&c.paths);
    pc_diags_free(c.diags);
    return rc;
}
