/* paths.c - where the policy, the rules and the schemas live: explicit
 * options first, then PRIVCHECK_DATADIR, then the source tree when this
 * binary runs from its build tree, then $(pkgdatadir). And how an input
 * is named relative to the source root, whatever the working directory. */
#include "config.h"

#include "privcheck.h"

#include "diag.h"
#include "paths.h"
#include "strbuf.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool
paths_is_dir(const char *p)
{
    struct stat sb;

    return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* Is this process an uninstalled build (its executable lives under the
 * build tree)? Then the data is the source tree's. PC_ENOMEM when it
 * cannot tell: guessing would read another tree's data. */
static pc_status
paths_uninstalled(bool *yes)
{
    char exe[PATH_MAX], root[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    size_t rn;

    *yes = false;
    if (n <= 0)
        return PC_OK;
    if (realpath(PC_BUILDDIR, root) == NULL)
        return errno == ENOMEM ? PC_ENOMEM : PC_OK;
    exe[n] = '\0';
    rn = strlen(root);
    *yes = strncmp(exe, root, rn) == 0 && exe[rn] == '/' &&
           strncmp(exe + rn, "/checker/", 9) == 0;
    return PC_OK;
}

/* The data installed beside this executable: when it runs from a staged
 * copy of the installation (DESTDIR, a package being built, a prefix
 * moved whole), <stage>$(bindir)/privcheck has its data in
 * <stage>$(pkgdatadir). *out NULL when the executable is not in a
 * bindir. */
static pc_status
paths_staged(char **out)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    size_t bn = strlen(PC_BINDIR), en;
    char *slash;
    struct strbuf b = STRBUF_INIT(PATH_MAX);
    pc_status st;

    *out = NULL;
    if (n <= 0)
        return PC_OK;
    exe[n] = '\0';
    if ((slash = strrchr(exe, '/')) == NULL)
        return PC_OK;
    *slash = '\0';
    en = strlen(exe);
    if (en <= bn || strcmp(exe + en - bn, PC_BINDIR) != 0)
        return PC_OK;
    if ((st = strbuf_add(&b, exe, en - bn)) != PC_OK ||
        (st = strbuf_puts(&b, PC_PKGDATADIR)) != PC_OK) {
        strbuf_free(&b);
        return st;
    }
    if (!paths_is_dir(strbuf_str(&b))) {
        strbuf_free(&b);
        return PC_OK;
    }
    return (*out = strbuf_detach(&b)) != NULL ? PC_OK : PC_ENOMEM;
}

static char *
paths_join(const char *a, const char *b)
{
    struct strbuf s = STRBUF_INIT(PATH_MAX);

    if (strbuf_puts(&s, a) != PC_OK || strbuf_putc(&s, '/') != PC_OK ||
        strbuf_puts(&s, b) != PC_OK) {
        strbuf_free(&s);
        return NULL;
    }
    return strbuf_detach(&s);
}

/* The first line of dir/default, when it names a *.xml file there (a
 * bare name: no directory part), in *out; NULL otherwise. */
static pc_status
paths_read_default(const char *dir, char **out)
{
    char *path = paths_join(dir, "default"), line[256], *name = NULL;
    pc_status st = PC_OK;
    size_t n;
    FILE *f;

    *out = NULL;
    if (path == NULL)
        return PC_ENOMEM;
    if ((f = fopen(path, "r")) == NULL) {
        free(path);
        return errno == ENOMEM ? PC_ENOMEM : PC_OK;
    }
    if (fgets(line, sizeof line, f) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        n = strlen(line);
        if (n > 4 && strcmp(line + n - 4, ".xml") == 0 &&
            strchr(line, '/') == NULL && line[0] != '.' &&
            (name = strdup(line)) == NULL)
            st = PC_ENOMEM;
    }
    fclose(f);
    free(path);
    if (name != NULL) {
        char *full = paths_join(dir, name);

        if (full == NULL)
            st = PC_ENOMEM;
        if (full == NULL || access(full, R_OK) != 0) {
            free(name);
            name = NULL;
        }
        free(full);
    }
    *out = name;
    return st;
}

/* The one policy *.xml in dir; a directory with several needs --policy,
 * unless dir/default names one. */
static pc_status
paths_find_policy(const char *dir, pc_diags *d, char **out)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    char *found = NULL;
    unsigned count = 0;

    if (dp == NULL && errno == ENOMEM)
        return PC_ENOMEM;
    if (dp == NULL)
        return diag_fail(d, PC_EIO, diag_loc(d, dir, 0, 0),
                         "no policy directory; give --policy FILE or set "
                         "PRIVCHECK_DATADIR");
    while ((e = readdir(dp)) != NULL) {
        size_t n = strlen(e->d_name);

        if (n > 4 && strcmp(e->d_name + n - 4, ".xml") == 0) {
            count++;
            if (found == NULL || strcmp(e->d_name, found) < 0) {
                free(found);
                if ((found = strdup(e->d_name)) == NULL) {
                    closedir(dp);
                    return PC_ENOMEM;
                }
            }
        }
    }
    closedir(dp);
    /* Several packs' policies side by side: the directory's file
     * "default" names the one used without --policy. */
    if (count > 1) {
        char *name;
        pc_status st = paths_read_default(dir, &name);

        if (st != PC_OK) {
            free(found);
            return st;
        }
        if (name != NULL) {
            free(found);
            found = name;
            count = 1;
        }
    }
    if (count != 1) {
        free(found);
        return diag_fail(d, PC_EINVALID, diag_loc(d, dir, 0, 0),
                         count == 0 ? "no policy (*.xml) here; give --policy"
                                    : "several policies here; choose one "
                                      "with --policy FILE");
    }
    *out = found != NULL ? paths_join(dir, found) : NULL;
    free(found);
    return *out != NULL ? PC_OK : PC_ENOMEM;
}

/* root/a/b, or root/c/b when root/a is missing (the source tree keeps
 * the manifest schema in checker/, an installation in schema/). */
static pc_status
paths_default(char **slot, const char *root, const char *sub, const char *name)
{
    char *dir;

    if (*slot != NULL)
        return PC_OK;
    if ((dir = paths_join(root, sub)) == NULL)
        return PC_ENOMEM;
    *slot = name != NULL ? paths_join(dir, name) : dir;
    if (name != NULL)
        free(dir);
    return *slot != NULL ? PC_OK : PC_ENOMEM;
}

static pc_status paths_resolve_in(struct pc_paths *p, const char *root,
                                  pc_diags *d);

pc_status
pc_paths_resolve(struct pc_paths *p, pc_diags *d)
{
    const char *env = getenv("PRIVCHECK_DATADIR");
    const char *root = PC_PKGDATADIR;
    char *staged = NULL;
    bool uninstalled = false;
    pc_status st;

    if (env != NULL && *env != '\0')
        root = env;
    else if ((st = paths_uninstalled(&uninstalled)) != PC_OK)
        return st;
    else if (uninstalled)
        root = PC_SRCDIR;
    else if ((st = paths_staged(&staged)) != PC_OK)
        return st;
    else if (staged != NULL)
        root = staged;
    st = paths_resolve_in(p, root, d);
    free(staged);
    return st;
}

/* The defaults under root, for what no option named. */
static pc_status
paths_resolve_in(struct pc_paths *p, const char *root, pc_diags *d)
{
    const char *schemas;
    pc_status st;
    char *dir;

    if (!paths_is_dir(root))
        return diag_fail(d, PC_EIO, diag_loc(d, root, 0, 0),
                         "data directory not found; install privcheck or "
                         "set PRIVCHECK_DATADIR");
    if ((dir = paths_join(root, "schema")) == NULL)
        return PC_ENOMEM;
    schemas = paths_is_dir(dir) ? "schema" : "checker";
    free(dir);
    if ((st = paths_default(&p->rules_dir, root, "rules", NULL)) != PC_OK ||
        (st = paths_default(&p->policy_schema, root, "policy", "policy.rng")) !=
            PC_OK ||
        (st = paths_default(&p->rules_schema, root, "rules", "rules.rng")) !=
            PC_OK ||
        (st = paths_default(&p->classifiers_schema, root, "rules",
                            "classifiers.rng")) != PC_OK ||
        (st = paths_default(&p->ruletests_schema, root, "rules",
                            "ruletests.rng")) != PC_OK ||
        (st = paths_default(&p->manifest_schema, root, schemas,
                            "manifest.rng")) != PC_OK ||
        (st = paths_default(&p->waivers_schema, root, schemas,
                            "waivers.rng")) != PC_OK ||
        (st = paths_default(&p->stylesheet, root, schemas,
                            "report-html.xsl")) != PC_OK)
        return st;
    if (p->policy == NULL) {
        if ((dir = paths_join(root, "policy")) == NULL)
            return PC_ENOMEM;
        st = paths_find_policy(dir, d, &p->policy);
        free(dir);
    }
    return st;
}

void
pc_paths_clear(struct pc_paths *p)
{
    free(p->policy);
    free(p->rules_dir);
    free(p->policy_schema);
    free(p->rules_schema);
    free(p->classifiers_schema);
    free(p->manifest_schema);
    free(p->waivers_schema);
    free(p->ruletests_schema);
    free(p->stylesheet);
    memset(p, 0, sizeof *p);
}

/* ------------------------------------------------------------------ */
/* Names relative to the source root. */

/* Append the components of p to the normalised absolute path in b
 * ("/" alone is the empty string): "." and empty ones are dropped, ".."
 * removes the last one. Lexical: the caller resolves links if it must. */
static pc_status
paths_normalise(struct strbuf *b, const char *p)
{
    pc_status st = PC_OK;

    while (*p != '\0' && st == PC_OK) {
        size_t n = strcspn(p, "/");

        if (n == 2 && p[0] == '.' && p[1] == '.') {
            const char *s = strrchr(strbuf_str(b), '/');

            if (s != NULL) {
                b->len = (size_t)(s - b->ptr);
                b->ptr[b->len] = '\0';
            }
        } else if (n > 0 && !(n == 1 && p[0] == '.')) {
            if ((st = strbuf_putc(b, '/')) == PC_OK)
                st = strbuf_add(b, p, n);
        }
        p += n;
        p += strspn(p, "/");
    }
    return st;
}

/* abs (normalised, "" for "/") relative to root, or NULL when outside. */
static const char *
paths_under(const char *abs, const char *root)
{
    size_t n = strlen(root);

    if (strcmp(root, "/") == 0)
        return abs[0] == '/' ? abs + 1 : NULL;
    if (strncmp(abs, root, n) != 0)
        return NULL;
    if (abs[n] == '\0')
        return ".";
    return abs[n] == '/' ? abs + n + 1 : NULL;
}

pc_status
paths_relative(const char *root, const char *path, pc_diags *d, char **out)
{
    struct strbuf abs = STRBUF_INIT(0);
    char cwd[PATH_MAX], rroot[PATH_MAX], real[PATH_MAX];
    const char *rel;
    pc_status st;

    *out = NULL;
    if (getcwd(cwd, sizeof cwd) == NULL)
        return diag_fail(d, PC_EIO, diag_loc(d, path, 0, 0),
                         "cannot tell the working directory");
    if (realpath(root != NULL ? root : cwd, rroot) == NULL)
        return diag_fail(d, PC_EIO,
                         diag_loc(d, root != NULL ? root : cwd, 0, 0),
                         "cannot resolve the source root");
    if ((path[0] != '/' && (st = paths_normalise(&abs, cwd)) != PC_OK) ||
        (st = paths_normalise(&abs, path)) != PC_OK)
        goto out;
    rel = paths_under(strbuf_str(&abs), rroot);
    /* A link from outside into the root, or a root given through one. */
    if (rel == NULL && realpath(path, real) != NULL &&
        paths_under(real, rroot) != NULL) {
        strbuf_reset(&abs);
        if ((st = paths_normalise(&abs, real)) != PC_OK)
            goto out;
        rel = paths_under(strbuf_str(&abs), rroot);
    }
    if (rel == NULL)
        rel = abs.len > 0 ? strbuf_str(&abs) : "/";
    st = (*out = strdup(rel)) != NULL ? PC_OK : PC_ENOMEM;
out:
    strbuf_free(&abs);
    return st;
}
